"""Where to send a person back to after a POST or a login step."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, target, *, default):
    """Return target when it is a path on this site (no other host, no scheme change on HTTPS),
    else default: a "next" parameter must never send anyone off-site."""
    if (
        target
        and target.startswith("/")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
