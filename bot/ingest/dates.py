"""Dates as news pages write them -> aware datetimes in the publisher's own offset.

ISO 8601 and RFC 2822 from metadata; dates in URLs; and dates in visible text,
English and Arabic (Arabic-Indic digits; Egyptian, Levantine and Maghrebi
month names).
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_MONTHS = {
    # English
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
    # Arabic (Egypt, Gulf)
    "يناير": 1, "فبراير": 2, "مارس": 3, "ابريل": 4, "أبريل": 4, "إبريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "اغسطس": 8, "أغسطس": 8, "سبتمبر": 9,
    "اكتوبر": 10, "أكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
    # Levant, Iraq
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "اذار": 3, "نيسان": 4, "أيار": 5, "ايار": 5,
    "حزيران": 6, "تموز": 7, "آب": 8, "اب": 8, "أيلول": 9, "ايلول": 9, "تشرين الأول": 10,
    "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الأول": 12, "كانون الاول": 12,
    # Maghreb
    "جانفي": 1, "فيفري": 2, "أفريل": 4, "افريل": 4, "ماي": 5, "جوان": 6, "جويلية": 7,
    "أوت": 8, "اوت": 8,
}  # fmt: skip
_MONTH_WORDS = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s*(?:من\s+)?({_MONTH_WORDS})"
    rf"(?:\s*/\s*(?:{_MONTH_WORDS}))?[\s,.،/-]*(\d{{4}})",  # "24 نيسان / أبريل 2020"
    re.I,
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH_WORDS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})", re.I
)
_NUMERIC = re.compile(
    r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)|(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)"
)
_TIME = re.compile(
    r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm|ص|م|صباحا|مساء|مساءً|صباحًا)?", re.I
)
_URL_DATE = re.compile(
    r"/(20\d{2}|19\d{2})[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:/|[^\d]|$)"
)
_ISO_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_date(value: str | None, default_tz: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    """ISO 8601 or RFC 2822, as metadata writes it. Naive values get `default_tz`."""
    if not value:
        return None
    text = value.strip().translate(_DIGITS)
    if _ISO_LIKE.match(text):
        text = re.sub(r"\s+", "T", text, count=1) if "T" not in text else text
        text = re.sub(r"Z$", "+00:00", text)
        text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text)
        text = re.sub(r"\.\d+", "", text)
        try:
            parsed = dt.datetime.fromisoformat(text)
        except ValueError:
            try:
                parsed = dt.datetime.fromisoformat(text[:10])
            except ValueError:
                return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_tz)
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return find_date_in_text(text, default_tz)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=default_tz)


def date_from_url(url: str | None, default_tz: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    try:
        return dt.datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=default_tz)
    except ValueError:
        return None


def find_date_in_text(text: str, default_tz: dt.tzinfo = dt.UTC) -> dt.datetime | None:
    """The first plausible date written out in text, with a time next to it if any."""
    text = text.translate(_DIGITS)
    day = month = year = None
    end = 0
    if match := _DAY_MONTH_YEAR.search(text):
        day, month, year, end = int(match[1]), _MONTHS[match[2].lower()], int(match[3]), match.end()
    elif match := _MONTH_DAY_YEAR.search(text):
        day, month, year, end = int(match[2]), _MONTHS[match[1].lower()], int(match[3]), match.end()
    elif match := _NUMERIC.search(text):
        if match[1]:
            year, month, day = int(match[1]), int(match[2]), int(match[3])
        else:
            day, month, year = int(match[4]), int(match[5]), int(match[6])
        end = match.end()
    if year is None or month is None or day is None or not 1990 <= year <= 2100:
        return None
    hour = minute = 0
    if time := _TIME.search(text[end : end + 40]):
        hour, minute = int(time[1]), int(time[2])
        suffix = (time[4] or "").lower()
        if suffix in ("pm", "م", "مساء", "مساءً") and hour < 12:
            hour += 12
        elif suffix in ("am", "ص", "صباحا", "صباحًا") and hour == 12:
            hour = 0
    try:
        return dt.datetime(year, month, day, hour % 24, minute % 60, tzinfo=default_tz)
    except ValueError:
        return None
