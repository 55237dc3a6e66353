"""The cache's Redis connection pool is shared by the threads of a process (ccs/cache.py)."""

from __future__ import annotations

import threading

from django.core.cache import caches

from ccs.cache import SharedPoolRedisCache


def _in_a_new_thread(function):
    found = {}

    def run():
        found["value"] = function()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return found["value"]


def test_each_thread_has_its_own_cache_object_but_all_share_one_connection_pool():
    # given the cache as two request threads see it
    here = caches["default"]
    there = _in_a_new_thread(lambda: caches["default"])

    # then
    assert isinstance(here, SharedPoolRedisCache)
    assert here is not there
    assert here._cache._get_connection_pool(True) is there._cache._get_connection_pool(True)


def test_a_value_written_in_one_thread_is_read_in_another():
    # given
    caches["default"].set("shared-pool-probe", {"n": 7}, 30)

    # when
    found = _in_a_new_thread(lambda: caches["default"].get("shared-pool-probe"))

    # then
    assert found == {"n": 7}
    caches["default"].delete("shared-pool-probe")


def test_requests_in_new_threads_do_not_open_new_connections():
    # given a pool that has served once
    pool = caches["default"]._cache._get_connection_pool(True)
    caches["default"].get("warm")
    made = pool._created_connections

    # when ten "requests" in ten threads each read the cache
    for _ in range(10):
        _in_a_new_thread(lambda: caches["default"].get("anything"))

    # then they reused the idle connection
    assert pool._created_connections == made
