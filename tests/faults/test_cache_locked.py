"""The embedded mode's shared cache (diskcache) locked by another process: rate limits fail closed.

diskcache answers a write that waited DATABASE_TIMEOUT on a locked store with
``incr`` → None and ``add`` → False. The limits must read that as "not counted"
and refuse (503, "try again shortly"), never as a pass; and the request must not
hang on the lock. Here the test process holds every shard of the cache's SQLite
store in a write transaction while a reader signs up and comments.
"""

import sqlite3
import time

import pytest

from khabar.identity.limits import UNAVAILABLE

from tests.faults.conftest import FaultSite, postgres_run


@pytest.mark.skipif(bool(postgres_run()), reason="the embedded cache needs no database: runs in the SQLite run")
def test_a_locked_cache_refuses_writes_clearly_and_soon(template, tmp_path, smtp):
    site = FaultSite(template, tmp_path, smtp.port, KHABAR_TASKS_BACKEND="immediate", KHABAR_COMMENTS_FLOOD_SECONDS=0)
    site.serve(workers=1)
    try:
        assert site.sign_up("before@example.org")[0] == 302  # the store exists and counts
        shards = sorted((site.data_dir / "cache" / "default").glob("*/cache.db"))
        assert shards, "diskcache's shard files"
        locks = [sqlite3.connect(shard, isolation_level=None, timeout=5) for shard in shards]
        for lock in locks:
            lock.execute("BEGIN IMMEDIATE")  # another process writing: nobody else may write now
        try:
            started = time.monotonic()
            status, headers, text = site.sign_up("locked@example.org")
            took = time.monotonic() - started
            assert status == 503 and UNAVAILABLE in text and int(headers["Retry-After"]) > 0
            assert took < 10, f"the request waited {took:.1f} s on the locked cache"
            status, _, text = site.comment("تعليق والمخزن مقفل", email="locked@example.org")
            assert status == 503 and UNAVAILABLE in text and "تعليق والمخزن مقفل" in text
        finally:
            for lock in locks:
                lock.rollback()
                lock.close()
        assert site.query("SELECT email FROM newsletter_subscriber WHERE email = 'locked@example.org'") == []
        assert site.comments_with("والمخزن مقفل") == []
        assert site.sign_up("locked@example.org")[0] == 302, "counted again once the lock is gone"
        print(f"\ncache locked: 2 writes refused with 503 (the sign-up in {took:.1f} s), 0 let through")
    finally:
        site.stop()
