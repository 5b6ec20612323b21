"""Polling at scale: 1,000 feeds on the loopback news site, run in its own process.

Articles are generated: each event is told by 5 feeds, in their own words around
the event's names, so that stories form as they do in real news (with one shared
vocabulary every article would resemble every other, and story placement would
cost what it never costs in production).
Cycles, each printed with wall time, CPU time and the peak RSS seen during it:
  ingest      every feed has 20 new items: fetch feed, fetch and extract each
              article page, store (empty database)
  unchanged   every feed answers 304: the cost of a quiet poll, per feed
  ingest+     20 more new items per feed with 20,000 articles already stored:
              peak memory must not grow with what is stored
Each newsbot cycle also prints the longest stall of the event loop during it: how
long a Telegram update arriving then would wait before the bot could answer it
(the bot and the scheduler share one loop).
Peer, same feeds, same run, measured last (so its memory does not count in
ours): feedparser.parse(url, etag=..., modified=...) for the unchanged cycle,
one feed after another (what a plain script does).

Usage: .venv/bin/python bench/poll.py [--feeds 1000] [--items 20]
As in production, each feed is a site of its own: feed N is fetched from
feed-N.bench.invalid, which the client's resolver sends to the one loopback
server. So connections are reused within a site (its feed, then its pages) and
never from one site to another (a quiet poll connects anew for every feed).
The limits on concurrency are the bot's own (8 sources at a time, 2 requests
per site).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
from measure import PeakRSS  # bench/measure.py, beside this script
from sqlalchemy import update

from bot.config import Settings
from bot.ingest.fetch import make_client
from bot.ingest.pipeline import Pipeline
from storage import db
from storage.models import Source

SENTENCE = (
    "the minister said on Sunday that talks on the new water agreement would resume "
    "next week after a pause of several months while experts reviewed the data"
)
COMMON = SENTENCE.split()
SYLLABLES = "ka lo mi ta re su no ba di ge ro fa".split()
NAMES = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES]  # 1,728


def headline_and_text(feed: int, item: str) -> tuple[str, list[str]]:
    """As news is: each event is told by 5 feeds, each in its own words around the
    event's names (places, people), in sentences of common words."""
    names = random.Random(f"event {item} {feed // 5}").sample(NAMES, 12)
    pick = random.Random(f"article {feed} {item}")
    headline = " ".join(pick.sample(names, 6)).capitalize()
    paragraphs = [
        " ".join(pick.choice(names) if pick.random() < 0.3 else pick.choice(COMMON)
                 for _ in range(40)).capitalize() + "."
        for _ in range(8)
    ]  # fmt: skip
    return headline, paragraphs


def page(feed: int, item: str) -> str:
    headline, paragraphs = headline_and_text(feed, item)
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{headline} | Bench</title>"
            f'<meta property="article:published_time" content="2026-11-29T08:00:00Z"></head>'
            f"<body><nav><a href='/'>Home</a></nav><article><h1>{headline}</h1>"
            f"{body}</article><footer>Bench</footer></body></html>")  # fmt: skip


def write_site(root: Path, feeds: int, items: int, round_: int) -> None:
    for feed in range(feeds):
        entries = []
        for n in range(items):
            item = f"{round_}-{n}"
            path = f"a/{feed}/{item}.html"
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(page(feed, item), encoding="utf-8")
            headline, _ = headline_and_text(feed, item)
            entries.append(f"<item><guid>{feed}-{item}</guid><link>/{path}</link>"
                           f"<title>{headline}</title></item>")  # fmt: skip
        (root / "feeds").mkdir(exist_ok=True)
        (root / f"feeds/{feed}.xml").write_text(
            f'<rss version="2.0"><channel><title>Feed {feed}</title>{"".join(entries)}'
            "</channel></rss>", encoding="utf-8")  # fmt: skip


def measure(run: Callable[[], Any]) -> tuple[Any, float, float, float]:
    with PeakRSS() as rss:
        cpu, wall = time.process_time(), time.perf_counter()
        result = run()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return result, wall, cpu, rss.peak / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--items", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "site"
        root.mkdir()
        write_site(root, args.feeds, args.items, 0)
        server = subprocess.Popen([sys.executable, "-m", "bot.loopback.news_site", str(root)],
                                  stdout=subprocess.PIPE, text=True)  # fmt: skip
        try:
            assert server.stdout is not None
            base = server.stdout.readline().strip()
            return run(args, root, base, Path(folder) / "bench.db")
        finally:
            server.terminate()
            server.wait()


