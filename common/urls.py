"""Links that leave the portal: in e-mail, nobody's browser knows which site a path is on."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (from `reverse()`) on the portal's public address, `PORTAL_URL`.

    Mail is composed in a service or a management command and sent later by the outbox,
    so there is no request to take the host from; and a host from a request would be
    whatever the client put in its Host header. One setting, checked at startup
    (`common.checks`), gives every mail the same https address.
    """
    if not path.startswith("/"):
        raise ValueError(f"absolute_url wants a path from reverse(), got {path!r}")
    return settings.PORTAL_URL.rstrip("/") + path
