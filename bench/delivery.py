"""Fan-out: 10,000 chats with a digest due at the same minute, against the loopback
Bot API enforcing 30 messages/s overall and 1/s per chat (429 + retry_after).

Prints the send rate achieved as a share of the limit, 429s received and
recovered, duplicates, lost messages, peak memory; then how fast the stories of
100,000 chats' digests are chosen (planning only, no sending); then a run of two
real `newsbot run` processes on one database, every chat holding an earlier
message, the sending one killed with SIGKILL a third of the way through: the
rate while sending, how long the other took to take over, duplicates, losses,
and earlier messages changed. The delivery line keeps the form the delivery
issue asked for; the pair line follows it.
Usage: .venv/bin/python bench/delivery.py [--chats 10000] [--selection-chats 100000]
       [--pair-chats 3000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from measure import PeakRSS  # bench/measure.py, beside this script
from sqlalchemy import insert
from sqlmodel import select
from telegram import Bot

from bot import catalog
from bot.config import Settings
from bot.delivery import Courier, plan_digests
from bot.loopback.bot_api import FakeBotAPI, RateLimits
from bot.tg.limits import Limiter, Limits
from bot.tg.send import Sender
from bot.wire import telegram_request
from storage import db
from storage.models import (
    Article,
    ArticleTopic,
    Chat,
    Lease,
    Source,
    Story,
    Subscription,
    Topic,
)

NOW = dt.datetime(2026, 11, 29, 5, 0, tzinfo=dt.UTC)
LIMIT = 30
FIRST_ID = 10_000_000


def newsroom(path: Path, chats: int, settings: Settings, now: dt.datetime = NOW) -> object:
    engine = db.make_engine(f"sqlite:///{path}")
    db.upgrade(engine)
    with db.session(engine) as session:
        catalog.sync(catalog.load(sources_path=settings.sources_path,
                                  topics_path=settings.topics_path), session=session)  # fmt: skip
        topics = {t.slug: t.id for t in session.exec(select(Topic))}
        sources = [Source(name=f"Source {n}", url=f"https://s{n}.test/rss", language="en")
                   for n in range(6)]  # fmt: skip
        session.add_all(sources)
        session.flush()
        for n in range(12):
            seen = now - dt.timedelta(minutes=10 * n)
            story = Story(headline=f"Energy story {n}", first_seen_at=now, article_count=1,
                          last_seen_at=seen, source_count=1)  # fmt: skip
            session.add(story)
            session.flush()
            article = Article(source_id=sources[n % 6].id, url=f"https://s.test/{n}",
                              url_key=f"s.test/{n}", title=story.headline, story_id=story.id,
                              summary=f"What happened in story {n}, in two short sentences.",
                              fetched_at=now)  # fmt: skip
            session.add(article)
            session.flush()
            session.add(ArticleTopic(article_id=article.id, topic_id=topics["energy"], score=0.8))
        rows = [{"id": FIRST_ID + i, "kind": "private", "language": "en", "timezone": "UTC",
                 "digest_time": "05:00", "next_digest_at": now, "active": True,
                 "created_at": now} for i in range(chats)]  # fmt: skip
        for start in range(0, chats, 5000):
            session.exec(insert(Chat), params=rows[start : start + 5000])  # type: ignore[call-overload]
        subs = [{"chat_id": FIRST_ID + i, "topic_id": topics["energy"], "created_at": now}
                for i in range(chats)]  # fmt: skip
        for start in range(0, chats, 5000):
            session.exec(insert(Subscription), params=subs[start : start + 5000])  # type: ignore[call-overload]
    return engine


async def send_all(engine: object, api: FakeBotAPI) -> tuple[float, int]:
    request = telegram_request(timeout=30, connections=128)
    async with Bot(api.token, base_url=api.base_url, request=request) as bot:
        sender = Sender(bot, Limiter(Limits(per_second=LIMIT, private_per_second=1)))
        courier = Courier(engine, sender, concurrency=128)  # type: ignore[arg-type]
        started = time.perf_counter()
        while (report := await courier.send_unsent()).sent or report.failed:
            pass
        return time.perf_counter() - started, sender.retry_after_seen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--selection-chats", type=int, default=100_000)
    parser.add_argument("--pair-chats", type=int, default=3000, help="0: no two-process run")
    args = parser.parse_args()
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    names = {"energy": ("الطاقة", "Energy")}
    rss = PeakRSS()
    rss.start()
    with (
        tempfile.TemporaryDirectory() as folder,
        FakeBotAPI(limits=RateLimits(per_second=LIMIT, per_chat_per_second=1)) as api,
    ):
        engine = newsroom(Path(folder) / "fanout.db", args.chats, settings)
        for i in range(args.chats):
            api.register(FakeBotAPI.private_chat(FakeBotAPI.user(FIRST_ID + i)))
        plan = plan_digests(engine, NOW, grace=dt.timedelta(hours=6), names=names)  # type: ignore[arg-type]
        seconds, retry_afters = asyncio.run(send_all(engine, api))
        counts = [len(api.messages(FIRST_ID + i)) for i in range(args.chats)]
        sent = sum(counts)
        duplicates = sum(c - 1 for c in counts if c > 1)
        lost = sum(1 for c in counts if c == 0)
        accepted = sorted(c.at for c in api.calls_to("sendMessage") if c.ok)
        # The rate Telegram sees: accepted sends from the first to the last.
        rate = (len(accepted) - 1) / (accepted[-1] - accepted[0]) / LIMIT
        overall = sent / seconds / LIMIT
        recovered = retry_afters if lost == 0 else retry_afters - lost
        print("| chats | planned | sent | seconds | rate seen by Telegram | rate overall | 429s "
              "| duplicates | lost |")  # fmt: skip
        print("|---|---|---|---|---|---|---|---|---|")
        print(f"| {args.chats} | {plan.planned} | {sent} | {seconds:.1f} | {100 * rate:.1f}% "
              f"| {100 * overall:.1f}% | {retry_afters} | {duplicates} | {lost} |")  # fmt: skip
        selection = newsroom(Path(folder) / "selection.db", args.selection_chats, settings)
        started = time.perf_counter()
        planned = plan_digests(selection, NOW, grace=dt.timedelta(hours=6), names=names)  # type: ignore[arg-type]
        per_second = planned.planned / (time.perf_counter() - started)
        print(f"# selection (and planning) for {planned.planned} chats: {per_second:.0f} chats/s")
    rss.stop()
    print(f"delivery: rate {100 * rate:.1f}% of limit, 429s {retry_afters} recovered "
          f"{recovered}, duplicates {duplicates}, lost {lost}, peak {rss.peak / 1e6:.0f} MB, "
          f"selection {per_second:.0f} chats/s")  # fmt: skip
    if args.pair_chats:
        print(pair(args.pair_chats, settings))
    return 0


def pair(chats: int, settings: Settings) -> str:
    """Two `newsbot run` on one database; the one sending is killed a third of the way."""
    now = dt.datetime.now(dt.UTC)
    with (
        tempfile.TemporaryDirectory() as folder,
        FakeBotAPI() as api,  # its limits are set once the chats hold their history
    ):
        database = Path(folder) / "pair.db"
        newsroom(database, chats, settings, now)
        earlier = {}
        for i in range(chats):  # each chat already holds an answer of the bot's
            chat = FakeBotAPI.private_chat(FakeBotAPI.user(FIRST_ID + i))
            api.register(chat)
            api.send(FakeBotAPI.user(FIRST_ID + i), "good morning")
            api.handle(api.token, "sendMessage", {"chat_id": chat["id"], "text": "What you can..."})
            earlier[chat["id"]] = api.history(chat["id"])
        api.limits = RateLimits(per_second=LIMIT, per_chat_per_second=1)
        catalog = Path(folder) / "none.toml"
        catalog.write_text("", encoding="utf-8")
        env = {"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
               "DATABASE_URL": f"sqlite:///{database}", "SOURCES_FILE": str(catalog),
               "LEADER_LEASE_SECONDS": "5", "SEND_PER_SECOND": str(LIMIT),
               "PATH": os.environ.get("PATH", ""), "PTB_TIMEDELTA": "true"}  # fmt: skip
        runs = [subprocess.Popen([sys.executable, "-m", "bot", "run"], env=env, cwd=folder,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for _ in range(2)]  # fmt: skip

        def digests() -> list[float]:
            sent = [c for c in api.calls_to("sendMessage") if c.ok]
            return sorted(c.at for c in sent if str(c.params.get("text")).startswith("<b>📰"))

        try:
            api.wait_for(lambda: len(digests()) >= chats // 3, timeout=600)
            with db.session(db.make_engine(f"sqlite:///{database}")) as session:
                holder = session.exec(select(Lease)).one().holder
            leader = next(r for r in runs if r.pid == int(holder.split(":")[1]))
            leader.kill()
            killed_at = time.time()
            api.wait_for(lambda: len(digests()) >= chats, timeout=900)
        finally:
            for run in runs:
                if run.poll() is None:
                    run.send_signal(signal.SIGTERM)
                run.wait(timeout=60)
        sends = digests()
        before = [t for t in sends if t <= killed_at]
        after = [t for t in sends if t > killed_at]
        gap = after[0] - killed_at if after else float("nan")
        sending = (before[-1] - before[0]) + (after[-1] - after[0]) if after else 0.0
        rate = (len(sends) - 2) / sending / LIMIT if sending else 0.0
        counts = [sum(1 for m in api.messages(c) if m["text"].startswith("📰")) for c in earlier]
        changed = sum(1 for c, was in earlier.items() if api.history(c)[: len(was)] != was)
        return (f"pair: 2 processes, {chats} chats, rate while sending {100 * rate:.1f}% of "
                f"limit, takeover {gap:.1f} s after the kill (lease 5 s), duplicates "
                f"{sum(n - 1 for n in counts if n > 1)}, lost {counts.count(0)}, "
                f"other messages changed {changed}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
