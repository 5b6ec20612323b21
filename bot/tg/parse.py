"""What people type for a time of day or a time zone -> values. Pure.

Times: 8, 08, 8:30, 20.15, 8am, 8:30 pm, ٨:٣٠, ٨ مساءً. Zones: an IANA name
(Asia/Riyadh, case-insensitive), a major city in English or Arabic (Cairo,
القاهرة), or a whole-hour offset from UTC, UTC-12 to UTC+14 (UTC+3, GMT-5, +03:00).
Source addresses: what /addsource was given -> an http(s) URL whose host a site can
have, or why not (`SourceURLError`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import urlsplit
from zoneinfo import available_timezones

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_TIME = re.compile(
    r"^(\d{1,2})(?:[:.٫](\d{2}))?\s*(am|a\.m\.|pm|p\.m\.|ص|صباحا|صباحًا|م|مساء|مساءً)?$", re.I
)
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$", re.I)
CITIES = {
    "riyadh": "Asia/Riyadh", "الرياض": "Asia/Riyadh", "jeddah": "Asia/Riyadh",
    "جدة": "Asia/Riyadh", "mecca": "Asia/Riyadh", "مكة": "Asia/Riyadh",
    "cairo": "Africa/Cairo", "القاهرة": "Africa/Cairo", "dubai": "Asia/Dubai",
    "دبي": "Asia/Dubai", "abu dhabi": "Asia/Dubai", "أبوظبي": "Asia/Dubai",
    "doha": "Asia/Qatar", "الدوحة": "Asia/Qatar", "kuwait": "Asia/Kuwait",
    "الكويت": "Asia/Kuwait", "manama": "Asia/Bahrain", "المنامة": "Asia/Bahrain",
    "muscat": "Asia/Muscat", "مسقط": "Asia/Muscat", "baghdad": "Asia/Baghdad",
    "بغداد": "Asia/Baghdad", "damascus": "Asia/Damascus", "دمشق": "Asia/Damascus",
    "beirut": "Asia/Beirut", "بيروت": "Asia/Beirut", "amman": "Asia/Amman",
    "عمان": "Asia/Amman", "jerusalem": "Asia/Jerusalem", "القدس": "Asia/Jerusalem",
    "gaza": "Asia/Gaza", "غزة": "Asia/Gaza", "sanaa": "Asia/Aden", "صنعاء": "Asia/Aden",
    "khartoum": "Africa/Khartoum", "الخرطوم": "Africa/Khartoum", "tripoli": "Africa/Tripoli",
    "طرابلس": "Africa/Tripoli", "tunis": "Africa/Tunis", "تونس": "Africa/Tunis",
    "algiers": "Africa/Algiers", "الجزائر": "Africa/Algiers", "rabat": "Africa/Casablanca",
    "الرباط": "Africa/Casablanca", "casablanca": "Africa/Casablanca",
    "الدار البيضاء": "Africa/Casablanca", "istanbul": "Europe/Istanbul",
    "إسطنبول": "Europe/Istanbul", "tehran": "Asia/Tehran", "طهران": "Asia/Tehran",
    "london": "Europe/London", "لندن": "Europe/London", "paris": "Europe/Paris",
    "باريس": "Europe/Paris", "berlin": "Europe/Berlin", "برلين": "Europe/Berlin",
    "moscow": "Europe/Moscow", "موسكو": "Europe/Moscow", "new york": "America/New_York",
    "نيويورك": "America/New_York", "washington": "America/New_York",
    "los angeles": "America/Los_Angeles", "toronto": "America/Toronto",
    "delhi": "Asia/Kolkata", "karachi": "Asia/Karachi", "jakarta": "Asia/Jakarta",
    "kuala lumpur": "Asia/Kuala_Lumpur", "tokyo": "Asia/Tokyo", "beijing": "Asia/Shanghai",
    "sydney": "Australia/Sydney",
}  # fmt: skip
_BY_LOWER = {name.lower(): name for name in available_timezones()}


def parse_time(value: str) -> dt.time | None:
    match = _TIME.match(value.strip().translate(_DIGITS).lower())
    if not match:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    suffix = (match[3] or "").replace(".", "")
    if suffix in ("pm", "م", "مساء", "مساءً") and hour < 12:
        hour += 12
    elif suffix in ("am", "ص", "صباحا", "صباحًا") and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or (suffix and int(match[1]) > 12):
        return None
    return dt.time(hour, minute)


def parse_zone(value: str) -> str | None:
    """An IANA zone name for what was typed, or None."""
    text = " ".join(value.strip().split())
    if not text:
        return None
    if text.lower() in ("utc", "gmt", "z"):
        return "UTC"
    if text.lower() in _BY_LOWER:
        return _BY_LOWER[text.lower()]
    city = CITIES.get(text.lower()) or CITIES.get(text)
    if city:
        return city
    match = _OFFSET.match(text.translate(_DIGITS))
    if match and int(match[3] or 0) == 0:
        hours = int(match[2])
        # Etc/GMT names have the sign the other way round: UTC+3 is Etc/GMT-3.
        name = "UTC" if hours == 0 else f"Etc/GMT{'-' if match[1] == '+' else '+'}{hours}"
        if name in _BY_LOWER.values() or name == "UTC":
            return name
    return None


def why_not_zone(value: str) -> str:
    """Why parse_zone() found no zone: "offset_range" (no zone is UTC-13 or UTC+15:
    offsets go from -12 to +14), "offset_minutes" (UTC+5:30 has no zone name of its
    own), or "unknown"."""
    match = _OFFSET.match(" ".join(value.strip().split()).translate(_DIGITS))
    if match is None:
        return "unknown"
    if int(match[3] or 0) != 0:
        return "offset_minutes"
    return "offset_range"


class SourceURLError(ValueError):
    """What /addsource was given is no address a news site can have. `reason`: not_http,
    url_unreadable, host_digits (Arabic or Persian digits in the host), host_characters
    (emoji, signs: what no site's name holds)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# A scheme, not host:port: no digit after the colon, and no dot in it (a host has one).
_SCHEME = re.compile(r"^([a-z][a-z0-9+-]*):(?!\d)", re.I)


def source_url(given: str) -> str:
    """The http(s) URL meant (https:// added when no scheme is given), checked as far
    as it can be without the network; raises SourceURLError."""
    url = given.strip()
    scheme = _SCHEME.match(url)
    if scheme and scheme[1].lower() not in ("http", "https"):
        raise SourceURLError("not_http")  # javascript:, mailto:, ftp://
    if scheme is None:
        url = "https://" + url
    elif not url[scheme.end() :].startswith("//"):
        url = f"{scheme[1]}://{url[scheme.end() :]}"
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port  # a port that is no number raises here
    except ValueError:  # http://[::1 (an unclosed IPv6 bracket), a port of letters
        raise SourceURLError("url_unreadable") from None
    if not host:
        raise SourceURLError("url_unreadable")
    if "[" in parts.netloc:  # an IPv6 literal: hex digits and colons
        if all(c in "0123456789abcdef:." for c in host):
            return url
        raise SourceURLError("url_unreadable")
    if any(c.isdigit() and not c.isascii() for c in host):
        raise SourceURLError("host_digits")
    allowed = all(
        (c.isascii() and (c.isalnum() or c in "-._")) or unicodedata.category(c)[0] in "LM"
        for c in host
    )
    if not allowed:
        raise SourceURLError("host_characters")
    try:
        host.encode("idna")  # empty or overlong labels (a..b, 64 letters between dots)
    except UnicodeError:
        raise SourceURLError("url_unreadable") from None
    return url