def run(args: argparse.Namespace, root: Path, base: str, database: Path) -> int:
    settings = Settings(_env_file=None, database_url=f"sqlite:///{database}",  # type: ignore[call-arg]
                        allow_private_sources=True, http_timeout_seconds=60)  # fmt: skip
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    port = urlsplit(base).port
    with db.session(engine) as session:
        for feed in range(args.feeds):
            url = f"http://feed-{feed}.bench.invalid:{port}/feeds/{feed}.xml"
            session.add(Source(name=f"feed {feed}", url=url, origin="cli"))

    async def every_site_is_here(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    def make_all_due() -> None:
        with db.session(engine) as session:
            session.exec(update(Source).values(next_check_at=None))  # type: ignore[call-overload]

    stalls: list[float] = []

    async def watch_the_loop() -> None:
        """Wakes every 10 ms and records how late it woke (the loop was busy)."""
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(0.01)
            stalls[-1] = max(stalls[-1], time.perf_counter() - asked - 0.01)

    async def cycle(pipeline: Pipeline) -> tuple[int, int]:
        stalls.append(0.0)
        watcher = asyncio.create_task(watch_the_loop())
        new = polled = 0
        while outcomes := await pipeline.poll_due():
            polled += len(outcomes)
            new += sum(len(o.new_ids) for o in outcomes)
            failed = [o for o in outcomes if o.status == "failed"]
            if failed:
                print(f"# {len(failed)} feeds failed, first: {failed[0].error}", flush=True)
        watcher.cancel()
        return polled, new

    async def measured(pipeline: Pipeline) -> tuple[tuple[int, int], float, float, float]:
        with PeakRSS() as rss:
            cpu, wall = time.process_time(), time.perf_counter()
            result = await cycle(pipeline)
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        return result, wall, cpu, rss.peak / 1e6

    rows = []

    async def cycles() -> None:
        # One client and one pipeline for every cycle, as `newsbot run` keeps them.
        async with make_client(settings, resolve=every_site_is_here) as client:
            pipeline = Pipeline(settings, engine, client)  # the limits `newsbot run` has
            (polled, new), wall, cpu, peak = await measured(pipeline)
            rows.append(("newsbot ingest", polled, new, wall, cpu, peak))
            make_all_due()
            (polled, new), wall, cpu, peak = await measured(pipeline)
            rows.append(("newsbot unchanged (304)", polled, new, wall, cpu, peak))
            write_site(root, args.feeds, args.items, 1)
            make_all_due()
            (polled, new), wall, cpu, peak = await measured(pipeline)
            rows.append(("newsbot ingest+ (stored)", polled, new, wall, cpu, peak))

    asyncio.run(cycles())

    def feedparser_unchanged() -> tuple[int, int]:
        tags = [feedparser.parse(f"{base}/feeds/{feed}.xml") for feed in range(args.feeds)]
        quiet = 0
        for feed, first in enumerate(tags):
            again = feedparser.parse(f"{base}/feeds/{feed}.xml", etag=first.get("etag"),
                                     modified=first.get("modified"))  # fmt: skip
            quiet += again.get("status") == 304
        return args.feeds, quiet

    (polled, quiet), wall, cpu, peak = measure(feedparser_unchanged)
    rows.append(("feedparser, 2 GETs/feed", polled, 0, wall, cpu, peak))
    print(f"# feedparser: {quiet} of {polled} second GETs answered 304", flush=True)

    print()
    print(f"| {'cycle':<26} | {'feeds':>5} | {'new':>6} | {'wall s':>7} | {'CPU s':>6} | "
          f"{'CPU ms/feed':>11} | {'articles/s':>10} | {'peak RSS MB':>11} | "
          f"{'longest loop stall ms':>21} |")  # fmt: skip
    print("|" + "|".join("-" * w for w in (28, 7, 8, 9, 8, 13, 12, 13, 23)) + "|")
    for (name, polled, new, wall, cpu, peak), stall in zip(rows, [*stalls, None], strict=True):
        rate = f"{new / wall:.0f}" if new else "-"
        longest = f"{1000 * stall:.0f}" if stall is not None else "-"
        print(f"| {name:<26} | {polled:>5} | {new:>6} | {wall:>7.2f} | {cpu:>6.2f} | "
              f"{1000 * cpu / max(polled, 1):>11.3f} | {rate:>10} | {peak:>11.0f} | "
              f"{longest:>21} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
