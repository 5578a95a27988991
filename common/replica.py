"""Reports read from a PostgreSQL read replica when one is configured (REPLICA_DATABASE_URL;
docs/scaling.md): the report pages and exports are the heaviest reads, and they can be a
little behind the primary without harm. Everything else, and every write (the audit entry a
report writes included), stays on the primary.

The choice is per request, not per model (a report reads the same models as the case page):
the middleware marks a GET/HEAD whose view lives in one of REPLICA_APPS, and the router sends
that request's reads to the replica. A streamed export's rows are read after the view has
returned, so they come from the primary: correct, just not offloaded.
"""

import contextvars
from contextlib import contextmanager

REPLICA = "replica"
REPLICA_APPS = ("reports",)
_replica_reads = contextvars.ContextVar("replica_reads", default=False)


@contextmanager
def replica_reads():
    """Within this block reads go to the replica (if the router is installed)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """Reads of a marked request to the replica; writes and migrations to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _replica_reads.get() else None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows under two aliases

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica follows the primary by streaming replication


class ReplicaForReportsMiddleware:
    """Mark a safe request to a view of REPLICA_APPS for the replica, for the view's time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            token = request.__dict__.pop("_replica_token", None)
            if token is not None:
                _replica_reads.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        app = (getattr(view_func, "__module__", "") or "").split(".")[0]
        if request.method in ("GET", "HEAD") and app in REPLICA_APPS:
            request._replica_token = _replica_reads.set(True)
        return None
