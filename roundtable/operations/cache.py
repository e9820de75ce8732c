"""The portal's Redis cache: Django's, with two changes.

- A Redis that is away is a miss: reads give the default, writes are dropped and logged.
  The cache only ever holds what can be made again (rendered pages and fragments); a page
  must not fail because its cache is away.
- One Redis client per connection pool, not one per call: building a ``redis.Redis``
  (its table of response callbacks) cost ~0.4 ms per page, a quarter of a cached page
  (measured with ``python -m bench list-page``, docs/benchmarks.md).
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:  # redis.Redis is thread-safe: it takes a connection per command
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


def _fail_open(method, fallback):
    """``method``, answering with ``fallback(*args)`` when Redis cannot be reached."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError:
            log.warning("cache: %s failed, Redis is not reachable", method.__name__, exc_info=True)
            return fallback(*args, **kwargs)

    return wrapper


def _nothing(*args, **kwargs):
    return None


class FailOpenRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient

    get = _fail_open(RedisCache.get, lambda key, default=None, version=None: default)
    get_many = _fail_open(RedisCache.get_many, lambda *args, **kwargs: {})
    add = _fail_open(RedisCache.add, lambda *args, **kwargs: False)
    set = _fail_open(RedisCache.set, _nothing)
    delete = _fail_open(RedisCache.delete, lambda *args, **kwargs: False)
    set_many = _fail_open(RedisCache.set_many, lambda *args, **kwargs: [])
    delete_many = _fail_open(RedisCache.delete_many, _nothing)
    # a rate limit's counter (django-ratelimit): None means "unknown", and it fails open
    incr = _fail_open(RedisCache.incr, _nothing)
