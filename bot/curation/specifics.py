"""What sets one event apart from the next of its kind: the day a report tells of.
Pure.

A sentence model sees a gas blast in one city on Tuesday and another city's the next
day as one event, and a club's two matches of one week too: the subject and the kind
of act are the same. What tells them apart is what each report pins down, and the
first of those is its day. A report that names the weekday it was published on tells
of that day's news; two such reports, published on different days, tell of two events
(a report of the day after names the day before, and then says nothing here).
Weekdays are read in English and in Arabic, so this holds across languages. It makes
the article the less close to the story, by a modest amount (a clue, not a veto).

A weekday counts only on the day of publication (UTC): an event of the evening
before, reported after midnight, or one named in passing ("after Sunday's attack")
is no clue either way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field

from bot.language import normalize

# How much less close an article is to a story that told of another day's news. Set on
# the tune half of bench/data/crosslingual.jsonl.
OTHER_DAY = 0.1

_DAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Normalized (bot.language: alef forms folded, ة as ه), with the article: a bare احد
# or جمعه is "one" or "gathering".
_DAYS_AR = ("الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد")
_DAY = {
    **{name: day for day, name in enumerate(_DAYS_EN)},
    **{clitic + name: day for day, name in enumerate(_DAYS_AR) for clitic in ("", "و", "ف", "ب")},
}
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Specifics:
    days: frozenset[int] = frozenset()  # the weekdays named, Monday = 0


def specifics(title: str, text: str) -> Specifics:
    """What a headline and its lead (the first 600 characters of `text`) pin down."""
    folded = normalize(f"{title} {text[:600]}")
    days = set()
    if "day" in folded or any(
        name in folded for name in _DAYS_AR
    ):  # tests in C: most texts name no day
        days = {_DAY[word] for word in _WORD.findall(folded) if word in _DAY}
    return Specifics(frozenset(days))


class Told(Counter[str]):
    """An article's words (stories.story_words), with what it pins down."""

    specifics: Specifics = Specifics()


@dataclass
class Pinned:
    """What a story's reports pinned down: the days they told of."""

    days: set[dt.date] = field(default_factory=set)

    def add(self, told: Specifics | None, when: dt.datetime | None) -> None:
        """A report that pins down `told`, published `when`."""
        if told is not None:
            self.days |= _told_of(told, when)

    def against(self, told: Specifics | None, when: dt.datetime | None) -> float:
        """How much less close an article (pinning down `told`, published `when`) is
        to the story: 0 for no clue."""
        if told is None:
            return 0.0
        days = _told_of(told, when)
        return OTHER_DAY if days and self.days and not days & self.days else 0.0


def _told_of(told: Specifics, when: dt.datetime | None) -> set[dt.date]:
    """The day a report published `when` tells the news of: its own, if it names it."""
    if when is None or when.weekday() not in told.days:
        return set()
    return {when.date()}
