"""What one delivery tick (every 20 s) costs on a busy day: 20,000 articles in 5,000
stories of the last 24 hours, each article with ~500 search stems and page links.

Prints, side by side: the whole read of the day's stories with every article's
stems (what every tick did before) and without them (what a digest needs unless a
due chat follows keywords); then a tick's two planners as they run now.
Usage: .venv/bin/python bench/tick.py [--articles 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import insert

from bot.delivery import AlertRules, plan_alerts, plan_digests
from storage import db
from storage import digests as digest_store
from storage.models import Article, Source, Story

NOW = dt.datetime(2026, 11, 29, 5, 0, tzinfo=dt.UTC)


def busy_day(path: Path, count: int) -> object:
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    stems = [f"stem{i}" for i in range(5000)]
    pick = random.Random(7)
    with db.session(engine) as session:
        session.add(Source(name="Wire", url="https://wire.test/rss"))
        session.flush()
        session.execute(insert(Story), [
            {"headline": f"Story {n}", "first_seen_at": NOW, "source_count": 1, "terms": stems[:12],
             "last_seen_at": NOW - dt.timedelta(minutes=pick.randint(0, 1400)), "article_count": 4}
            for n in range(count // 4)
        ])  # fmt: skip
        session.execute(insert(Article), [
            {"source_id": 1, "url": f"https://wire.test/{n}", "url_key": f"wire.test/{n}",
             "title": f"Headline {n}", "text": "", "summary": "Two short sentences. " * 5,
             "search_terms": " " + " ".join(pick.choices(stems, k=500)) + " ",
             "related": [{"title": "A related headline", "url": "https://wire.test/r",
                          "on_topic": True}] * 5,
             "story_id": 1 + n // 4, "fetched_at": NOW, "language": "en", "tags": []}
            for n in range(count)
        ])  # fmt: skip
    return engine


def seconds(call) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = busy_day(Path(folder) / "day.db", args.articles)
        since = NOW - dt.timedelta(hours=24)
        with db.session(engine) as session:  # type: ignore[arg-type]
            digest_store.recent_stories(since, session=session)  # warm the cache
            full = seconds(lambda: digest_store.recent_stories(since, session=session))
            lean = seconds(lambda: digest_store.recent_stories(since, session=session,
                                                               words=False))  # fmt: skip
        idle = seconds(lambda: plan_digests(engine, NOW, grace=dt.timedelta(hours=6), names={}))  # type: ignore[arg-type]
        alerts = seconds(lambda: plan_alerts(engine, NOW, rules=AlertRules(), names={}))  # type: ignore[arg-type]
    print("| articles in 24 h | day's stories with stems | without stems "
          "| tick, no digest due | alerts |")  # fmt: skip
    print("|---|---|---|---|---|")
    print(f"| {args.articles} | {full:.3f} s | {lean:.3f} s | {idle:.3f} s | {alerts:.3f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
