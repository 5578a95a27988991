"""Error reports to Sentry (or GlitchTip, which speaks the same protocol), only when
SENTRY_DSN is set: settings call `sentry_init`, and sentry-sdk is imported only then.

A report holds the stack trace, the URL path and the user's id, nothing a person typed:
no request bodies, cookies, headers or query strings, no e-mail, IP address or login name
of the user. `send_default_pii=False` and `max_request_body_size="never"` are Sentry's own
switches for that; `event_scrubbed` removes what an integration could still attach, and
the exception messages and log lines in the report are scrubbed of e-mail and IP addresses
like the log is (common.logs).
"""

from .logs import scrub

# Parts of the request Sentry may keep; everything else (data, cookies, headers,
# query_string, env) is dropped.
REQUEST_KEPT = {"method", "url"}


def _scrubbed(value):
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {key: _scrubbed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    return value


def event_scrubbed(event, hint=None):
    """Sentry's `before_send` (and `before_send_transaction`): the event without personal data."""
    request = event.get("request")
    if isinstance(request, dict):
        kept = {key: value for key, value in request.items() if key in REQUEST_KEPT}
        if "url" in kept:
            kept["url"] = kept["url"].split("?", 1)[0]
        event["request"] = kept
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if user.get("id") is not None else {}
    event.pop("server_name", None)  # the host's name is no business of the report's reader
    for part in ("exception", "logentry", "message", "breadcrumbs", "extra"):
        if part in event:
            event[part] = _scrubbed(event[part])
    return event


def sentry_init(dsn, environment="production", release=None):
    import sentry_sdk  # the optional extra: `pip install -e ".[sentry]"`

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,  # a frame's variables can hold a person's data
        before_send=event_scrubbed,
        before_send_transaction=event_scrubbed,
        traces_sample_rate=0,
    )
