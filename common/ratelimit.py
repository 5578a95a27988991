"""Counting requests per client or per address in a time window, in the shared cache.

One rule for every public form that a script could hammer (the contact form, the password
reset): the key is a keyed hash of what is counted, so the cache holds no IP or e-mail
addresses; when the cache cannot be reached the request is let through and a warning
logged (the other defences still hold, and a person's request matters more than a filter).
"""

import logging

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from .net import client_ip

logger = logging.getLogger(__name__)


def rate_limit_exceeded(
    *, scope: str, identity: str, limit: int, window: int, cost: int = 1
) -> bool:
    """Count `cost` more (one request; an event registration counts its places) for
    `identity` under `scope`; True when over `limit` in the current `window` (seconds).
    A limit of 0 switches the check off."""
    if not limit:
        return False
    key = f"{scope}:{salted_hmac(scope, identity).hexdigest()}"
    try:
        return _count(key, window, cost) > limit
    except Exception as error:  # any failure of the cache backend: refused, timed out, …
        # The exception's type only: its text may name hosts, and no client data is logged.
        logger.warning(
            "The %s rate limit skipped: the cache is unavailable (%s)", scope, type(error).__name__
        )
        return False


def client_over_limit(
    request: HttpRequest, *, scope: str, limit: int, window: int, cost: int = 1
) -> bool:
    """`rate_limit_exceeded` for the client's address (`common.net.client_ip`, which honours
    PROXY_COUNT): the per-connection limit of a public form."""
    return rate_limit_exceeded(
        scope=scope, identity=client_ip(request) or "", limit=limit, window=window, cost=cost
    )


def _count(key: str, window: int, cost: int) -> int:
    """Add `cost` to the count under `key` in the current window; the count so far."""
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_count(backend, key, window, cost)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key, cost)
    except ValueError:  # expired between add and incr
        cache.set(key, cost, timeout=window)
        return cost


# Add to the count and give it the window's expiry unless it has one, atomically on the
# server: a key that expired a moment before is created again by INCRBY, and a key written
# by anything else without a timeout gets one, so a count never outlives its window (which
# would lock a client out for good). A script rather than EXPIRE NX, which needs Redis 7:
# on an older server the command would fail and the limit be skipped on every request.
_COUNT_SCRIPT = """
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('TTL', KEYS[1]) < 0 then
    redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return count
"""


def _redis_count(backend: RedisCache, key: str, window: int, cost: int) -> int:
    """The same count in one round trip to Redis (issue 16), where Django's add and incr
    take three (SET NX, EXISTS, INCRBY). The value stays an integer that `cache.get`
    reads."""
    redis_key = backend.make_and_validate_key(key)
    # The backend's own client for this key (Django has no public call for a script).
    client = backend._cache.get_client(redis_key, write=True)  # type: ignore[attr-defined]
    return int(client.eval(_COUNT_SCRIPT, 1, redis_key, cost, window))
