"""The visitor's address, as the reverse proxy saw it, for throttling (never for storing).

Behind a proxy every connection comes from the proxy, so the visitor's address has to come
from a header the proxy writes (``MEDVIRK_CLIENT_IP_HEADER``, as Django names it). With
``X-Forwarded-For`` the proxy *appends* the address it saw to whatever the visitor sent, so
only the last element is the proxy's word; the ones before it are the visitor's own and can
be anything. Taking the first would let an attacker choose the address every guess is
counted under. A header value that is not an address (or a missing header, when a request
reaches the application without the proxy) falls back to the connection's address.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# An IPv6 subscriber usually gets a whole /64; counting per address there would give an
# attacker 2**64 fresh addresses.
IPV6_PREFIX = 64


def client_address(request: HttpRequest) -> str:
    """The address the proxy set (the last element of a list), or the connection's."""
    direct = str(request.META.get("REMOTE_ADDR", ""))
    header = settings.MEDVIRK_CLIENT_IP_HEADER
    if not header:
        return direct
    raw = str(request.META.get(header, ""))
    last = raw.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return direct


def client_network(address: str) -> str:
    """What to count an address under: an IPv4 address itself, an IPv6 address's /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_PREFIX}", strict=False))
    return str(parsed)
