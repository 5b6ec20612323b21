"""The recent stories' meanings: one unit vector a story, the mean of its articles'. Pure.

Held as one matrix, a row a story, so the stories nearest an article are found
with one product over the window (a few thousand rows: well under a
millisecond), whatever the archive holds. A story that leaves the window frees
its row for the next.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]  # unit vectors, a row each (what texts mean)


def unit(vectors: Vectors) -> Vectors:
    """The rows scaled to length 1 (a zero row stays zero)."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def pack(vector: Vectors) -> bytes:
    """A unit vector as stored: float16, 2 bytes a dimension (1 KB for 512)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def unpack(data: bytes) -> Vectors:
    """A stored vector, back as a float32 unit vector."""
    row: Vectors = unit(np.frombuffer(data, dtype=np.float16).astype(np.float32)[None, :])[0]
    return row


class Meanings:
    def __init__(self, dim: int = 0) -> None:
        self.dim = dim
        self._rows: dict[int, int] = {}  # story id -> its row
        self._sums: dict[int, Vectors] = {}  # story id -> the sum of its articles' vectors
        self._free: list[int] = []
        self._matrix: Vectors = np.zeros((0, dim), dtype=np.float32)
        self._owners: list[int | None] = []  # row -> story id

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._rows

    def add(self, story_id: int, vector: Vectors) -> None:
        """One more article of the story, with what it means."""
        if not self.dim:
            self.dim = len(vector)
            self._matrix = np.zeros((0, self.dim), dtype=np.float32)
        if len(vector) != self.dim:
            return  # another embedder's vector: not comparable
        total = self._sums.get(story_id)
        total = vector.astype(np.float32) if total is None else total + vector
        self._sums[story_id] = total
        row = self._rows.get(story_id)
        if row is None:
            row = self._free.pop() if self._free else self._grow()
            self._rows[story_id] = row
            self._owners[row] = story_id
        norm = float(np.linalg.norm(total))
        self._matrix[row] = total / norm if norm else total

    def vector(self, story_id: int) -> Vectors | None:
        """The story's meaning (a unit vector), if any article of it had one."""
        row = self._rows.get(story_id)
        return None if row is None else self._matrix[row].copy()

    def similarity(self, story_id: int, vector: Vectors) -> float | None:
        row = self._rows.get(story_id)
        return None if row is None else float(self._matrix[row] @ vector)

    def nearest(self, vector: Vectors, count: int = 1) -> list[tuple[int, float]]:
        """The `count` stories whose meaning is closest to `vector`, closest first."""
        if not self._rows or len(vector) != self.dim:
            return []
        scores = self._matrix[: len(self._owners)] @ vector.astype(np.float32)
        count = min(count, len(scores))
        best = np.argpartition(-scores, count - 1)[:count]
        found = [(self._owners[i], float(scores[i])) for i in best]
        return sorted(((s, c) for s, c in found if s is not None), key=lambda p: -p[1])

    def forget(self, story_id: int) -> None:
        row = self._rows.pop(story_id, None)
        self._sums.pop(story_id, None)
        if row is not None:
            self._matrix[row] = 0.0
            self._owners[row] = None
            self._free.append(row)

    def _grow(self) -> int:
        row = len(self._owners)
        if row >= len(self._matrix):
            bigger = np.zeros((max(64, 2 * len(self._matrix)), self.dim), dtype=np.float32)
            bigger[: len(self._matrix)] = self._matrix
            self._matrix = bigger
        self._owners.append(None)
        return row


def closest(
    query: Vectors, candidates: list[tuple[int, bytes]], floor: float
) -> list[tuple[int, float]]:
    """Candidates (id, a stored float16 vector) ranked by their cosine with `query`,
    those at `floor` or above, closest first."""
    if not candidates:
        return []
    matrix = np.frombuffer(b"".join(v for _, v in candidates), dtype=np.float16)
    matrix = matrix.reshape(len(candidates), -1).astype(np.float32)
    if matrix.shape[1] != len(query):
        return []
    scores = matrix @ query / (np.linalg.norm(matrix, axis=1) + 1e-9)
    order = np.argsort(-scores)
    return [(candidates[i][0], float(scores[i])) for i in order if scores[i] >= floor]
