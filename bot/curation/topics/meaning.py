"""What each topic means: the embedder's vectors of its descriptions (Arabic and
English alike), one unit vector a topic, held as one matrix. Pure.

A topic's prototype is the mean of its descriptions' vectors: the written
description and the short headlines an editor would file under it, in both
languages, so an article in either language meets it. The descriptions' own
vectors are kept too: a broad topic (the economy: markets, companies, jobs,
prices) is many kinds of news, and an article close to one of its headlines is
of it even when far from their mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.curation.topics.rules import TopicRule

Vectors = npt.NDArray[np.float32]


def descriptions(rules: Sequence[TopicRule]) -> list[str]:
    """Every description of every topic, in order: what the embedder is given once."""
    return [text for rule in rules for text in rule.describe]


@dataclass(frozen=True)
class Prototypes:
    model: str  # the embedder's name: only its own vectors are compared with these
    slugs: tuple[str, ...]
    matrix: Vectors  # a unit row per topic, in the order of `slugs`
    # Each description's unit vector, a topic's together in the order of `slugs`, and
    # how many each topic has.
    seeds: Vectors
    sizes: tuple[int, ...]

    @classmethod
    def build(cls, model: str, rules: Sequence[TopicRule], vectors: Vectors) -> Prototypes:
        """From the vectors of descriptions(rules), in that order."""
        rows, slugs, sizes, kept, start = [], [], [], [], 0
        for rule in rules:
            end = start + len(rule.describe)
            if end > start:
                mean = vectors[start:end].mean(axis=0)
                rows.append(mean / (np.linalg.norm(mean) or 1.0))
                slugs.append(rule.slug)
                sizes.append(end - start)
                kept.append(vectors[start:end])
            start = end
        dim = vectors.shape[1] if vectors.ndim == 2 else 0
        matrix = np.vstack(rows).astype(np.float32) if rows else np.zeros((0, dim), np.float32)
        seeds = np.vstack(kept).astype(np.float32) if kept else np.zeros((0, dim), np.float32)
        norms = np.linalg.norm(seeds, axis=1, keepdims=True)
        seeds = (seeds / np.where(norms == 0, 1.0, norms)).astype(np.float32)
        return cls(model, tuple(slugs), matrix, seeds, tuple(sizes))

    def similarity(self, vector: Vectors) -> dict[str, float]:
        """The cosine of the article's vector with each topic's prototype."""
        if vector.shape != (self.matrix.shape[1],):
            return {}  # another embedder's vector
        return dict(zip(self.slugs, (self.matrix @ vector).tolist(), strict=True))
