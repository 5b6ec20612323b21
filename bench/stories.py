"""Online story clustering (newsbot) beside a batch average-link baseline, one run.

Streams ../shared/bench/curation/cluster_en_googlenews in file order through
bot.curation.stories (the pipeline's code: the same words, the same index) and
prints B-cubed precision, recall and F1, on titles alone (T) and on title +
snippet (TS). The baseline is batch average-link clustering of TF-IDF vectors
(scipy), its cosine threshold tuned on the first half and scored on the
second; newsbot is scored on the same second half (having streamed the first
half before it) and on the whole set.

GoogleNews items are short (a headline, a snippet); the pipeline places
headline + lead, three times as many words. So a third set, "long", is made
of the CNN and BBC Arabic articles of ../shared/bench/curation, each told
twice: as its headline and first half, and as the editors' own text
(highlights, standfirst) with the second half, arriving within the next 50
items. Most of these articles are different events on shared subjects (Syria,
the World Cup, Putin): the set tells whether long texts merge by subject. It
is placed again after 10,000 GoogleNews items, as in a busy window: a model
whose numbers grow with the window (its words, its articles) places otherwise.
Peers need: .venv/bin/pip install -r bench/requirements.txt
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

from bot.curation.stories import StoryIndex, story_words
from bot.language import split_sentences

CURATION = Path(__file__).resolve().parents[2] / "shared" / "bench" / "curation"
DATA = CURATION / "cluster_en_googlenews"
sys.path.insert(0, str(CURATION))

import baseline_summ  # noqa: E402  (the shared loaders)

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
CROWD = 10_000  # a busy window: GoogleNews items placed before a long set


def bcubed(pred: list[int], gold: list[int]) -> tuple[float, float, float]:
    in_pred, in_gold, both = Counter(pred), Counter(gold), Counter(zip(pred, gold, strict=True))
    precision = sum(both[(p, g)] / in_pred[p] for p, g in zip(pred, gold, strict=True)) / len(pred)
    recall = sum(both[(p, g)] / in_gold[g] for p, g in zip(pred, gold, strict=True)) / len(pred)
    return precision, recall, 2 * precision * recall / (precision + recall)


def newsbot(
    texts: list[str] | list[tuple[str, str]],
    crowd: list[str] = (),  # type: ignore[assignment]
) -> tuple[list[int], float]:
    """Stories for texts, or (headline, text) pairs placed as the pipeline does; after
    placing the `crowd` (other items, not scored) when there is one."""
    index = StoryIndex()
    for number, text in enumerate(crowd):
        words = story_words(text, "")
        placement = index.place(words)
        story = placement.story if placement.story is not None else -1 - number
        index.add(story, -1 - number, words, NOW)
    assigned: list[int] = []
    started = time.perf_counter()
    for article_id, item in enumerate(texts):
        words = story_words(item, "") if isinstance(item, str) else story_words(*item)
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


def long_texts(limit: int = 500) -> list[tuple[str, list[tuple[str, str]], list[int]]]:
    """The long set, per language: its name, (headline, text) items in stream order,
    and each item's article."""
    sets = []
    for name, docs, editors in (
        ("long en (CNN)", baseline_summ.load_en_cnn(limit), "highlights"),
        ("long ar (BBC)", baseline_summ.load_ar_bbc(limit), "abstract"),
    ):
        told: list[tuple[float, int, tuple[str, str]]] = []
        arrival = random.Random(0)
        for number, doc in enumerate(docs):
            sentences = doc["sentences"]
            middle = max(2, len(sentences) // 2)
            own = split_sentences(doc["refs"][editors]) or [doc["refs"][editors]]
            told.append((number, number, (sentences[0][:120], " ".join(sentences[1:middle]))))
            later = number + 50 * arrival.random()
            told.append((later, number, (own[0], " ".join(own[1:] + sentences[middle:]))))
        told.sort(key=lambda item: item[0])
        sets.append((name, [item for _, _, item in told], [article for _, article, _ in told]))
    return sets


def main() -> int:
    print("| data | method | B3 precision | B3 recall | B3 F1 | items/s |")
    print("|---|---|---|---|---|---|")
    sets: list[tuple[str, list[str] | list[tuple[str, str]], list[int]]] = []
    for name in ("T", "TS"):
        rows = [json.loads(line) for line in (DATA / f"GoogleNews-{name}.jsonl").open()]
        sets.append((name, [r["text"] for r in rows], [r["cluster"] for r in rows]))
    crowd = [text for text in sets[1][1] if isinstance(text, str)][:CROWD]
    sets += long_texts()
    for name, texts, gold in sets:
        half = len(texts) // 2
        assigned, seconds = newsbot(texts)
        rate = f"{len(texts) / seconds:.0f}"
        p, r, f = bcubed(assigned, gold)
        print(
            f"| {name} | newsbot online, all {len(texts)} | {p:.3f} | {r:.3f} | {f:.3f} | {rate} |"
        )
        p, r, f = bcubed(assigned[half:], gold[half:])
        print(f"| {name} | newsbot online, 2nd half | {p:.3f} | {r:.3f} | {f:.3f} | {rate} |")
        if name.startswith("long"):
            p, r, f = bcubed(newsbot(texts, crowd)[0], gold)
            print(f"| {name} | newsbot online, all {len(texts)}, in a window already holding "
                  f"{len(crowd):,} TS items | {p:.3f} | {r:.3f} | {f:.3f} | - |")  # fmt: skip
        try:
            flat = [t if isinstance(t, str) else f"{t[0]} {t[1][:600]}" for t in texts]
            (p, r, f), similarity = average_link(flat, gold)
        except ImportError as error:
            print(f"| {name} | average-link: skipped, {error} | | | | |")
            continue
        print(f"| {name} | batch average-link, 2nd half (cos >= {similarity:.2f} tuned on 1st) "
              f"| {p:.3f} | {r:.3f} | {f:.3f} | - |", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
