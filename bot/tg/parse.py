"""What people type for a time of day or a time zone -> values. Pure.

Times: 8, 08, 8:30, 20.15, 8am, 8:30 pm, ٨:٣٠, ٨ مساءً. Zones: an IANA name
(Asia/Riyadh, case-insensitive), a major city in English or Arabic (Cairo,
القاهرة), or an offset from UTC (UTC+3, GMT-5, +03:30).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo, available_timezones

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
    if match and not match[3]:
        hours = int(match[2])
        if hours <= 14:
            # Etc/GMT names have the sign the other way round: UTC+3 is Etc/GMT-3.
            name = "UTC" if hours == 0 else f"Etc/GMT{'-' if match[1] == '+' else '+'}{hours}"
            ZoneInfo(name)
            return name
    return None
