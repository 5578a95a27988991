"""What the log holds: one JSON line per request with request id, user id, method, path,
status and duration; errors with their stack trace; never a query string, a name, an
e-mail or an IP address. Read from the handler the settings configure, as a server's
stdout would show it."""

import io
import json
import logging
import re

import pytest
from django.test import Client

from common.logs import TextFormatter, scrub
from tests.factories import CoordinatorFactory
from tests.test_project import manage

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """The lines the configured console handler writes during the test, parsed."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        handler.setStream(previous)


def access_records(records):
    return [record for record in records if record["logger"] == "remigration.request"]


def test_a_request_logs_one_json_record_with_its_fields(client, log_lines):
    response = client.get("/dod-zinu/")

    [record] = access_records(log_lines())
    assert record["level"] == "INFO"
    assert record["method"] == "GET"
    assert record["path"] == "/dod-zinu/"
    assert record["status"] == 200
    assert isinstance(record["duration_ms"], float) and record["duration_ms"] > 0
    assert record["request_id"] == response["X-Request-ID"]
    assert len(record["request_id"]) == 32
    assert "user_id" not in record  # anonymous
    assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", record["time"])


def test_the_record_names_the_user_by_id_only(client, log_lines):
    user = CoordinatorFactory(first_name="Ģirts", last_name="Ķēniņš", email="g@example.com")
    client.force_login(user)

    client.get("/")

    [record] = access_records(log_lines())
    assert record["user_id"] == user.pk
    text = json.dumps(log_lines(), ensure_ascii=False)
    assert "Ģirts" not in text and "g@example.com" not in text and user.username not in text


def test_query_string_stays_out_of_the_log(client, log_lines):
    client.get("/dod-zinu/", {"q": "Ķēniņš", "email": "a@b.lv"})

    records = log_lines()
    [record] = access_records(records)
    assert record["path"] == "/dod-zinu/"
    text = json.dumps(records, ensure_ascii=False) + json.dumps(records)
    for secret in ("Ķēniņš", "a@b.lv", "email=", "q=", "\\u0136"):
        assert secret not in text


@pytest.mark.parametrize(
    "path",
    ["/account/password-reset/MQ/set-password/", "/en/account/two-factor/enrol/abc.def-ghi/"],
)
def test_a_link_with_a_secret_is_logged_by_its_route(client, log_lines, path):
    """An unused password-reset or enrolment link in the log would be a way in."""
    client.get(path)

    [record] = access_records(log_lines())
    assert "<" in record["path"] and "token>" in record["path"], record["path"]
    text = json.dumps(log_lines())
    assert "set-password" not in text and "abc.def-ghi" not in text


def test_client_address_stays_out_of_the_log(client, log_lines):
    client.get("/dod-zinu/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.9")

    text = json.dumps(log_lines())
    assert "203.0.113.7" not in text and "198.51.100.9" not in text


def test_a_proxys_request_id_is_kept_and_a_strange_one_replaced(client, log_lines):
    kept = client.get("/dod-zinu/", HTTP_X_REQUEST_ID="c0ffee00-1234-5678-9abc-def012345678")
    replaced = client.get("/dod-zinu/", HTTP_X_REQUEST_ID='"><script>alert(1)</script>')

    assert kept["X-Request-ID"] == "c0ffee00-1234-5678-9abc-def012345678"
    assert replaced["X-Request-ID"] != '"><script>alert(1)</script>'
    assert [r["request_id"] for r in access_records(log_lines())] == [
        kept["X-Request-ID"],
        replaced["X-Request-ID"],
    ]


@pytest.mark.urls("tests.error_urls")
def test_an_exception_logs_its_stack_trace_with_the_request_id(log_lines):
    client = Client(raise_request_exception=False)

    response = client.get("/boom/", {"email": "a@b.lv"})

    assert response.status_code == 500
    records = log_lines()
    [error] = [record for record in records if record["level"] == "ERROR"]
    assert error["logger"] == "django.request"
    assert error["message"] == "Internal Server Error: /boom/"
    assert "Traceback (most recent call last)" in error["exc_info"]
    assert 'in boom\n    raise ValueError("no returnee' in error["exc_info"]
    # The exception's message quoted an address: blanked, in the trace and everywhere else.
    assert "ValueError: no returnee [email] from [ip]" in error["exc_info"]
    assert error["request_id"] == response["X-Request-ID"]
    [access] = access_records(records)
    assert access["status"] == 500 and access["request_id"] == error["request_id"]
    text = json.dumps(records)
    assert "girts.kenins" not in text and "10.1.2.3" not in text and "a@b.lv" not in text
    assert "WSGIRequest" not in text  # Django's `request` extra, whose repr has the query


def test_scrub_blanks_addresses_and_leaves_times_and_versions():
    assert scrub("from 10.1.2.3:8000 and [2001:db8::1] at 12:30:45.5, v1.2") == (
        "from [ip]:8000 and [[ip]] at 12:30:45.5, v1.2"
    )
    assert scrub("Key (email)=(a.b+c@example.co.uk) exists") == "Key (email)=([email]) exists"
    assert scrub("Listening at: http://127.0.0.1:8000, [::1]:8000, 0.0.0.0:80") == (
        "Listening at: http://127.0.0.1:8000, [::1]:8000, 0.0.0.0:80"
    )


def test_text_format_for_development_is_scrubbed_too():
    record = logging.makeLogRecord(
        {"name": "x", "levelname": "WARNING", "msg": "mail to %s failed", "args": ("a@b.lv",)}
    )

    line = TextFormatter().format(record)

    assert line.endswith("WARNING x [-] mail to [email] failed")


@pytest.mark.parametrize(("debug", "expected"), [("0", "json"), ("1", "text")])
def test_log_format_defaults_to_json_in_production_and_text_in_debug(debug, expected):
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.LOGGING['handlers']['console']"
        "['formatter'])",
        DEBUG=debug,
        SECRET_KEY="x" * 60,
    )

    assert result.stdout.split()[-1] == expected, result.stderr
