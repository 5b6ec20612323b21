"""A story's recent reports, and an article's closeness to those most like it. Pure.

A story's centroid is the average of its reports: a story that wrongly holds two
events sits between them, close to articles on neither (and then draws more in),
while a big story's centroid is its subject, not each of its angles. So half of
the closeness is to the story's reports themselves: the mean of the article's
closeness to the NEAREST_REPORTS of them most like it, among the RECENT_REPORTS
last ones in its language. For a pair, that is average-link (both reports must be
close); for a big story, its few reports most like the article.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from bot.curation.meanings import Vectors

NEAREST_REPORTS = 3
RECENT_REPORTS = 20  # ... which bounds the cost and memory of a story
REPORTS_SHARE = 0.5


class Reports:
    """A story's last RECENT_REPORTS reports: their TF-IDF, what they mean (if known)
    and their language."""

    def __init__(self) -> None:
        self._reports: deque[tuple[dict[str, float], Vectors | None, str | None]] = deque(
            maxlen=RECENT_REPORTS
        )

    def add(self, weights: dict[str, float], vector: Vectors | None, language: str | None) -> None:
        self._reports.append((weights, vector, language))

    def weigh(
        self, worded: float, meant: float, held: list[tuple[str, float]], vector: Vectors,
        language: str | None,
    ) -> tuple[float, float]:  # fmt: skip
        """The article's closeness to the story in words and in meaning (`worded`,
        `meant`: to its whole), moved REPORTS_SHARE of the way to its closeness to the
        reports most like it (`held`: the article's TF-IDF over the story's words)."""
        reported = self.nearest(held, vector, language)
        if reported is not None:
            near_words, near_meaning = reported
            worded += REPORTS_SHARE * (near_words - worded)
            if near_meaning is not None:
                meant += REPORTS_SHARE * (near_meaning - meant)
        return worded, meant

    def nearest(
        self, held: list[tuple[str, float]], vector: Vectors, language: str | None
    ) -> tuple[float, float | None] | None:
        """The article's closeness in words, and in meaning (None if none of them has a
        vector), to the NEAREST_REPORTS reports in its language most like it, averaged;
        None if the story has no recent report in its language."""
        same = [(w, v) for w, v, lang in self._reports if lang == language]
        if not same:
            return None
        worded = sorted((sum(x * w.get(t, 0.0) for t, x in held) for w, _ in same),
                        reverse=True)[:NEAREST_REPORTS]  # fmt: skip
        vectors = [v for _, v in same if v is not None]
        meant: list[float] = []
        if vectors:  # one product for all the reports, not one a report
            meant = sorted((np.stack(vectors) @ vector).tolist(), reverse=True)[:NEAREST_REPORTS]
        return sum(worded) / len(worded), sum(meant) / len(meant) if meant else None

    def across(self, vector: Vectors, language: str | None, languages: set[str]) -> float | None:
        """The article's closeness in meaning to the NEAREST_REPORTS reports in other
        (known) languages most like it, averaged; None if there is none with a vector,
        or the article's language is not known (`languages`: the story's)."""
        if language is None or languages <= {language}:
            return None
        meant = sorted((float(v @ vector) for _, v, lang in self._reports
                        if lang is not None and lang != language and v is not None),
                       reverse=True)[:NEAREST_REPORTS]  # fmt: skip
        return sum(meant) / len(meant) if meant else None
