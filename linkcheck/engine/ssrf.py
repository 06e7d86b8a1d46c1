"""SSRF guard: never let a page on the open web make the checker call into a
private network. Checked on the URL's literal host (every hop, redirects
included) and on every address the client is about to connect to (after DNS,
``client.Session``), so a public name pointing at 10.0.0.1 or 127.0.0.1 is refused too.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Collection

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def is_blocked_ip(ip: IPAddress) -> bool:
    """Private, loopback, link-local, CGNAT, multicast, reserved, unspecified: anything not global."""
    if isinstance(ip, ipaddress.IPv6Address):
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
