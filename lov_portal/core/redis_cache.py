"""Django's Redis cache backend, with one redis-py client per connection pool, answering what
the request has read already.

Django's RedisCacheClient builds a new `redis.Redis` for every cache call; redis-py 6+ fills a
~170-entry response-callback table in each constructor, which cost about 0.1 ms per call,
a fifth of a cached page's time (docs/benchmarks.md). A `redis.Redis` over a connection pool is
thread-safe and holds no connection itself, so one per pool is enough.

`get` first asks the request's reads (`lov_portal.core.cache.request_cached`): a view that
knows its `{% cache %}` fragments' keys reads them all in one MGET (`request_prefetch`) and the
template tags, which call `get` one by one, find them there.
"""

from __future__ import annotations

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def get(self, key, default=None, version=None):
        if version is None:
            from lov_portal.core.cache import request_cached

            known, value = request_cached(key)
            if known:
                return default if value is None else value
        return super().get(key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        from lov_portal.core.cache import request_cached

        request_cached(key)  # what the request read before is no longer what is stored
        super().set(key, value, timeout, version)

    def delete(self, key, version=None):
        from lov_portal.core.cache import request_cached

        request_cached(key)
        return super().delete(key, version)
