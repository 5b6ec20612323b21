"""Placing by meaning: an article is weighed against a story's reports themselves, not
only against their average (bot/curation/reports.py, NEAREST_REPORTS)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import numpy as np
import pytest

from bot.curation import reports, stories
from bot.curation.stories import StoryIndex
from bot.curation.story_words import story_words

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
DIM = 32


def axis(n: int) -> np.ndarray:
    vector = np.zeros(DIM, dtype=np.float32)
    vector[n] = 1.0
    return vector


def mixed(*parts: tuple[float, int]) -> np.ndarray:
    vector = sum(weight * axis(n) for weight, n in parts)
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def story_of(reports: list[tuple[str, np.ndarray]], language: str = "en") -> StoryIndex:
    index = StoryIndex()
    for article_id, (headline, vector) in enumerate(reports):
        index.add(1, article_id, story_words(headline, ""), NOW, vector=vector,
                  language=language)  # fmt: skip
    return index


def place(index: StoryIndex, headline: str, vector: np.ndarray) -> int | None:
    return index.place(story_words(headline, ""), vector=vector, language="en", when=NOW).story


def test_a_story_holding_two_events_does_not_draw_in_what_is_close_to_neither(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two reports of other events in one story (a wrong merge earlier): their average
    # lies between them. An article a third of the way to each (cosine 0.33 with
    # either) is near that average (0.47), not near any report it would join.
    index = story_of([("Ministers meet in Cairo on water", axis(0)),
                      ("Storm floods coastal towns overnight", axis(1))])  # fmt: skip
    between = mixed((0.33, 0), (0.33, 1), (float(np.sqrt(1 - 2 * 0.33**2)), 2))
    assert place(index, "Quiet day for traders", between) is None
    monkeypatch.setattr(reports, "REPORTS_SHARE", 0.0)  # by the average alone it joined
    assert place(index, "Quiet day for traders", between) == 1


def test_in_a_big_story_the_reports_most_like_the_article_count(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A story of many angles: its average is its subject, close to none of them. An
    # article like three of its reports (0.6 each) belongs with them.
    monkeypatch.setattr(stories, "BIG_STORY", 0.0)  # the story's size aside
    others = [(f"Angle number {n} of the summit", axis(n)) for n in range(3, 23)]
    near = [(f"Leaders sign pact, view {n}", mixed((0.6, 0), (0.8, 23 + n))) for n in range(3)]
    index = story_of(others + near)
    assert place(index, "Accord signed at last", axis(0)) == 1
    monkeypatch.setattr(reports, "REPORTS_SHARE", 0.0)
    assert place(index, "Accord signed at last", axis(0)) is None


def test_only_reports_in_the_articles_language_are_compared_word_for_word(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An Arabic and an English report of one event, and an English article told in the
    # English report's words, whose vector (say, a poor one) is far from both. Its
    # words hold it in the story; the Arabic report, no word in common, would halve
    # their evidence if it were counted among the reports.
    headline = "Earthquake strikes eastern Turkey, dozens killed"

    def index() -> StoryIndex:
        built = StoryIndex()
        built.add(1, 1, story_words("زلزال يضرب شرق تركيا", ""), NOW, vector=axis(0),
                  language="ar")  # fmt: skip
        built.add(1, 2, story_words(headline, ""), NOW, vector=axis(0), language="en")
        for n in range(3, 9):  # the window's other stories, for the words' rarity
            built.add(n, n, Counter({f"other{n}": 1, "killed": 1}), NOW, vector=axis(n),
                      language="en")  # fmt: skip
        return built

    far = mixed((0.05, 0), (1.0, 1))
    assert place(index(), headline, far) == 1
    weigh = reports.Reports.weigh

    def as_if_in_english(self: reports.Reports, *given: Any) -> tuple[float, float, float | None]:
        self._languages = ["en"] * len(self._languages)
        self._in = {"en": list(range(len(self._languages)))}
        return weigh(self, *given[:-2], "en", {"en"})

    monkeypatch.setattr(reports.Reports, "weigh", as_if_in_english)
    assert place(index(), headline, far) is None


def test_a_story_many_reports_have_joined_is_joined_at_a_lower_bar(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # One headline, as close (0.43) to a story of one report as to one of eight like
    # it: the story that drew eight reports takes it, the lone report does not.
    lone = story_of([("Ministers meet in Cairo on water", axis(0))])
    big = story_of([("Ministers meet in Cairo on water", axis(0))] * 8)
    headline = mixed((0.43, 0), (float(np.sqrt(1 - 0.43**2)), 1))
    assert place(lone, "Talks go on", headline) is None
    assert place(big, "Talks go on", headline) == 1
    monkeypatch.setattr(stories, "BIG_STORY", 0.0)
    assert place(big, "Talks go on", headline) is None


def test_a_story_told_in_two_languages_is_reached_by_meaning_through_either(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An English report of an event, on one of its angles (far from the English
    # report), close in meaning (0.8) to the Arabic one: it joins, as it would if the
    # story had no English report at all.
    index = StoryIndex()
    index.add(1, 1, story_words("زلزال يضرب شرق تركيا", ""), NOW, vector=axis(0), language="ar")
    index.add(1, 2, story_words("Rescuers search rubble in Malatya", ""), NOW, vector=axis(1),
              language="en")  # fmt: skip
    angle = mixed((0.8, 0), (0.6, 2))
    assert place(index, "Turkey quake toll climbs", angle) == 1
    weigh = reports.Reports.weigh
    monkeypatch.setattr(reports.Reports, "weigh",  # no report in another language reached
                        lambda *given: (*weigh(*given)[:2], None))  # fmt: skip
    assert place(index, "Turkey quake toll climbs", angle) is None


def test_a_storys_reports_are_its_last_ones_in_each_language_word_for_word_and_in_meaning() -> None:
    # Reports come and go (the oldest leaves for the newest): the closeness to those most
    # like an article is always that to the last RECENT_REPORTS, as if counted afresh.
    rng = np.random.default_rng(7)
    vocabulary = [f"word{n}" for n in range(12)]
    kept: list[tuple[dict[str, float], np.ndarray | None, str | None]] = []
    held, asked_late = reports.Reports(), reports.Reports()
    for number in range(3 * reports.RECENT_REPORTS):
        words = rng.choice(vocabulary, size=int(rng.integers(1, 6)), replace=False)
        weights = {str(w): float(rng.random()) for w in words}
        vector = None if number % 7 == 3 else mixed(*((float(rng.random()), n) for n in range(4)))
        language = ["en", "ar", None][number % 5 % 3]
        held.add(weights, vector, language)
        asked_late.add(weights, vector, language)
        kept = [*kept, (weights, vector, language)][-reports.RECENT_REPORTS :]
        article = {str(w): float(rng.random()) for w in rng.choice(vocabulary, size=4)}
        towards = mixed(*((float(rng.random()), n) for n in range(4)))
        for language_now in ("en", "ar", None):
            got = held.weigh(0.1, 0.2, article, towards, language_now, {"en", "ar"})
            assert got == pytest.approx(_afresh(kept, article, towards, language_now))
    # Asked only now, after reports have come and gone: the same answer.
    assert asked_late.weigh(0.1, 0.2, article, towards, "en", {"en", "ar"}) == pytest.approx(
        _afresh(kept, article, towards, "en")
    )


def _afresh(
    kept: list[tuple[dict[str, float], np.ndarray | None, str | None]],
    article: dict[str, float], towards: np.ndarray, language: str | None,
) -> tuple[float, float, float | None]:  # fmt: skip
    def top(values: list[float]) -> float:
        best = sorted(values, reverse=True)[: reports.NEAREST_REPORTS]
        return sum(best) / len(best)

    worded, meant, share = 0.1, 0.2, reports.REPORTS_SHARE
    if len(kept) == 1 and kept[0][2] == language:  # its one report is its whole
        return worded, meant, None
    same = [(w, v) for w, v, lang in kept if lang == language]
    if same:
        worded += share * (top([sum(x * w.get(t, 0.0) for t, x in article.items())
                                for w, _ in same]) - worded)  # fmt: skip
        if meanings := [float(v @ towards) for _, v in same if v is not None]:
            meant += share * (top(meanings) - meant)
    other = [float(v @ towards) for _, v, lang in kept
             if v is not None and lang is not None and lang != language]  # fmt: skip
    return worded, meant, top(other) if other and language is not None else None


def test_a_story_of_one_report_is_weighed_as_its_whole() -> None:
    """Most stories in a window hold one report: its closeness is the story's, and the
    word index of its reports is never built (time and memory, for every candidate)."""
    one = reports.Reports()
    weights = {"quake": 0.8, "japan": 0.6}
    one.add(weights, np.array([1.0, 0.0], dtype=np.float32), "en")
    found = one.weigh(0.42, 0.77, weights, np.array([0.6, 0.8], dtype=np.float32), "en", {"en"})
    assert found == (0.42, 0.77, None)
    assert one._by_word is None
    # In another language, its meaning is weighed across, as before.
    across = one.weigh(0.0, 0.0, {"زلزال": 1.0}, np.array([0.6, 0.8], dtype=np.float32), "ar",
                       {"en"})  # fmt: skip
    assert across[2] == pytest.approx(0.6)
