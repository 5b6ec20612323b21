"""What sets one event apart from the next of its kind: the day a report tells of, and
the scores it gives. Pure.

A sentence model sees a gas blast in one city on Tuesday and another city's the next
day as one event, and a club's two matches of one week too: the subject and the kind
of act are the same. What tells them apart is what each report pins down, and the
first of those is its day. A report that names the weekday it was published on tells
of that day's news; two such reports, published on different days, tell of two events
(a report of the day after names the day before, and then says nothing here; nor
does one naming both its own day and the story's, a follow-up).
Weekdays are read in English and in Arabic, so this holds across languages. A score
or tally (2-1, ٢-١) pins down a match: an article and a story whose scores neither
hold the other's are two matches. Either makes the article the less close to the
story, by a modest amount (a clue, not a veto).

A weekday counts only on the day of publication (UTC): an event of the evening
before, reported after midnight, or one named in passing ("after Sunday's attack")
is no clue either way.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.language import normalize

# How much less close an article is to a story that told of another day's news, and
# to one that gave other scores. Set on the tune half of bench/data/crosslingual.jsonl
# (the least that keeps its distractors apart).
OTHER_DAY = 0.1
OTHER_SCORE = 0.1

_DAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Normalized (bot.language: alef forms folded, ة as ه), with the article: a bare احد
# or جمعه is "one" or "gathering".
_DAYS_AR = ("الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت", "الاحد")
_DAY = {
    **{name: day for day, name in enumerate(_DAYS_EN)},
    **{clitic + name: day for day, name in enumerate(_DAYS_AR) for clitic in ("", "و", "ف", "ب")},
}
_WORD = re.compile(r"\w+")
# Digits of at most 3 places each side (no year span such as 2025-26); kept as the
# lower-higher pair, since a writer may give the loser's first or flip it in Arabic.
# It starts with a digit, which re scans for fast (a look-behind there is 4x slower):
# what comes before is checked after.
_SCORE = re.compile(r"(\d{1,3}) ?[-–] ?(\d{1,3})(?![\d.])")


@dataclass(frozen=True)
class Specifics:
    days: frozenset[int] = frozenset()  # the weekdays named, Monday = 0
    scores: frozenset[tuple[int, int]] = frozenset()


def specifics(title: str, text: str) -> Specifics:
    """What a headline and its lead (the first 600 characters of `text`) pin down."""
    folded = normalize(f"{title} {text[:600]}")
    days = set()
    if "day" in folded or any(
        name in folded for name in _DAYS_AR
    ):  # tests in C: most texts name no day
        days = {_DAY[word] for word in _WORD.findall(folded) if word in _DAY}
    scores = _scores(folded) if "-" in folded or "–" in folded else set()
    return Specifics(frozenset(days), frozenset(scores))


def _scores(folded: str) -> set[tuple[int, int]]:
    found = set()
    for match in _SCORE.finditer(folded):
        if (start := match.start()) and folded[start - 1] in "0123456789.":
            continue  # the end of a longer number (1234-5, 1.5-2)
        one, other = int(match[1]), int(match[2])
        found.add((min(one, other), max(one, other)))
    return found


@dataclass
class Pinned:
    """What a story's reports pinned down: the days they told of, their scores."""

    days: set[dt.date] = field(default_factory=set)
    scores: set[tuple[int, int]] = field(default_factory=set)

    def add(self, told: Specifics | None, when: dt.datetime | None) -> None:
        """A report that pins down `told`, published `when`."""
        if told is not None:
            self.days |= _told_of(told, when)
            self.scores |= told.scores

    def against(self, told: Specifics | None, when: dt.datetime | None) -> float:
        """How much less close an article (pinning down `told`, published `when`) is
        to the story: 0 for no clue."""
        if told is None:
            return 0.0
        less = 0.0
        days = _told_of(told, when)
        # A follow-up names the story's day beside its own ("on Wednesday, rescuers ...
        # Tuesday's quake"): the same event, told on.
        named_theirs = any(day.weekday() in told.days for day in self.days)
        if days and self.days and not days & self.days and not named_theirs:
            less += OTHER_DAY
        mine, theirs = told.scores, self.scores
        if mine and theirs and not (mine <= theirs or theirs <= mine):
            less += OTHER_SCORE
        return less


def _told_of(told: Specifics, when: dt.datetime | None) -> set[dt.date]:
    """The day a report published `when` tells the news of: its own, if it names it."""
    if when is None or when.weekday() not in told.days:
        return set()
    return {when.date()}
