"""How the production server is set up: gunicorn's settings, the middleware order WhiteNoise
needs, the static files storage with DEBUG off, and the `make serve` recipe."""

import runpy
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_project import manage

ROOT = Path(__file__).resolve().parent.parent
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"


def gunicorn_settings(monkeypatch, **environment):
    for name in ("WEB_CONCURRENCY", "BIND", "LOG_FORMAT", "DEBUG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_defaults(monkeypatch):
    conf = gunicorn_settings(monkeypatch)

    assert conf["workers"] == 2
    assert conf["bind"] == "127.0.0.1:8000"
    assert conf["timeout"] == 30
    assert conf["wsgi_app"] == "remigration.wsgi"
    assert conf["accesslog"] == "-"
    assert "logconfig_dict" in conf  # JSON lines by default


def test_gunicorn_reads_workers_bind_and_log_format_from_the_environment(monkeypatch):
    conf = gunicorn_settings(monkeypatch, WEB_CONCURRENCY="5", BIND="0.0.0.0:9000", DEBUG="1")

    assert conf["workers"] == 5
    assert conf["bind"] == "0.0.0.0:9000"
    assert "logconfig_dict" not in conf  # DEBUG: plain text, as the portal's own log


def test_gunicorn_access_log_has_no_query_string_and_no_client_address(monkeypatch):
    log_format = gunicorn_settings(monkeypatch)["access_log_format"]

    assert "%(U)s" in log_format  # the path alone
    for atom in ("%(r)s", "%(q)s", "%(h)s", "%(f)s", "%(a)s", "%(u)s", "}i)s"):
        assert atom not in log_format


def test_whitenoise_comes_right_after_security_and_the_request_log_first():
    middleware = settings.MIDDLEWARE

    assert middleware[0] == "common.middleware.RequestLogMiddleware"
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"


@pytest.mark.parametrize(
    ("debug", "backend"),
    [
        ("0", "whitenoise.storage.CompressedManifestStaticFilesStorage"),
        ("1", "django.contrib.staticfiles.storage.StaticFilesStorage"),
    ],
)
def test_static_files_are_hashed_and_compressed_in_production_only(debug, backend):
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])",
        DEBUG=debug,
        SECRET_KEY="x" * 60,
    )

    assert result.stdout.split()[-1] == backend, result.stderr


def test_make_serve_prepares_then_runs_gunicorn_with_debug_off():
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "serve"],  # noqa: S607 - make from PATH
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    # make run from make (the test command) adds "make[1]: Entering directory" lines.
    lines = [line for line in result.stdout.splitlines() if not line.startswith("make")]
    commands = [line for line in lines if "manage.py" in line]

    assert [command.split("manage.py ")[-1].split()[0] for command in commands] == [
        "migrate",
        "createcachetable",
        "collectstatic",
        "compilemessages",
    ]
    assert all(command.startswith("DEBUG=0 ") for command in commands)
    assert lines[-1] == "DEBUG=0 sh scripts/serve.sh"
    script = (ROOT / "scripts" / "serve.sh").read_text()
    assert "manage.py worker &" in script  # the worker beside the web server
    assert script.rstrip().endswith(".venv/bin/gunicorn --config deploy/gunicorn.conf.py")
