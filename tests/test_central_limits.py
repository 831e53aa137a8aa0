"""The central role under gunicorn with several workers: rate limits are counted in Redis, across processes."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid

import pytest

from .conftest import running_in_ci
from .sync_support import CentralServer, central_database_url, migrate

REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis():
    redis = pytest.importorskip("redis")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if running_in_ci():
            pytest.fail("Redis is unreachable at 127.0.0.1:6379 (CI=true: this run must not skip it)", pytrace=False)
        pytest.skip("Redis is unreachable at 127.0.0.1:6379")
    return client


def _enrol(base: str) -> int:
    request = urllib.request.Request(base + "/api/sync/enrol", data=json.dumps({"code": "WRONG"}).encode(),
                                     method="POST", headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # each request boots a worker
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_limits_hold_across_gunicorn_workers_with_redis(tmp_path):
    redis = _redis()
    prefix = f"hlm-test-{uuid.uuid4().hex[:8]}"
    url = central_database_url(tmp_path)
    migrate(url, tmp_path / "migrate")
    server = CentralServer(url, tmp_path / "central", workers=2, env={
        "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix, "SYNC_ENROL_RATE_LIMIT": "6 per hour"},
        # Each worker serves one request and is replaced: a count kept in a process would restart.
        # Per hour: on a loaded machine ten worker boots can take more than a minute.
        options=("--max-requests", "1"))
    server.start()
    try:
        statuses = [_enrol(server.base) for _ in range(10)]
    finally:
        server.stop()
    assert statuses == [403] * 6 + [429] * 4
    keys = redis.keys(f"*{prefix}*")
    assert keys, "the limit was not counted in Redis"
    redis.delete(*keys)
