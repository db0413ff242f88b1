"""Rate limits: DRF's sliding window, every limit of a request counted in one Redis round trip, failing open."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.core.cache import caches
from django.test import RequestFactory

from backend.api.throttles import FailOpen, count_requests
from tests.petitions.test_redis_down import cache_at, closed_port

LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


class Clock:
    now = 1_000_000.0


class PerClient(FailOpen):
    scope = "test_client"
    rate = "2/min"
    timer = staticmethod(lambda: Clock.now)

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.META["REMOTE_ADDR"]}


class PerClientHourly(PerClient):
    scope = "test_client_hourly"
    rate = "5/hour"


@pytest.fixture(params=["redis", "local memory"])
def cache_kind(request: Any, settings: Any) -> Iterator[str]:
    saved = settings.CACHES
    if request.param == "redis" and not saved["default"]["BACKEND"].endswith("RedisCache"):
        pytest.skip("the tests run on the local-memory cache (TOWNHALL_TEST_SQLITE=1)")
    if request.param == "local memory":
        settings.CACHES = LOCAL_MEMORY
        caches["default"].clear()  # this process's, shared by every test that uses it
    yield str(request.param)
    settings.CACHES = saved  # before the suite's teardown cleans this test's keys out of Redis


@pytest.fixture
def redis_commands(settings: Any, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    if not settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        pytest.skip("the tests run on the local-memory cache (TOWNHALL_TEST_SQLITE=1)")
    sent: list[str] = []
    execute = redis.Redis.execute_command

    def counted(client: redis.Redis, *args: Any, **options: Any) -> Any:
        sent.append(args[0])
        return execute(client, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", counted)
    return sent


def at(seconds: float, *throttles: FailOpen, ip: str = "203.0.113.7") -> list[bool]:
    Clock.now = 1_000_000.0 + seconds
    return count_requests(RequestFactory().get("/", REMOTE_ADDR=ip), None, list(throttles))


def test_it_refuses_past_the_rate_and_counts_only_the_requests_it_lets_through(cache_kind: str) -> None:
    answers = [at(0, PerClient()), at(10, PerClient())]
    refused = PerClient()
    answers.append(at(20, refused))
    wait_then = refused.wait()
    answers.append(at(61, PerClient()))  # the first has left the window; the refused one never entered it
    refused_again = PerClient()
    answers.append(at(62, refused_again))

    assert answers == [[True], [True], [False], [True], [False]]
    assert wait_then == pytest.approx(40.0)  # DRF's advice: until the oldest leaves the window
    assert refused_again.wait() == pytest.approx(8.0)
    assert at(62, PerClient(), ip="198.51.100.1") == [True]  # another client has a window of its own


def test_it_counts_the_request_against_every_limit_even_when_one_refuses(cache_kind: str) -> None:
    first = at(0, PerClient(), PerClientHourly())
    second = at(1, PerClient(), PerClientHourly())
    third = at(2, PerClient(), PerClientHourly())
    hourly = PerClientHourly()
    fourth = at(3, hourly)

    assert (first, second, third, fourth) == ([True, True], [True, True], [False, True], [True])
    assert hourly.window_count == 4


def test_it_counts_every_limit_of_a_request_in_one_command(redis_commands: list[str]) -> None:
    at(0, PerClient())  # Redis learns the script (EVALSHA, then EVAL) the first time after it starts
    redis_commands.clear()

    answers = at(1, PerClient(), PerClientHourly())

    assert (answers, redis_commands) == ([True, True], ["EVALSHA"])


def test_it_lets_requests_through_when_redis_is_down_and_tries_once_per_request(
    redis_commands: list[str], settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="backend.api.throttles")
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")

    with cache_at(settings, f"redis://127.0.0.1:{closed_port()}/0"):
        first = count_requests(request, None, [PerClient(), PerClientHourly()])
        later = count_requests(request, None, [PerClient()])  # another limit of the same request

    assert (first, later) == ([True, True], [True])
    assert redis_commands == ["EVALSHA"]
    assert "test_client, test_client_hourly: cache unreachable, letting the request through" in caplog.text
