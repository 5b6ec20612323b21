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
Each set is placed twice: by words alone (the embedder off) and by words and
meaning (the bundled model, as the pipeline embeds headline and lead). Last,
bench/data/crosslingual.jsonl (events told in Arabic and in English, and
same-subject distractors, in order of publication): the share of events whose
reports end in one story, and of distractors merged, tune and check apart.
Peers need: .venv/bin/pip install -r bench/requirements.txt
Usage: .venv/bin/python bench/stories.py [--only T TS long cross] [--cache DIR]
[--no-peers]; --cache keeps the model's vectors between runs (keyed by the texts).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bot.curation.embed import Bundled, embed_text
from bot.curation.specifics import specifics
from bot.curation.stories import StoryIndex
from bot.curation.story_words import placing_words, story_words
from bot.curation.summarize import sentences_of
from bot.language import split_sentences

CURATION = Path(__file__).resolve().parents[2] / "shared" / "bench" / "curation"
DATA = CURATION / "cluster_en_googlenews"
sys.path.insert(0, str(CURATION))

import baseline_summ  # noqa: E402  (the shared loaders)

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
CROWD = 10_000  # a busy window: GoogleNews items placed before a long set
EVENTS = Path(__file__).parent / "data" / "crosslingual.jsonl"
MODEL = Bundled()
CACHE: Path | None = None  # where vectors are kept between runs (--cache)


def bcubed(pred: list[int], gold: list[int]) -> tuple[float, float, float]:
    in_pred, in_gold, both = Counter(pred), Counter(gold), Counter(zip(pred, gold, strict=True))
    precision = sum(both[(p, g)] / in_pred[p] for p, g in zip(pred, gold, strict=True)) / len(pred)
    recall = sum(both[(p, g)] / in_gold[g] for p, g in zip(pred, gold, strict=True)) / len(pred)
    return precision, recall, 2 * precision * recall / (precision + recall)


def newsbot(
    texts: list[str] | list[tuple[str, str]],
    crowd: list[str] = (),  # type: ignore[assignment]
    *,
    vectors: Any = None,
    crowd_vectors: Any = None,
    languages: list[str] | None = None,
    times: list[dt.datetime] | None = None,
) -> tuple[list[int], float]:
    """Stories for texts, or (headline, text) pairs placed as the pipeline does (with
    what they mean, when `vectors` are given); after placing the `crowd` (other items,
    not scored) when there is one."""
    index = StoryIndex()
    for number, text in enumerate(crowd):
        words = story_words(text, "")
        meant = None if crowd_vectors is None else crowd_vectors[number]
        told = specifics(text, "")
        placement = index.place(words, vector=meant, language="en", when=NOW, told=told)
        story = placement.story if placement.story is not None else -1 - number
        index.add(story, -1 - number, words, NOW, vector=meant, language="en", told=told)
    # The summary splits and stems a text before it is placed: placing reads its stems.
    splits = [sentences_of(item[1]) if isinstance(item, tuple) and vectors is not None else None
              for item in texts]  # fmt: skip
    assigned: list[int] = []
    started = time.perf_counter()
    for article_id, item in enumerate(texts):
        title, text = (item, "") if isinstance(item, str) else item
        by_meaning = vectors is not None
        words = placing_words(title, None, text, meant=by_meaning, split=splits[article_id])
        told = specifics(title, text)
        meant = None if vectors is None else vectors[article_id]
        language = languages[article_id] if languages else None
        when = times[article_id] if times else NOW
        placement = index.place(words, vector=meant, language=language, when=when, told=told)
        # A new story is named after its first article.
        story = placement.story if placement.story is not None else article_id
        index.add(story, article_id, words, when, vector=meant, language=language, told=told)
        assigned.append(story)
    return assigned, time.perf_counter() - started


def embedded(items: list[str] | list[tuple[str, str]]) -> Any:
    """What the items mean, from the bundled model, as the pipeline embeds them."""
    texts = [embed_text(i, None) if isinstance(i, str) else embed_text(i[0], i[1]) for i in items]
    if CACHE is None:
        return MODEL.encode(texts)
    import numpy as np

    key = hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()[:20]
    kept = CACHE / f"{MODEL.name}-{key}.npy"
    if kept.exists():
        return np.load(kept)
    vectors = MODEL.encode(texts)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(kept, vectors)
    return vectors


def crosslingual() -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """bench/data/crosslingual.jsonl in order of publication: its rows and items."""
    rows = [json.loads(line) for line in EVENTS.open(encoding="utf-8")]
    rows.sort(key=lambda row: row["published"])
    return rows, [(row["title"], row["lead"]) for row in rows]


