"""home/redis_cache.py: Django's Redis backend, keeping one redis-py client per pool."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.test import override_settings

# Nothing listens on port 1: getting a client opens no connection, and a command fails.
DEAD_REDIS = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "redis": {"BACKEND": "home.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
}


@override_settings(CACHES=DEAD_REDIS)
def test_one_client_per_pool_is_reused():
    backend = caches["redis"]._cache
    first = backend.get_client("a")
    assert backend.get_client("b") is first
    assert backend.get_client("c", write=True) is first  # a single server: one pool
    assert first.connection_pool is backend._get_connection_pool(False)


@override_settings(CACHES=DEAD_REDIS)
def test_a_dead_redis_still_raises_as_django_s_backend_does():
    from redis.exceptions import ConnectionError

    with pytest.raises(ConnectionError):
        caches["redis"].get("x")
