"""Which address a request is counted under, with and without a reverse proxy."""

from __future__ import annotations

from django.http import HttpRequest
from django.test import RequestFactory

from medvirk.core.clientip import client_address, client_network


def _request(**meta: str) -> HttpRequest:
    request = RequestFactory().get("/svar/")
    request.META.update(meta)
    return request


def test_without_a_proxy_header_setting_the_connection_address_counts(settings):
    settings.MEDVIRK_CLIENT_IP_HEADER = ""
    request = _request(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_address(request) == "198.51.100.7"


def test_a_visitor_cannot_choose_their_address_by_sending_x_forwarded_for(settings):
    settings.MEDVIRK_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    # The visitor sent "203.0.113.9"; the proxy appended the address it really saw.
    request = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert client_address(request) == "198.51.100.7"


def test_the_proxy_set_single_address_header_is_used(settings):
    settings.MEDVIRK_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="198.51.100.7")
    assert client_address(request) == "198.51.100.7"


def test_a_header_that_is_not_an_address_falls_back_to_the_connection(settings):
    settings.MEDVIRK_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = _request(REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP="<script>")
    assert client_address(request) == "10.0.0.2"


def test_a_missing_header_falls_back_to_the_connection(settings):
    settings.MEDVIRK_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    assert client_address(_request(REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_ipv6_addresses_of_one_subscriber_count_together():
    assert client_network("2001:db8:1:2::1") == client_network("2001:db8:1:2:ffff::9")


def test_ipv6_addresses_of_different_subscribers_count_apart():
    assert client_network("2001:db8:1:2::1") != client_network("2001:db8:1:3::1")


def test_an_ipv4_address_counts_on_its_own():
    assert client_network("198.51.100.7") != client_network("198.51.100.8")


def test_an_ipv4_mapped_ipv6_address_counts_as_the_ipv4_address():
    assert client_network("::ffff:198.51.100.7") == "198.51.100.7"
