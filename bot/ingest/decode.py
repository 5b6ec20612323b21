"""Bytes and their Content-Type -> text, decoded once, the right way.

Order: a byte-order mark; UTF-8 when the bytes are valid UTF-8 (a page that
decodes as UTF-8 and has non-ASCII bytes is UTF-8 whatever its header says);
the charset of the HTTP header; the page's own <meta charset> or XML prolog;
then detection (charset-normalizer), which is what finds an Arabic page in
windows-1256 served without any charset.

`printable` then takes out what no text of an article may hold, whatever the parser
that read it (feedparser, json, lexbor) let through.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_XML_PROLOG = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)""", re.I)
# What browsers (WHATWG) actually use for these labels.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
            "us-ascii": "cp1252", "ascii": "cp1252", "iso-8859-9": "cp1254",
            "windows-874": "cp874", "tis-620": "cp874", "x-sjis": "shift_jis",
            "gb2312": "gb18030", "gbk": "gb18030"}  # fmt: skip


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # the Python codec used
    source: str  # bom | utf-8 | header | meta | detected | fallback


# Control characters other than tab and line breaks (a NUL, which PostgreSQL refuses in
# text; a BEL or ESC a feed let through), and lone surrogates, which no database can
# encode (half of an emoji that a JSON feed cut in two, as "\ud83c").
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` without control characters (tabs and line breaks stay) and lone surrogates."""
    return _UNPRINTABLE.sub("", text)


def printable_or_none(text: str | None) -> str | None:
    """printable(text), or None when nothing is given or nothing is left."""
    return (printable(text) or None) if text else None


def decode(body: bytes, content_type: str | None = None) -> Decoded:
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body.decode(codec, errors="replace"), codec, "bom")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return Decoded(text, "utf-8", "utf-8")
    for source, label in (
        ("header", header_charset(content_type)),
        ("meta", _declared_in_document(body[:4096])),
    ):
        declared = _codec(label)
        if declared and declared not in ("utf-8", "utf-8-sig"):
            try:
                return Decoded(body.decode(declared), declared, source)
            except UnicodeDecodeError:
                continue
    best = from_bytes(body[:200_000]).best()
    if best is not None and best.encoding:
        codec = _codec(best.encoding) or "utf-8"
        return Decoded(body.decode(codec, errors="replace"), codec, "detected")
    return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "fallback")


def header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return match[1] if match else None


def _declared_in_document(head: bytes) -> str | None:
    match = _XML_PROLOG.search(head) or _META_CHARSET.search(head)
    return match[1].decode("ascii", errors="ignore") if match else None


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None
