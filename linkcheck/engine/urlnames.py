"""What a URL's name says about the page behind it: an error page, a sign-in page, an index
above a page. Only read when a redirect sent the reader there (or a page's canonical link
names it), never to judge a link as the author wrote it: a link to ``/blog/404-errors``
is an article, a redirect to ``/404`` is the site saying "not found".

Each rule matches whole path segments (``/error``, ``/Hata/SayfaBulunamadi``), never words
inside one (``/blog/404-errors-explained``, ``/docs/error-handling``), and a segment the
link itself already has (``.../Global_Objects/Error`` moved to ``.../Global_Objects/Error``)
names the page, not an error.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from yarl import URL

from linkcheck.engine.verdict import LANGUAGES, same_site

# Segments that name a not-found page, with "-", "_", "." and case dropped: the English
# words, the status codes, and the same in the languages sites are written in.
_NOT_FOUND = frozenset({
    "404", "410", "404error", "error404", "err404", "http404", "404page", "page404", "404notfound",
    "notfound", "pagenotfound", "filenotfound", "resourcenotfound", "nopage", "pagemissing",
    "seitenichtgefunden", "nichtgefunden", "fehlerseite", "pageintrouvable", "introuvable",
    "pagenontrouvee", "paginanoencontrada", "noencontrada", "paginanoexiste", "paginanaoencontrada",
    "naoencontrada", "paginanontrovata", "nontrovata", "paginanietgevonden", "nietgevonden",
    "stronanieznaleziona", "nieznaleziono", "sayfabulunamadi", "bulunamadi", "sayfayokbulunamadi",
    "sivuaeiloydy", "sidanhittadesinte", "hittadesinte", "sidenfindesikke", "stranknenalezena",
    "страницаненайдена", "ненайдена",
})
# Words for "error": the site's own error route when they are the whole path (after a language),
# alone or with a status code (/error, /Hata, /fehler/500).
_ERROR_WORDS = frozenset({
    "error", "errors", "err", "errorpage", "errorpages", "fehler", "erreur", "erreurs", "errore",
    "errori", "erro", "erros", "fout", "hata", "virhe", "fel", "fejl", "feil", "chyba", "hiba",
    "eroare", "blad", "ошибка", "oshibka", "lỗi", "错误", "エラー", "오류",
})
_ERROR_QUERY_KEYS = frozenset({"aspxerrorpath"})  # ASP.NET's customErrors redirect names the page lost
_DROP = str.maketrans("", "", "-_. ")
_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cfm|cgi|pl)$", re.IGNORECASE)


def _segments(url: URL) -> list[str]:
    """The path's segments, decoded, lower case, without a page extension; empty ones dropped."""
    return [_EXTENSION.sub("", unquote(seg)).lower() for seg in (url.raw_path or "/").split("/") if seg]


def _key(segment: str) -> str:
    return segment.translate(_DROP)


def _without_language(segments: list[str]) -> list[str]:
    return segments[1:] if segments and _LANGUAGE.fullmatch(segments[0]) else segments


_LANGUAGE = re.compile(rf"(?:{LANGUAGES})(?:[-_][a-z]{{2,4}})?", re.IGNORECASE)


def names_error_page(url: URL, requested: URL) -> bool:
    """``url`` (where a redirect or a canonical link sent the reader) names an error page that
    ``requested`` (the link as written) does not: ``?aspxerrorpath=``, a ``/404`` or
    ``/not-found`` segment in the common languages (``/Hata/SayfaBulunamadi``), or an error
    route as the whole path (``/error``, ``/fehler/500``)."""
    if any(key.lower() in _ERROR_QUERY_KEYS for key in url.query):
        return True
    own = {_key(seg) for seg in _segments(requested)}
    keys = [_key(seg) for seg in _without_language(_segments(url))]
    if any(key in _NOT_FOUND and key not in own for key in keys):
        return True
    return (1 <= len(keys) <= 2 and keys[0] in _ERROR_WORDS and keys[0] not in own
            and (len(keys) == 1 or _STATUS.fullmatch(keys[1]) is not None))


_STATUS = re.compile(r"[45]\d\d")


# --- sign-in pages ----------------------------------------------------------------------
_SIGN_IN_SEGMENTS = frozenset({
    "login", "signin", "logon", "servicelogin", "sso", "saml", "saml2", "oauth", "oauth2", "authorize",
    "authenticate", "idp", "adfs", "openid", "openidconnect", "usersignin", "accountlogin",
})
_SIGN_IN_HOST_LABELS = frozenset({"login", "signin", "sso", "auth", "accounts", "account", "idp", "adfs",
                                  "id"})


def is_sign_in(url: URL) -> bool:
    """A sign-in page: its host is a sign-in service (``login.``, ``accounts.``, ``sso.``, ...)
    or a path segment says so (``/login``, ``/signin``, ``/oauth2/authorize``, ``/ServiceLogin``)."""
    host = (url.host or "").lower()
    if host.split(".", 1)[0] in _SIGN_IN_HOST_LABELS and host.count(".") >= 1:
        return True
    return any(_key(seg) in _SIGN_IN_SEGMENTS for seg in _segments(url))


def sign_in_hop(requested: URL, redirects: list[tuple[int, str]]) -> str | None:
    """The first redirect target that is a sign-in page on another host than the link's, or None.
    A link that itself points at a sign-in page is not walled off by it."""
    if is_sign_in(requested):
        return None
    for _status, location in redirects:
        target = URL(location)
        if (target.host or "").lower() != (requested.host or "").lower() and is_sign_in(target):
            return location
    return None


# --- indexes above a page ---------------------------------------------------------------
_INDEX_FILE = re.compile(r"(?:index|default|home|start|contents?|overview)(?:\.[a-z]{2,5})?", re.IGNORECASE)
_VERSION = re.compile(r"v?\d+(?:\.(?:\d+|x))*|latest|stable|current|master|main|dev|devel|develop|trunk|next"
                      r"|nightly|release|docs-\w+", re.IGNORECASE)


def _is_version(segment: str) -> bool:
    return _VERSION.fullmatch(segment) is not None


def _is_index_or_version(segment: str) -> bool:
    return (_is_version(segment) or _INDEX_FILE.fullmatch(segment) is not None
            or _LANGUAGE.fullmatch(segment) is not None)


def redirected_to_index(requested: URL, final: URL) -> bool:
    """A page whose redirects end on an index above it on the same site: the docs index of
    this or another version (``/en/1.0/guide/tasks.html`` -> ``/en/latest/``) or a section's
    index (``/blog/2019/05/post`` -> ``/blog/``). The page was removed; its index is no new
    address. Not so: the same page in another version (same depth), a link that is itself an
    index (``/docs/latest/`` -> ``/docs/``), a trailing slash added."""
    if not same_site(requested.host or "", final.host or ""):
        return False
    asked = _without_language([unquote(s) for s in (requested.raw_path or "/").split("/") if s])
    landed = _without_language([unquote(s) for s in (final.raw_path or "/").split("/") if s])
    if landed and _INDEX_FILE.fullmatch(landed[-1]):
        landed = landed[:-1]
    if not landed or len(landed) >= len(asked):
        return False  # the root is redirected_home's; the same depth is a move
    for above, mine in zip(landed, asked, strict=False):
        if above.lower() != mine.lower() and not (_is_version(above) and _is_version(mine)):
            return False
    return not all(_is_index_or_version(seg) for seg in asked[len(landed):])
