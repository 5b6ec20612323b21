"""The story index's memory and placing time per article, on long real articles.

Builds a bot.curation.stories.StoryIndex as the curator does (placing_words with
meant=True, what the text means from the bundled model, place then add) from the
first N items of bench/stories.py's long sets (CNN and BBC Arabic articles, each
told twice: 2,000 items), and prints what tracemalloc counts as held by the index
(its words included: they are made while it is traced, as in the bot, where the
index keeps them after the article is gone) per article, and the placing time
(place and add, words and vectors made beforehand) per article. Past the set's
end, its items come again under other ids, a day later (a window of 72 hours
keeps them all).
Usage: .venv/bin/python bench/story_memory.py [--cache DIR] [--sizes 300 1000]
(--cache: where bench/stories.py keeps the model's vectors; without it, or with
--no-vectors, articles are placed by words alone.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import stories as bench_stories

from bot.curation.specifics import Specifics, specifics
from bot.curation.stories import StoryIndex
from bot.curation.story_words import placing_words
from bot.curation.summarize import sentences_of

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def items(vectors: bool) -> list[tuple[tuple[str, str], Any, str]]:
    """The long sets' items in stream order: (headline, text), vector, language."""
    found = []
    for name, texts, _ in bench_stories.long_texts():
        meant = bench_stories.embedded(texts) if vectors else [None] * len(texts)
        language = "ar" if "ar" in name else "en"
        found += [(text, meant[i], language) for i, text in enumerate(texts)]
    return found


def build(
    chosen: list[tuple[tuple[str, str], Any, str]], *, traced: bool
) -> tuple[float, float, int]:
    """KB held per article, and without bot/language.py's cache of stems (`traced`), or
    placing ms per article; and the stories made."""
    gc.collect()
    if traced:
        tracemalloc.start()
    index = StoryIndex()
    placing = 0.0
    for article_id, ((title, text), vector, language) in enumerate(chosen):
        when = NOW + dt.timedelta(days=article_id // 2000)
        split = sentences_of(text) if vector is not None else None
        words: Counter[str] = placing_words(title, None, text, meant=True, split=split)
        told: Specifics = specifics(title, text)
        started = time.perf_counter()
        placement = index.place(words, vector=vector, language=language, when=when, told=told)
        story = placement.story if placement.story is not None else article_id
        index.add(story, article_id, words, when, vector=vector, language=language, told=told)
        placing += time.perf_counter() - started
        del words, told, split
    if not traced:
        return 1000 * placing / len(chosen), 0.0, len(index)
    gc.collect()
    held, _ = tracemalloc.get_traced_memory()
    stems = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, "*language.py")])
    cached = sum(stat.size for stat in stems.statistics("filename"))
    tracemalloc.stop()
    return held / 1024 / len(chosen), (held - cached) / 1024 / len(chosen), len(index)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, help="bench/stories.py's folder of vectors")
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--no-vectors", action="store_true", help="place by words alone")
    args = parser.parse_args()
    bench_stories.CACHE = args.cache
    every = items(vectors=not args.no_vectors and args.cache is not None)
    print("| articles | stories | KB/article | KB/article without the stems' cache "
          "| placing ms/article |")  # fmt: skip
    print("|---|---|---|---|---|")
    for size in args.sizes:
        chosen = [every[i % len(every)] for i in range(size)]
        kb, kb_index, stories = build(chosen, traced=True)
        ms, _, _ = build(chosen, traced=False)  # timed apart: tracing slows it
        print(f"| {size} | {stories} | {kb:.1f} | {kb_index:.1f} | {ms:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
