"""Error reports to Sentry: off without SENTRY_DSN (sentry-sdk is not even imported), and
with it nothing personal in an event."""

import pytest

from common.sentry import event_scrubbed
from tests.test_project import manage

SHOW_CLIENT = (
    "import sys; print('sentry_sdk' in sys.modules);"
    "import sentry_sdk; o = sentry_sdk.get_client().options;"
    "print(o['dsn'], o['send_default_pii'], o['max_request_body_size'],"
    " o['include_local_variables'], getattr(o['before_send'], '__name__', None))"
)


def test_without_a_dsn_sentry_is_not_imported():
    result = manage("shell", "--no-imports", "-c", SHOW_CLIENT, DEBUG="0", SECRET_KEY="x" * 60)

    imported, options = result.stdout.splitlines()[-2:]
    assert imported == "False", result.stderr
    assert options.split()[0] == "None"  # imported by the probe itself: no client, no DSN


def test_with_a_dsn_sentry_starts_without_personal_data():
    pytest.importorskip("sentry_sdk")
    dsn = "https://public@127.0.0.1:1/1"  # nothing listens: no event is sent anyway

    result = manage(
        "shell", "--no-imports", "-c", SHOW_CLIENT, DEBUG="0", SECRET_KEY="x" * 60, SENTRY_DSN=dsn
    )

    imported, options = result.stdout.splitlines()[-2:]
    assert imported == "True", result.stderr
    assert options.split() == [dsn, "False", "never", "False", "event_scrubbed"]


def test_event_loses_user_details_request_body_headers_and_query():
    event = {
        "user": {"id": 7, "email": "a@b.lv", "ip_address": "203.0.113.7", "username": "kurzeme"},
        "request": {
            "method": "POST",
            "url": "https://portal.example.lv/dod-zinu/?email=a@b.lv",
            "query_string": "email=a@b.lv",
            "data": {"first_name": "Ģirts"},
            "cookies": {"sessionid": "abc"},
            "headers": {"X-Forwarded-For": "203.0.113.7"},
            "env": {"REMOTE_ADDR": "203.0.113.7"},
        },
        "server_name": "web-1.internal",
        "exception": {"values": [{"type": "ValueError", "value": "no returnee a@b.lv"}]},
        "breadcrumbs": {"values": [{"message": "login from 203.0.113.7"}]},
    }

    scrubbed = event_scrubbed(event, hint={})

    assert scrubbed["user"] == {"id": 7}
    assert scrubbed["request"] == {"method": "POST", "url": "https://portal.example.lv/dod-zinu/"}
    assert "server_name" not in scrubbed
    assert scrubbed["exception"]["values"][0]["value"] == "no returnee [email]"
    assert scrubbed["breadcrumbs"]["values"][0]["message"] == "login from [ip]"


def test_event_without_user_or_request_passes():
    assert event_scrubbed({"message": "x"}) == {"message": "x"}
