"""Split a link inventory into chunks whose hosts do not overlap.

Per-host politeness (concurrency and interval per host) is enforced by the
engine inside one process. Keeping every URL of a host in one chunk means
the limits hold however many workers run chunks at the same time.
"""

from __future__ import annotations

from collections.abc import Iterable

from linkcheck.urls import host_of


def host_key(url: str) -> str:
    """The politeness key of a URL: its host name, lower case, port ignored
    (two ports of one host are one server to be polite to)."""
    return host_of(url) or url


def _hosts_biggest_first(urls: Iterable[str]) -> list[list[str]]:
    """The distinct URLs grouped by host (first-seen order within a host), the
    hosts with most URLs first, ties by host name: deterministic packing input."""
    by_host: dict[str, list[str]] = {}
    for url in dict.fromkeys(urls):
        by_host.setdefault(host_key(url), []).append(url)
    return [group for _host, group in sorted(by_host.items(), key=lambda kv: (-len(kv[1]), kv[0]))]


def chunk_urls(urls: Iterable[str], max_size: int) -> list[list[str]]:
    """Host-disjoint chunks of at most ``max_size`` URLs.

    A host with more than ``max_size`` URLs gets a chunk of its own (it cannot
    be split without breaking politeness). Smaller hosts are packed first-fit
    decreasing, so there are few chunks and each is close to full. The result
    is deterministic: same inventory, same chunks, same order.
    """
    if max_size < 1:
        raise ValueError(f"chunk size must be at least 1, got {max_size}")
    chunks: list[list[str]] = []
    for group in _hosts_biggest_first(urls):
        if len(group) >= max_size:
            chunks.append(sorted(group))
            continue
        for chunk in chunks:
            if len(chunk) + len(group) <= max_size:
                chunk.extend(group)
                break
        else:
            chunks.append(list(group))
    return [sorted(c) for c in chunks]


def split_by_host(urls: Iterable[str], parts: int) -> list[list[str]]:
    """At most ``parts`` host-disjoint shares of about equal size (in URLs), for
    processes that run side by side. Each host goes whole to the share that is
    smallest so far, biggest hosts first; URLs keep their input order within a share.
    There are never more shares than hosts."""
    if parts < 1:
        raise ValueError(f"parts must be at least 1, got {parts}")
    position = {url: i for i, url in enumerate(dict.fromkeys(urls))}
    groups = _hosts_biggest_first(position)
    shares: list[list[str]] = [[] for _ in range(min(parts, len(groups)))]
    for group in groups:
        min(shares, key=len).extend(group)
    return [sorted(share, key=position.__getitem__) for share in shares]
