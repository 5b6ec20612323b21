"""Headlines under a story that add something: other stories close to it. Pure.

Close by meaning when both stories have a vector (what their articles mean,
bot/curation/embed.py; the cosine of two unit vectors), else by words as before:
a shared topic and shared key terms. Candidates come from a window longer than
the digest's (RELATED_WINDOW), so that a running story's earlier events are
found. Then the links its page offered that curation found on topic. Never a
report of the story itself (the sources line links each of them), never a story
the same digest shows, and only stories the reader gets in their languages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np
import numpy.typing as npt

from bot.curation.meanings import unpack
from bot.digest.coverage import Reader, coverage
from storage.digests import StoryRow

RELATED_WINDOW = dt.timedelta(hours=72)
MEANING = 0.45  # the least cosine of two stories' meanings that makes them related
WORDS = 0.15  # the least share of key terms, for stories without a meaning
SHOWN = 3


class Related:
    """Finds related stories among `rows` (the related window's stories)."""

    def __init__(self, rows: list[StoryRow]) -> None:
        self.rows = {row.story_id: row for row in rows}
        self._by_topic: dict[str, list[StoryRow]] = defaultdict(list)
        for row in rows:
            for slug in row.topics:
                self._by_topic[slug].append(row)
        with_meaning = [(row.story_id, row.vector) for row in rows if row.vector]
        self._ids = [story_id for story_id, _ in with_meaning]
        self._matrix = _units([vector for _, vector in with_meaning if vector])
        self._found: dict[tuple[int, Reader], list[tuple[StoryRow, float]]] = {}

    def close(self, row: StoryRow, reader: Reader) -> list[tuple[StoryRow, float]]:
        """The stories close to `row` that `reader` gets, closest first."""
        key = (row.story_id, reader)
        if key not in self._found:
            self._found[key] = self._close(row, reader)
        return self._found[key]

    def _close(self, row: StoryRow, reader: Reader) -> list[tuple[StoryRow, float]]:
        scores: dict[int, float] = {}
        own = _units([row.vector]) if row.vector else None
        if own is not None and len(self._ids) and own.shape[1] == self._matrix.shape[1]:
            for story_id, cosine in zip(self._ids, (self._matrix @ own[0]).tolist(),
                                        strict=True):  # fmt: skip
                if cosine >= MEANING:
                    scores[story_id] = cosine
        terms = set(row.terms)
        for slug in row.topics:
            for other in self._by_topic.get(slug, ()):
                if other.story_id in scores or (own is not None and other.vector):
                    continue  # both have a meaning: the meaning decides
                share = _share(terms, set(other.terms))
                if share >= WORDS:
                    scores[other.story_id] = share
        scores.pop(row.story_id, None)
        ranked = sorted(scores.items(), key=lambda pair: pair[1], reverse=True)
        return [(self.rows[i], score) for i, score in ranked
                if i in self.rows and coverage(self.rows[i], reader) is not None]  # fmt: skip


def _share(mine: set[str], theirs: set[str]) -> float:
    if not mine or not theirs:
        return 0.0
    return len(mine & theirs) / len(mine | theirs)


def _units(vectors: list[bytes]) -> npt.NDArray[np.float32]:
    """Stored vectors as rows of unit vectors (vectors of another size than the first
    are not comparable, and left out as zero rows)."""
    if not vectors:
        return np.zeros((0, 0), dtype=np.float32)
    rows = [unpack(v) for v in vectors]
    size = len(rows[0])
    return np.stack([r if len(r) == size else np.zeros(size, np.float32) for r in rows])
