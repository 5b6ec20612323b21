"""Does placing an article in a story cost more when the archive is larger?

Two stores, one holding 1,000 older articles and one 100,000 (all older than
the story window, as an archive is), each with the same 1,000 recent articles
in stories. Then the same 500 new articles are curated (story placement,
copies, topics, summary) in each, and the time per article is printed side by
side. The goal: at most 2x apart (ours keeps only the window in memory).
Usage: .venv/bin/python bench/story_cost.py [--archive 100000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from bot import catalog
from bot.config import Settings
from bot.curation.curate import Curator
from bot.curation.embed import pack
from storage import db
from storage.models import Article, Source

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)
VOCABULARY = (
    "minister talks dam river deal oil prices market election vote court police storm "
    "flood match final club coach league bank rate inflation war ceasefire army border "
    "talks summit health vaccine hospital school strike union budget tax energy gas"
)
WORDS = VOCABULARY.split()
MODEL = "use-m3"


def text(rng: random.Random, n: int = 120) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)) + "."


def vector(rng: random.Random, meaning: bool) -> bytes | None:
    """A random unit vector of the bundled model's size, stored as the pipeline does."""
    if not meaning:
        return None
    values = np.random.default_rng(rng.getrandbits(32)).standard_normal(512)
    return pack((values / np.linalg.norm(values)).astype(np.float32))


def build(folder: Path, archived: int, settings: Settings, meaning: bool) -> tuple[Curator, object]:
    engine = db.make_engine(f"sqlite:///{folder / f'{archived}-{meaning}.db'}")
    db.upgrade(engine)
    rng = random.Random(7)
    with db.session(engine) as session:
        catalog.sync(catalog.load(sources_path=settings.sources_path,
                                  topics_path=settings.topics_path), session=session)  # fmt: skip
        source = Source(name="Bench", url="https://bench.invalid/rss", origin="cli")
        session.add(source)
        session.flush()
        old = NOW - dt.timedelta(days=30)
        rows = [
            {"source_id": source.id, "url": f"https://bench.invalid/old/{i}",
             "url_key": f"bench.invalid/old/{i}", "title": text(rng, 8), "text": text(rng),
             "fetched_at": old, "tags": [], "related": [], "vector": vector(rng, meaning),
             "vector_model": MODEL if meaning else None}
            for i in range(archived)
        ]  # fmt: skip
        for start in range(0, len(rows), 5000):
            session.exec(insert(Article), params=rows[start : start + 5000])  # type: ignore[call-overload]
    curator = Curator(engine, settings.topics_path, clock=lambda: NOW,
                      embedder_name=MODEL if meaning else "off")  # fmt: skip
    recent_rng = random.Random(11)
    for i in range(1000):
        curate_one(engine, curator, recent_rng, f"recent/{i}", source.id or 0, meaning)
    return curator, (engine, source.id)


def curate_one(engine, curator: Curator, rng: random.Random, key: str, source_id: int,  # type: ignore[no-untyped-def]
               meaning: bool) -> None:  # fmt: skip
    with db.session(engine) as session:
        meant = vector(rng, meaning)
        article = Article(source_id=source_id, url=f"https://bench.invalid/{key}",
                          url_key=f"bench.invalid/{key}", title=text(rng, 8), text=text(rng),
                          fetched_at=NOW, vector=meant,
                          vector_model=MODEL if meant else None)  # fmt: skip
        curator.store(article, now=NOW, session=session)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=int, default=100_000)
    args = parser.parse_args()
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    print("| placed by | archived articles | recent articles | ms per new article |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for meaning in (False, True):
            results = {}
            name = "words and meaning (vectors of 512)" if meaning else "words alone"
            for archived in (1_000, args.archive):
                curator, (engine, source_id) = build(Path(folder), archived, settings, meaning)
                rng = random.Random(99)
                started = time.perf_counter()
                for i in range(500):
                    curate_one(engine, curator, rng, f"new/{i}", source_id, meaning)
                results[archived] = 1000 * (time.perf_counter() - started) / 500
                print(f"| {name} | {archived} | 1000 | {results[archived]:.2f} |", flush=True)
                engine.dispose()  # type: ignore[attr-defined]
            print(f"# {name}: ratio {results[args.archive] / results[1_000]:.2f}x "
                  "(goal: at most 2x)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
