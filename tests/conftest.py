import contextlib
from importlib import import_module

import pytest
from django.core.cache import cache
from django.utils import translation

from intake import fragments
from tests import factories


@pytest.fixture
def national_admin(db):
    return factories.NationalAdminFactory(username="admin", is_superuser=False)


@pytest.fixture
def superuser(db):
    return factories.UserFactory(username="root", is_superuser=True)


@pytest.fixture
def kurzeme_coordinator(db):
    return factories.CoordinatorFactory(username="kurzeme")


@pytest.fixture
def zemgale_coordinator(db):
    return factories.CoordinatorFactory(username="zemgale", planning_region=factories.region("ZEM"))


@pytest.fixture(scope="session", autouse=True)
def audit_trail_flushable():
    """The flush after a transactional test empties every table with one TRUNCATE, which
    PostgreSQL refuses for the audit trail (audit/migrations/0004_truncate_trigger). The
    flush, and only the flush, says so in its own transaction (SET LOCAL), so the trigger
    stays on for everything else the tests do (tests/test_audit.py truncates in vain)."""
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no psycopg: the suite runs on SQLite only
        yield
        return
    execute_sql_flush = DatabaseOperations.execute_sql_flush

    def flush_allowing_the_audit_trail(self, sql_list):
        return execute_sql_flush(self, ["SET LOCAL audit.allow_truncate = on", *sql_list])

    DatabaseOperations.execute_sql_flush = flush_allowing_the_audit_trail
    yield
    DatabaseOperations.execute_sql_flush = execute_sql_flush


@pytest.fixture(autouse=True)
def reference_data(request):
    """The regions, municipalities and need categories of the data migration, present in
    every database test. A transactional test (live server, browser) empties the tables
    when it ends, so the next test may find them gone; this puts them back."""
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("transactional_db" if is_transactional(request) else "db")
    from django.apps import apps

    from municipalities.models import Municipality

    if Municipality.objects.count() != 43:
        import_module("municipalities.migrations.0002_reference_data").load(apps, None)
        import_module("municipalities.migrations.0004_need_names_in_russian").load(apps, None)
    content_types_ensure()


def content_types_ensure():
    """A flush with `available_apps` (the workspace browser test) leaves no content types
    behind; the audit log then writes rows pointing at ids that are gone. Put them back."""
    from django.apps import apps
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    if ContentType.objects.exists():
        return
    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)


def is_transactional(request):
    marker = request.node.get_closest_marker("django_db")
    return (
        "transactional_db" in request.fixturenames
        or "live_server" in request.fixturenames
        or (marker is not None and marker.kwargs.get("transaction", False))
    )


# The worker's own backend, for tests that show a request leaves the work to the worker.
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def keep_test_connection(monkeypatch):
    """The worker closes connections that are inside a transaction, as a long-running
    process should; the test's connection is, so it must stay open here."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


@pytest.fixture
def liepaja_specialist(db):
    return factories.SpecialistFactory(username="liepaja")


@pytest.fixture
def kurzeme_analyst(db):
    return factories.AnalystFactory(username="analyst")


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, launched once per browser-test module."""
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    # Playwright's sync API runs an event loop in this thread, so Django would refuse the ORM
    # calls of the test and the live server; only while the browser runs: left set, the
    # variable would fail `check --deploy` in tests run later.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.fixture(autouse=True)
def cache_emptied():
    """Each test starts with an empty cache: the rate limits count in it (common.ratelimit),
    so one test's requests would otherwise count against the next one's."""
    yield
    # A test that pointed the cache at a server that is down kept nothing in it.
    with contextlib.suppress(Exception):
        cache.clear()


@pytest.fixture(autouse=True)
def form_fragments_forgotten():
    """Each test starts with nothing of the public form kept in the process (intake.fragments):
    a test's rows are rolled back without a signal, and a fingerprint read less than
    CHECK_SECONDS ago would otherwise stand for the next test's data."""
    fragments.form_fields_forget()


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in Latvian: a request under /en/ leaves English active in the test
    thread (LocaleMiddleware does not reset it), and a later test's reverse() would then
    give /en/ URLs, so the suite passed or failed by the order of its tests."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def browser_test_connections_closed(request):
    """Close the database connections a browser test leaves open in this thread.

    Playwright's sync API runs the test's ORM calls in another context (asgiref keys Django's
    connections by context), so pytest-django's teardown never sees that connection and
    PostgreSQL cannot drop the test database at the end ("is being accessed by other users").
    The live server's own threads close theirs; this closes the ones made in this thread.
    """
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    import threading

    from django.db import connections
    from django.db.backends.signals import connection_created

    opened = []
    test_thread = threading.get_ident()

    def remember(sender, connection, **kwargs):
        if threading.get_ident() == test_thread:
            opened.append(connection)

    connection_created.connect(remember, weak=False)
    try:
        yield
    finally:
        connection_created.disconnect(remember)
        for wrapper in opened:
            if wrapper is not connections[wrapper.alias]:
                wrapper.close()


@pytest.fixture
def listening_server():
    """A web server on 127.0.0.1 that records every request made to it: (base URL, paths).
    Tests use it to prove the PDF renderer fetches nothing a person typed."""
    import http.server
    import threading

    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()
