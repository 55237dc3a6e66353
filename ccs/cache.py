"""Django's Redis cache with one connection pool per process instead of one per thread.

Django keeps a cache object per thread, and each made its own redis-py pool. Under ASGI every request runs in a
thread of its own, so every request opened a new Redis connection (TCP connect and redis-py's handshake, which
reads the package metadata from disk) for the session and permission lookups. The pools here are shared by every
thread of the process (redis-py pools are thread-safe and reset themselves in a forked child)."""

from __future__ import annotations

import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

_pools: dict = {}
_pools_lock = threading.Lock()


class SharedPoolRedisCacheClient(RedisCacheClient):
    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        key = (self._servers[index], self._pool_class, repr(sorted(self._pool_options.items())))
        pool = _pools.get(key)
        if pool is None:
            with _pools_lock:
                pool = _pools.get(key)
                if pool is None:
                    pool = _pools[key] = self._pool_class.from_url(self._servers[index], **self._pool_options)
        return pool


class SharedPoolRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolRedisCacheClient
