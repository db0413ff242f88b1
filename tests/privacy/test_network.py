from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from privacy.network import client_ip


def request_from(remote_addr: str, forwarded_for: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    if forwarded_for is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return request


def test_it_ignores_x_forwarded_for_without_trusted_proxies(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_from("198.51.100.9", "6.6.6.6")) == "198.51.100.9"


def test_it_takes_the_address_the_trusted_proxy_saw(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("10.0.0.2", "203.0.113.7")) == "203.0.113.7"


def test_it_ignores_what_a_client_forged_in_front_of_the_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("10.0.0.2", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"


def test_it_counts_hops_from_the_right_with_two_proxies(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_from("10.0.0.3", "6.6.6.6, 203.0.113.7, 10.0.0.2")) == "203.0.113.7"


def test_it_uses_remote_addr_when_the_proxy_sent_no_header(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("203.0.113.7")) == "203.0.113.7"


def test_it_normalizes_ipv6_and_ipv4_mapped_addresses(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("10.0.0.2", "2001:DB8:0::1")) == "2001:db8::1"
    assert client_ip(request_from("10.0.0.2", "::ffff:203.0.113.7")) == "203.0.113.7"


@pytest.mark.parametrize("forwarded_for", ["not-an-ip", "", "203.0.113.7:443", "6.6.6.6, <script>"])
def test_it_returns_none_for_an_invalid_address(settings: Any, forwarded_for: str) -> None:
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_from("10.0.0.2", forwarded_for)) is None


def test_it_returns_none_for_an_invalid_remote_addr(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_from("unix-socket")) is None
