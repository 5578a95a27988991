"""What /healthz asks: can the portal reach what it needs to serve a page right now?

A check is a function without arguments that returns `(ok, detail)`: a bool and a small
dict of figures safe to show anyone (no personal data, no host names or passwords; the
public can open /healthz). `settings.HEALTH_CHECKS` lists the dotted paths of such
functions; the report names each by its function's name. Another app adds its own with

    HEALTH_CHECKS += ["outbox.health.oldest_due_mail"]

A check that raises counts as failed, with the exception's class name as its detail (its
message could name a host or quote a value). Checks should cost a query or two at most: a
load balancer or a monitor calls this every few seconds.
"""

import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils.module_loading import import_string


def database():
    """The default database answers a `SELECT 1`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        ok = cursor.fetchone() == (1,)
    return ok, {"vendor": connection.vendor}


def cache():
    """The default cache keeps a value and gives it back (the contact form's rate limit
    lives there). A key of its own per call, so two workers checking at once do not meet."""
    default = caches["default"]
    key = f"healthz:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    default.set(key, value, timeout=10)
    ok = default.get(key) == value
    default.delete(key)
    return ok, {}


def check_run(path):
    started = time.perf_counter()
    try:
        ok, detail = import_string(path)()
    except Exception as error:  # a failing check is an answer, not a crash of /healthz
        ok, detail = False, {"error": type(error).__name__}
    return {"ok": bool(ok), **detail, "ms": round((time.perf_counter() - started) * 1000, 1)}


def health_report():
    """`(healthy, report)`: every check of `settings.HEALTH_CHECKS`, and whether all passed."""
    checks = {path.rsplit(".", 1)[-1]: check_run(path) for path in settings.HEALTH_CHECKS}
    healthy = all(result["ok"] for result in checks.values())
    report = {"status": "ok" if healthy else "fail", "checks": checks}
    if not healthy:
        report["failed"] = [name for name, result in checks.items() if not result["ok"]]
    return healthy, report
