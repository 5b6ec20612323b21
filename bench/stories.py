"""Online story clustering (newsbot) beside a batch average-link baseline, one run.

Streams ../shared/bench/curation/cluster_en_googlenews in file order through
bot.ingest.stories (the pipeline's code: the same words, the same index) and
prints B-cubed precision, recall and F1, on titles alone (T) and on title +
snippet (TS). The baseline is batch average-link clustering of TF-IDF vectors
(scipy), its cosine threshold tuned on the first half and scored on the
second; newsbot is scored on the same second half (having streamed the first
half before it) and on the whole set.
Peers need: .venv/bin/pip install -r bench/requirements.txt
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from collections import Counter
from pathlib import Path

from bot.ingest.stories import StoryIndex, story_words

DATA = (
    Path(__file__).resolve().parents[2] / "shared" / "bench" / "curation" / "cluster_en_googlenews"
)
NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def bcubed(pred: list[int], gold: list[int]) -> tuple[float, float, float]:
    in_pred, in_gold, both = Counter(pred), Counter(gold), Counter(zip(pred, gold, strict=True))
    precision = sum(both[(p, g)] / in_pred[p] for p, g in zip(pred, gold, strict=True)) / len(pred)
    recall = sum(both[(p, g)] / in_gold[g] for p, g in zip(pred, gold, strict=True)) / len(pred)
    return precision, recall, 2 * precision * recall / (precision + recall)


def newsbot(texts: list[str]) -> tuple[list[int], float]:
    index = StoryIndex()
    assigned: list[int] = []
    started = time.perf_counter()
    for article_id, text in enumerate(texts):
        words = story_words(text, "")
        placement = index.place(words)
        # A new story is named after its first article.
        story = placement.story if placement.story is not None else article_id
        index.add(story, article_id, words, NOW)
        assigned.append(story)
    return assigned, time.perf_counter() - started


def average_link(texts: list[str], gold: list[int]) -> tuple[tuple[float, float, float], float]:
    from scipy.cluster.hierarchy import fcluster, linkage
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_distances

    half = len(texts) // 2

    def clusters(part: list[str]):  # type: ignore[no-untyped-def]
        vectors = TfidfVectorizer(sublinear_tf=True).fit_transform(part)
        distances = cosine_distances(vectors)
        condensed = distances[__import__("numpy").triu_indices(len(part), 1)]
        return linkage(condensed, method="average")

    tree = clusters(texts[:half])
    best = max(
        (bcubed(list(fcluster(tree, t, "distance")), gold[:half])[2], t)
        for t in [0.80 + 0.01 * i for i in range(20)]
    )
    threshold = best[1]
    scored = bcubed(list(fcluster(clusters(texts[half:]), threshold, "distance")), gold[half:])
    return scored, 1 - threshold


def main() -> int:
    print("| data | method | B3 precision | B3 recall | B3 F1 | items/s |")
    print("|---|---|---|---|---|---|")
    for name in ("T", "TS"):
        rows = [json.loads(line) for line in (DATA / f"GoogleNews-{name}.jsonl").open()]
        texts, gold = [r["text"] for r in rows], [r["cluster"] for r in rows]
        half = len(texts) // 2
        assigned, seconds = newsbot(texts)
        rate = f"{len(texts) / seconds:.0f}"
        p, r, f = bcubed(assigned, gold)
        print(
            f"| {name} | newsbot online, all {len(texts)} | {p:.3f} | {r:.3f} | {f:.3f} | {rate} |"
        )
        p, r, f = bcubed(assigned[half:], gold[half:])
        print(f"| {name} | newsbot online, 2nd half | {p:.3f} | {r:.3f} | {f:.3f} | {rate} |")
        try:
            (p, r, f), similarity = average_link(texts, gold)
        except ImportError as error:
            print(f"| {name} | average-link: skipped, {error} | | | | |")
            continue
        print(f"| {name} | batch average-link, 2nd half (cos >= {similarity:.2f} tuned on 1st) "
              f"| {p:.3f} | {r:.3f} | {f:.3f} | - |", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
