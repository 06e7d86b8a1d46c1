"""Small facts about URLs that several stages need, computed one way."""

from __future__ import annotations

import re
import socket
from urllib.parse import urlsplit

# scheme://host[:port] then the path, query, fragment or the end, with a plain ASCII host:
# what urlsplit would say, read in a third of the time (chunking reads every URL of a run)
_PLAIN_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([A-Za-z0-9._-]*)(?::[0-9]*)?(?:[/?#]|\Z)")


def host_of(url: str) -> str | None:
    """The URL's host name in lower case, "" when it has none, None when it cannot be parsed."""
    plain = _PLAIN_HOST.match(url)
    if plain is not None:
        return plain.group(1).lower()
    try:
        return urlsplit(url).hostname or ""  # .hostname is already lower case
    except ValueError:
        return None


# Schemes of files on the author's own machine or a network share: nobody else can open them.
LOCAL_FILE_SCHEMES = frozenset({"file", "smb", "cifs", "nfs", "afp", "sftp", "ssh", "scp"})
_HOST_CHARS = re.compile(r"[a-z0-9_-]+")  # letters, digits, hyphen; underscore is resolvable in practice


def non_web_reason(url: str, scheme: str) -> str:
    """The reason code of a link that is not http(s): ``local_file`` for a file on someone's
    computer or network (``file:``, ``smb:``, a Windows drive ``C:\\`` or share ``\\\\server``),
    ``unsupported_scheme`` for anything else (``ftp:``, a typo such as ``htps:``)."""
    scheme = scheme.lower()
    if scheme in LOCAL_FILE_SCHEMES or len(scheme) == 1 or url.startswith("\\\\"):
        return "local_file"
    return "unsupported_scheme"


def host_problem(host: str) -> str | None:
    """Why an ASCII host name (punycode already, lower case) cannot be a host, or None.

    Browsers and resolvers would try such a name and fail; saying so from the name alone
    spares a DNS lookup and names the typo: an empty label (``.example.org``,
    ``a..b``), a character no host name has, a label longer than 63 or a name longer
    than 253 characters, or a numeric last label that is no IPv4 address (``1.2.3.999``)."""
    name = host[:-1] if host.endswith(".") else host  # one trailing dot: a fully qualified name
    if not name:
        return "empty host name"
    if len(name) > 253:
        return "host name longer than 253 characters"
    labels = name.split(".")
    for label in labels:
        if not label:
            return "empty label in the host name"
        if len(label) > 63:
            return "a label of the host name is longer than 63 characters"
        if not _HOST_CHARS.fullmatch(label):
            return "a character no host name has"
    if labels[-1].isdigit() and not is_ipv4(name):
        return "numeric host that is no IPv4 address"
    return None


def is_ipv4(host: str) -> bool:
    """An IPv4 address in any form resolvers accept (``127.0.0.1``, ``127.1``, ``0x7f.1``)."""
    try:
        socket.inet_aton(host)
    except OSError:
        return False
    return True
