"""The login rate limit counts per storage: per worker in memory, once for all on shared storage.

Each "worker" here is an app of its own, as each gunicorn worker builds one. On the default
memory:// storage each keeps its own counter; on a storage they share (RATELIMIT_STORAGE_URI)
they count together. The Redis test runs when Redis answers on 127.0.0.1:6379, else it skips.
"""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from flask import Flask
from limits.storage import MemoryStorage

from tests.conftest import build_app

GUESS = {"email": "pat@example.com", "password": "wrong guess"}
REDIS = "redis://127.0.0.1:6379/0"


class SharedMemoryStorage(MemoryStorage):
    """A memory storage every app configured with the same URI shares (one process, two apps)."""

    STORAGE_SCHEME = ["test-shared-memory"]
    _by_uri: dict[str, "SharedMemoryStorage"] = {}

    def __new__(cls, uri: str, **_options: Any) -> "SharedMemoryStorage":
        if uri not in cls._by_uri:
            cls._by_uri[uri] = super().__new__(cls)
        return cls._by_uri[uri]

    def __init__(self, uri: str, **options: Any) -> None:
        if not hasattr(self, "storage"):  # the first app made it; later ones reuse it as is
            super().__init__(uri, **options)


@pytest.fixture
def workers(database_url: str, request: pytest.FixtureRequest) -> Iterator[tuple[Flask, Flask]]:
    """Two apps on one database and the storage URI the test names (indirect parameter)."""
    settings = {"RATELIMIT_STORAGE_URI": request.param, "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex}
    apps = build_app(database_url, **settings), build_app(database_url, **settings)
    yield apps
    for app in apps:
        app.extensions["learnpath.engine"].dispose()


def _codes(app: Flask, tries: int) -> list[int]:
    browser = app.test_client()
    return [browser.post("/auth/login", data=GUESS).status_code for _ in range(tries)]


def _redis_is_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.mark.parametrize("workers", ["memory://"], indirect=True)
def test_in_memory_each_worker_counts_alone(workers: tuple[Flask, Flask]) -> None:
    first, second = workers
    assert _codes(first, 11)[10] == 429
    assert _codes(second, 1) == [200]  # another worker lets the same address try again


@pytest.mark.parametrize("workers", [f"test-shared-memory://{uuid.uuid4().hex}"], indirect=True)
def test_workers_on_one_storage_share_the_counter(workers: tuple[Flask, Flask]) -> None:
    first, second = workers
    assert _codes(first, 6) == [200] * 6
    assert _codes(second, 5) == [200] * 4 + [429]  # 6 + 4 = 10 tries a minute, then refused


@pytest.mark.skipif(not _redis_is_up(), reason="no Redis on 127.0.0.1:6379")
@pytest.mark.parametrize("workers", [REDIS], indirect=True)
def test_workers_on_redis_share_the_counter(workers: tuple[Flask, Flask]) -> None:
    first, second = workers
    assert _codes(first, 6) == [200] * 6
    assert _codes(second, 5) == [200] * 4 + [429]
