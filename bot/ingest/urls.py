"""Canonical URLs and the keys articles are deduplicated by (URL key, text hash)."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only say where a click came from.
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|yclid|mc_cid|mc_eid|igshid|"
    r"_ga|_gl|_hsenc|_hsmi|ocid|cmpid|at_\w+|ns_\w+|rss|ref_src|ref|feature|s_cid|"
    r"xtor|smid|soc_src|soc_trk|taid|sr_share|spm)$",
    re.I,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}
# A key (an article's URL key, a feed entry's id) is compared, never shown or followed.
# One of more bytes than this (a tracking query gone wild, an id made of one) is kept
# as its beginning and a hash of the whole: as unique, and every database can index it
# (a PostgreSQL btree entry holds 2,704 bytes at most; SQLite has no such limit).
KEY_BYTES = 1000


def canonical_url(url: str) -> str:
    """The URL to link to: lower-case scheme and host, no default port, no fragment,
    no tracking parameters, the rest of the query sorted, no trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    path = re.sub(r"/{2,}", "/", parts.path or "/")
    if len(path) > 1:
        path = path.rstrip("/")
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _TRACKING.match(key)
    )
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def url_key(url: str) -> str:
    """What makes two URLs the same article: the canonical URL without its scheme
    and without a leading www. or m. on the host."""
    canonical = canonical_url(url)
    rest = canonical.split("://", 1)[-1]
    return bounded_key(re.sub(r"^(www\d?|m|amp)\.", "", rest))


def bounded_key(key: str) -> str:
    """The key itself, or, past KEY_BYTES, its first half and a SHA-256 of the whole."""
    data = key.encode("utf-8", "surrogatepass")
    if len(data) <= KEY_BYTES:
        return key
    start = data[: KEY_BYTES // 2].decode("utf-8", "ignore")  # a cut character left out
    return f"{start}#{hashlib.sha256(data).hexdigest()}"


def content_hash(text: str) -> str | None:
    """A hash of the body's words, or None when there is too little text to trust one."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < 40:
        return None
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
