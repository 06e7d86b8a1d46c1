"""SSRF guard: never let a page on the open web make the checker call into a
private network. Checked on the URL's literal host (every hop, redirects
included) and on every address the client is about to connect to (after DNS,
``client.Session``), so a public name pointing at 10.0.0.1 or 127.0.0.1 is refused too.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 forms that carry an IPv4 address in their last 32 bits: judged by that address.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052 well-known NAT64 prefix
# Refused whatever they embed: local-use NAT64 (RFC 8215), the deprecated IPv4-compatible
# form (::a.b.c.d) and site-local addresses (fec0::/10), all of which can reach inside.
_DENIED_V6 = (
    ipaddress.IPv6Network("64:ff9b:1::/48"),
    ipaddress.IPv6Network("::/96"),
    ipaddress.IPv6Network("fec0::/10"),
)


def parse_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def is_blocked_ip(ip: IPAddress) -> bool:
    """Private, loopback, link-local, CGNAT, multicast, reserved, unspecified: anything not global."""
    if isinstance(ip, ipaddress.IPv6Address):
        if any(ip in net for net in _DENIED_V6):
            return True
        if ip in _NAT64:
            return is_blocked_ip(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if ip.teredo is not None:
            return True  # a tunnel to wherever its client field says: never needed for a link
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return is_blocked_ip(mapped)
    return not ip.is_global or ip.is_multicast


def blocked_host(host: str, exempt: Collection[str] = ()) -> bool:
    """True when ``host`` is an IP literal in a refused range (names are checked at DNS time)."""
    if host in exempt:
        return False
    ip = parse_ip(host)
    return ip is not None and is_blocked_ip(ip)
