"""A small limit on requests that send e-mail (password reset links, address confirmations): at most
``LIMIT`` per ``WINDOW_S`` per e-mail address and per client address, counted in Django's cache.

Counted whether or not an account uses the address, so being limited reveals nothing about accounts.
The cache is the installation's ``shared`` one (settings.CACHES: Redis with ``REDIS_URL``, else files in
the data directory; never the process cache that holds health data), shared by every web process, so the
limit holds across gunicorn workers; the file cache's increment is not atomic between processes, so a
burst may count a few requests short.
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches
from django.http import HttpRequest

LIMIT = 5
WINDOW_S = 60 * 60


def client_address(request: HttpRequest) -> str:
    """The client's IP address as the server sees it (as django-axes counts it)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _key(kind: str, what: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]  # no address in the cache keys
    return f"yotsu:throttle:{kind}:{what}:{digest}"


def _count(key: str) -> int:
    cache = caches["shared"]
    if cache.add(key, 1, WINDOW_S):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_S)
        return 1


def allow(kind: str, request: HttpRequest, email: str) -> bool:
    """Count one ``kind`` request for ``email`` from this client; False once either is over the limit."""
    by_address = _count(_key(kind, "email", email)) if email else 0
    by_client = _count(_key(kind, "ip", client_address(request)))
    return by_address <= LIMIT and by_client <= LIMIT
