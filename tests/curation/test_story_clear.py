"""A long text, or an article reached across languages, joins a story only if that story
stands clear of the next candidate, in closeness or, for a long text, in meaning
(bot/curation/stories.py, CLEAR)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import numpy as np
import pytest

from bot.curation import stories
from bot.curation.stories import StoryIndex

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
DIM = 16


def mixed(*parts: tuple[float, int]) -> np.ndarray:
    vector = np.zeros(DIM, dtype=np.float32)
    for weight, n in parts:
        vector[n] = weight
    return (vector / np.linalg.norm(vector)).astype(np.float32)


def words(prefix: str, count: int) -> Counter[str]:
    return Counter(f"{prefix}{n}" for n in range(count))


def two_stories(first: int, second: int, language: str = "en") -> StoryIndex:
    """Two stories on one subject, other events: `first` and `second` words of their own."""
    index = StoryIndex()
    index.add(1, 1, words("syria", first), NOW, vector=mixed((1.0, 0)), language=language)
    index.add(2, 2, words("damascus", second), NOW, vector=mixed((1.0, 1)), language=language)
    return index


def place(index: StoryIndex, text: Counter[str], vector: np.ndarray, language: str) -> int | None:
    return index.place(text, vector=vector, language=language, when=NOW).story


def test_a_long_text_as_close_to_two_stories_starts_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A long text sharing as many words (and as much meaning) with each of two stories
    # on its subject: it tells neither event, it is the subject's.
    between = words("syria", 30) + words("damascus", 30)
    both = mixed((1.0, 0), (1.0, 1))
    assert place(two_stories(30, 30), between, both, "en") is None
    # Closer by far to one of them, it joins that one.
    nearer = words("syria", 40) + words("damascus", 20)
    assert place(two_stories(40, 20), nearer, both, "en") == 1
    monkeypatch.setattr(stories, "CLEAR", 0.0)  # the closer of the two, however close
    assert place(two_stories(30, 30), between, both, "en") in (1, 2)


def test_a_long_text_as_close_in_words_but_closer_in_meaning_joins_that_story() -> None:
    # The subject's words, shared as much with each story; what the text means is closer
    # to the first story's (0.7) than to the second's (0.5) by more than CLEAR, though
    # its closeness, mostly words, is not.
    between = words("syria", 30) + words("damascus", 30)
    rest = float(np.sqrt(1 - 0.7**2 - 0.5**2))
    assert place(two_stories(30, 30), between, mixed((0.7, 0), (0.5, 1), (rest, 2)), "en") == 1
    # Closer by less than CLEAR (0.55 and 0.5), it tells neither event.
    rest = float(np.sqrt(1 - 0.55**2 - 0.5**2))
    assert place(two_stories(30, 30), between, mixed((0.55, 0), (0.5, 1), (rest, 2)), "en") is None


def test_a_headline_as_close_to_two_stories_joins_one() -> None:
    # Few words are as close to two parts of one big event as to either.
    headline = words("syria", 3) + words("damascus", 3)
    assert place(two_stories(30, 30), headline, mixed((1.0, 0), (1.0, 1)), "en") in (1, 2)


def test_across_languages_a_story_must_stand_clear_of_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An Arabic article close in meaning (0.50 and 0.47, over BAR_ACROSS) to two English
    # stories on its subject: the model's closeness to a subject, not to an event.
    arabic = Counter({"سوريا": 1, "دمشق": 1, "مفاوضات": 1})
    rest = float(np.sqrt(1 - 0.50**2 - 0.47**2))
    assert place(two_stories(5, 5), arabic, mixed((0.50, 0), (0.47, 1), (rest, 2)), "ar") is None
    # Close to one (0.60), and not to the other (0.20): it joins that one.
    rest = float(np.sqrt(1 - 0.60**2 - 0.20**2))
    assert place(two_stories(5, 5), arabic, mixed((0.60, 0), (0.20, 1), (rest, 2)), "ar") == 1
    monkeypatch.setattr(stories, "CLEAR", 0.0)
    rest = float(np.sqrt(1 - 0.50**2 - 0.47**2))
    assert place(two_stories(5, 5), arabic, mixed((0.50, 0), (0.47, 1), (rest, 2)), "ar") == 1
