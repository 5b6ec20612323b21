"""A chat's local digest time -> the UTC instants it is due. Pure.

The only place where local time is computed. Across daylight-saving changes the
digest keeps its local clock time: a time that does not exist that night (the
clocks jump over it) moves to the first minute after the jump; a time that
happens twice (the clocks go back) is taken the first time.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_hhmm(value: str) -> dt.time:
    match = _HHMM.match(value.strip())
    if not match:
        raise ValueError(f"not a time of day HH:MM: {value!r}")
    return dt.time(int(match[1]), int(match[2]))


def next_due(local_time: dt.time, zone: str, after: dt.datetime) -> dt.datetime:
    """The first UTC instant strictly after `after` at which the clock in `zone` reads
    `local_time` (or, on a night it is skipped, the first minute after the jump)."""
    tz = ZoneInfo(zone)
    local_day = after.astimezone(tz).date()
    for offset in range(0, 3):
        day = local_day + dt.timedelta(days=offset)
        candidate = _instant(day, local_time, tz)
        if candidate > after:
            return candidate
    raise AssertionError("a local time recurs within three days")  # pragma: no cover


def _instant(day: dt.date, local_time: dt.time, tz: ZoneInfo) -> dt.datetime:
    naive = dt.datetime.combine(day, local_time)
    first = naive.replace(tzinfo=tz, fold=0)
    utc = first.astimezone(dt.UTC)
    if utc.astimezone(tz).replace(tzinfo=None) != naive:  # skipped: the clocks jumped
        later = naive
        while (
            later.replace(tzinfo=tz, fold=0).astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
            != later
        ):
            later += dt.timedelta(minutes=1)
        return later.replace(tzinfo=tz, fold=0).astimezone(dt.UTC)
    return utc


def quiet(instant: dt.datetime, zone: str, start: str | None, end: str | None) -> bool:
    """Whether `instant` falls in the chat's quiet hours (they may span midnight)."""
    if not start or not end:
        return False
    now = instant.astimezone(ZoneInfo(zone)).time()
    begin, finish = parse_hhmm(start), parse_hhmm(end)
    if begin <= finish:
        return begin <= now < finish
    return now >= begin or now < finish


def local(instant: dt.datetime, zone: str) -> dt.datetime:
    """An instant as the chat's clock shows it (for rendering)."""
    return instant.astimezone(ZoneInfo(zone))
