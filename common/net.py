"""The client's address: one rule for the contact form's rate limit, the audit trail and
django-axes (`AXES_CLIENT_IP_CALLABLE`), so all three see the same person.

`PROXY_COUNT` says how many reverse proxies of ours stand in front of the portal. Each of
them appends the address it was connected from to `X-Forwarded-For`, so the header reads
"what the client claimed, …, what proxy 1 saw, …, what proxy N saw" and only the last N
entries were written by us. The client is therefore the N-th entry from the right; anything
to the left of it came from the client and is never read, so a forged header changes
nothing. With `PROXY_COUNT = 0` the header is not read at all: `REMOTE_ADDR` is the client.

When the header has fewer than N entries, every entry in it was written by one of our
proxies (the request skipped the outer ones, e.g. a health check sent to the inner proxy),
and the leftmost is the furthest address our proxies saw: the best there is. With no header
at all the request reached the application server directly, and `REMOTE_ADDR` is the peer.

The chosen entry must be an IP address (`ipaddress`); anything else means the proxies are
not set up as `PROXY_COUNT` says, and the answer is None rather than a guess, since the
proxy's own address in `REMOTE_ADDR` would lump every client together. IPv4-mapped IPv6
addresses (`::ffff:192.0.2.1`) come back as IPv4, so one client gets one spelling.

django-ipware (python-ipware) was looked at and not used: its `proxy_count` counts only the
proxies listed in the header (one less than ours), its lenient mode drops entries that are
not addresses, which moves the client's own entries into the trusted position, and its
strict mode gives up as soon as a client sends a header of its own.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    """The client's IP address as our reverse proxies saw it, or None if there is none."""
    if request is None:
        return None
    meta = request.META
    proxies = max(settings.PROXY_COUNT, 0)
    if proxies:
        forwarded = [entry.strip() for entry in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [entry for entry in forwarded if entry]
        if forwarded:
            return ip_normalised(forwarded[-min(proxies, len(forwarded))])
    return ip_normalised(meta.get("REMOTE_ADDR", ""))


def ip_normalised(text: str) -> str | None:
    """`text` as a canonical IP address string, or None if it is not an IP address."""
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)
