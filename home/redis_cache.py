"""Django's Redis cache backend, keeping one redis-py client per connection pool.

Django 5.2's `RedisCacheClient.get_client()` builds a new `redis.Redis` for every cache call
(`self._client(connection_pool=pool)`), and redis-py's constructor fills a table of ~170
response callbacks each time: measured with benchmarks/public_cpu.py, about an eighth of a
warm school home's CPU went into building the four clients of its four cache calls. The client
holds no state of its own beyond its pool and options (connections come from the pool), and
Django keeps one cache object per thread, so reusing it changes nothing else.
"""

from __future__ import annotations

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient


class RedisCacheClient(DjangoRedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # The pool lives as long as this object (Django's `_pools`), so its id is stable.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
