from django.core.cache.backends.redis import RedisCacheClient

from lov_portal.core.redis_cache import ReusingRedisCache


def test_one_redis_client_per_connection_pool_not_one_per_call():
    backend = ReusingRedisCache("redis://127.0.0.1:6379/15", {"OPTIONS": {}})
    client = backend._cache.get_client("a")
    assert backend._cache.get_client("b") is client
    assert backend._cache.get_client("c", write=True) is client  # one server: one pool
    assert client.connection_pool is backend._cache._get_connection_pool(False)
    # Django's own client makes a new one every time (what this backend avoids).
    plain = RedisCacheClient(["redis://127.0.0.1:6379/15"])
    assert plain.get_client("a") is not plain.get_client("a")
