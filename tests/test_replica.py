"""The read replica for reports (common/replica.py, docs/scaling.md): a report request's reads
go to the replica, everything else and every write to the primary; the settings switch it on
only when REPLICA_DATABASE_URL is given."""

import os
import subprocess
import sys
from pathlib import Path

from django.http import HttpResponse
from django.test import RequestFactory

from common.replica import ReplicaForReportsMiddleware, ReplicaRouter, replica_reads
from coordinators.models import Case

ROOT = Path(__file__).resolve().parent.parent


def routed_view(module):
    """A view said to live in `module` that answers with where a Case read would go."""

    def view(request):
        return HttpResponse(ReplicaRouter().db_for_read(Case) or "default")

    view.__module__ = module
    return view


def through_middleware(module, method="get"):
    view = routed_view(module)
    request = getattr(RequestFactory(), method)("/")
    middleware = ReplicaForReportsMiddleware(
        lambda request: middleware.process_view(request, view, (), {}) or view(request)
    )
    return middleware(request).content.decode()


def test_reads_inside_the_block_go_to_the_replica_and_writes_never_do():
    router = ReplicaRouter()
    assert router.db_for_read(Case) is None
    with replica_reads():
        assert router.db_for_read(Case) == "replica"
        assert router.db_for_write(Case) == "default"
    assert router.db_for_read(Case) is None


def test_only_the_primary_is_migrated():
    assert ReplicaRouter().allow_migrate("default", "coordinators")
    assert not ReplicaRouter().allow_migrate("replica", "coordinators")


def test_a_report_page_reads_from_the_replica_and_the_next_request_does_not():
    assert through_middleware("reports.views") == "replica"
    assert ReplicaRouter().db_for_read(Case) is None
    assert through_middleware("workspace.views.cases") == "default"


def test_a_post_to_a_report_view_stays_on_the_primary():
    assert through_middleware("reports.views", method="post") == "default"


def settings_value(expression, **environment):
    """`expression` evaluated in a fresh process's settings under `environment`."""
    code = f"from remigration import settings; print({expression})"
    return subprocess.run(  # noqa: S603 - our interpreter, fixed code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=os.environ | {"SECRET_KEY": "x", "DEBUG": "1"} | environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_the_replica_is_switched_on_by_its_url_only():
    off = settings_value("sorted(settings.DATABASES), getattr(settings, 'DATABASE_ROUTERS', []) ")
    assert off == "['default'] []"
    on = settings_value(
        "sorted(settings.DATABASES), settings.DATABASE_ROUTERS, "
        "'common.replica.ReplicaForReportsMiddleware' in settings.MIDDLEWARE, "
        "settings.DATABASES['replica']['NAME']",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/primary",
        REPLICA_DATABASE_URL="postgres://postgres@127.0.0.2:5432/copy",
    )
    assert on == "['default', 'replica'] ['common.replica.ReplicaRouter'] True copy"
