"""Times and dates as a reader says them, in Arabic or English. Pure.

Given instants already on the chat's clock (bot/digest/schedule.py is the one
place that computes local time): "07:40" today, "yesterday 22:10", a weekday
within the week ("Sunday 09:15"), a date before that ("24 November"; with its
year when it is another year's). Arabic is written with Arabic-Indic digits, as
the rest of an Arabic message is: "أمس ٢٢:١٠", "الثلاثاء ١ ديسمبر".
"""

from __future__ import annotations

import datetime as dt

_WEEKDAYS = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
}
_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
           "أكتوبر", "نوفمبر", "ديسمبر"),
}  # fmt: skip
_YESTERDAY = {"en": "yesterday", "ar": "أمس"}
_ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
WEEK = 6  # days back that a weekday still names unambiguously


def digits(text: str, language: str) -> str:
    """`text` with its digits as the language writes them (Arabic-Indic in Arabic)."""
    return text.translate(_ARABIC_DIGITS) if language == "ar" else text


def day(date: dt.date, language: str, *, year: bool = False) -> str:
    """A date in words: "Tuesday 1 December", "الثلاثاء ١ ديسمبر" (with `year`, its year)."""
    lang = language if language in _WEEKDAYS else "en"
    words = f"{_WEEKDAYS[lang][date.weekday()]} {date.day} {_MONTHS[lang][date.month - 1]}"
    return digits(f"{words} {date.year}" if year else words, lang)


def spoken(moment: dt.datetime, now: dt.datetime, language: str, *, clock: bool = True) -> str:
    """When `moment` was, seen from `now` (both on the chat's clock): the time alone
    today, "yesterday" and a weekday with the time (without it if not `clock`), a date
    before that. A moment after `now` (a clock that runs ahead) counts as now."""
    lang = language if language in _WEEKDAYS else "en"
    moment = min(moment, now)
    days = (now.date() - moment.date()).days
    time = f"{moment:%H:%M}"
    if days == 0:
        said = time if clock else ""
    elif days == 1:
        said = f"{_YESTERDAY[lang]} {time}" if clock else _YESTERDAY[lang]
    elif days <= WEEK:
        weekday = _WEEKDAYS[lang][moment.weekday()]
        said = f"{weekday} {time}" if clock else weekday
    else:
        said = f"{moment.day} {_MONTHS[lang][moment.month - 1]}"
        if moment.year != now.year:
            said += f" {moment.year}"
    return digits(said, lang)