def together(assigned: list[int], rows: list[dict[str, Any]], part: str) -> tuple[float, float]:
    """Of the events of `part`, the share whose reports (both languages) are in one story;
    of its distractors, the share placed in a story holding an event's report."""
    by_event: dict[str, set[int]] = {}
    holding: set[int] = set()
    for story, row in zip(assigned, rows, strict=True):
        if row["kind"] == "report":
            holding.add(story)
            if row["split"] == part:
                by_event.setdefault(row["event"], set()).add(story)
    joined = sum(1 for stories in by_event.values() if len(stories) == 1) / len(by_event)
    distractors = [story for story, row in zip(assigned, rows, strict=True)
                   if row["kind"] == "distractor" and row["split"] == part]  # fmt: skip
    return joined, sum(1 for s in distractors if s in holding) / len(distractors)


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
    global CACHE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=("T", "TS", "long", "cross"),
                        help="the sets to run (all by default)")  # fmt: skip
    parser.add_argument("--cache", type=Path, help="a folder keeping vectors between runs")
    parser.add_argument("--no-peers", action="store_true", help="no batch average-link")
    args = parser.parse_args()
    CACHE = args.cache
    only = set(args.only or ("T", "TS", "long", "cross"))
    print("| data | method | B3 precision | B3 recall | B3 F1 | items/s |")
    print("|---|---|---|---|---|---|")
    sets: list[tuple[str, list[str] | list[tuple[str, str]], list[int]]] = []
    for name in ("T", "TS"):
        rows = [json.loads(line) for line in (DATA / f"GoogleNews-{name}.jsonl").open()]
        sets.append((name, [r["text"] for r in rows], [r["cluster"] for r in rows]))
    crowd = [text for text in sets[1][1] if isinstance(text, str)][:CROWD]
    crowd_vectors = embedded(crowd) if "long" in only else None
    sets += long_texts()
    for name, texts, gold in sets:
        if name.split()[0] not in only:
            continue
        half = len(texts) // 2
        languages = ["ar" if "ar" in name else "en"] * len(texts)
        vectors = embedded(texts)
        for method, given in (("words alone", None), ("words and meaning", vectors)):
            assigned, seconds = newsbot(texts, vectors=given, languages=languages)
            rate = f"{len(texts) / seconds:.0f}"
            for part, scored in ((f"all {len(texts)}", slice(None)), ("1st half", slice(half)),
                                 ("2nd half", slice(half, None))):  # fmt: skip
                p, r, f = bcubed(assigned[scored], gold[scored])
                print(f"| {name} | newsbot, {method}, {part} | {p:.3f} | {r:.3f} | {f:.3f} "
                      f"| {rate} |")  # fmt: skip
            if name.startswith("long"):
                p, r, f = bcubed(newsbot(texts, crowd, vectors=given, crowd_vectors=None
                                         if given is None else crowd_vectors,
                                         languages=languages)[0], gold)  # fmt: skip
                print(f"| {name} | newsbot, {method}, all, in a window already holding "
                      f"{len(crowd):,} TS items | {p:.3f} | {r:.3f} | {f:.3f} | - |")  # fmt: skip
        if args.no_peers:
            continue
        try:
            flat = [t if isinstance(t, str) else f"{t[0]} {t[1][:600]}" for t in texts]
            (p, r, f), similarity = average_link(flat, gold)
        except ImportError as error:
            print(f"| {name} | average-link: skipped, {error} | | | | |")
            continue
        print(f"| {name} | batch average-link, 2nd half (cos >= {similarity:.2f} tuned on 1st) "
              f"| {p:.3f} | {r:.3f} | {f:.3f} | - |", flush=True)  # fmt: skip
    if "cross" not in only:
        return 0
    rows, items = crosslingual()
    vectors = embedded(items)
    times = [dt.datetime.fromisoformat(r["published"].replace("Z", "+00:00")) for r in rows]
    print()
    print("| cross-lingual events (bench/data) | method | part | events in one story "
          "| distractors merged |")  # fmt: skip
    print("|---|---|---|---|---|")
    for method, given in (("words alone", None), ("words and meaning", vectors)):
        assigned, _ = newsbot(items, vectors=given, languages=[r["lang"] for r in rows],
                              times=times)  # fmt: skip
        for part in ("tune", "check"):
            joined, merged = together(assigned, rows, part)
            print(f"| {len(rows)} reports and distractors | newsbot, {method} | {part} "
                  f"| {100 * joined:.0f}% | {100 * merged:.0f}% |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
