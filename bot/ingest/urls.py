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
    return re.sub(r"^(www\d?|m|amp)\.", "", rest)


def content_hash(text: str) -> str | None:
    """A hash of the body's words, or None when there is too little text to trust one."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < 40:
        return None
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()
