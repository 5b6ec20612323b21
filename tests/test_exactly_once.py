"""Exactly once in chats that look like real ones, with real `newsbot run` processes.

Every chat here already holds what a chat holds after a day: the welcome, the
topic picker (edited by a press), the answer to /help, the user's own words, in
private chats and groups, and the digests of the days before. The processes are
killed with SIGKILL at random points of a digest run and started again, or run
two and three at a time on one database; every chat must get each day's digest
once, and not one earlier message may change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import Engine, make_url
from sqlmodel import col, select

from bot import catalog
from bot.config import Settings
from bot.loopback.bot_api import FakeBotAPI
from storage import db
from storage.db import session
from storage.models import Article, ArticleTopic, Chat, Lease, Outgoing, Source, Story, Topic
from tests.conftest import make_settings
from tests.processes import BotProcess, bot_env, no_sources

DIGEST = "📰 Your news digest"
ARCHIVE = FakeBotAPI.channel(-1_009_999_999, "Operator's archive")
BOT = "@newsbot_test_bot"
# How long a wait may last before the test gives up: generous, since on a shared
# machine starting `newsbot run` alone can take 15 s. Never a measure of speed.
WAIT = 180


class World:
    """A loopback Telegram with chats that have history, and one database."""

    def __init__(self, folder: Path, api: FakeBotAPI, database_url: str) -> None:
        self.folder, self.api, self.database_url = folder, api, database_url
        self.catalog = no_sources(folder)
        self.settings: Settings = make_settings(folder, database_url=database_url,
                                                sources_file=self.catalog)  # fmt: skip
        self.engine: Engine = db.make_engine(database_url)
        db.upgrade(self.engine)
        loaded = catalog.load(
            sources_path=self.settings.sources_path, topics_path=self.settings.topics_path
        )
        with session(self.engine) as s:
            catalog.sync(loaded, session=s)
        self.chats: list[int] = []
        self.day = 0
        # The operator's private channel, where the bot reads what arrived after a crash.
        api.add_bot(ARCHIVE, FakeBotAPI.user(9999, "Operator"), status="administrator")

    def process(self, **more: str) -> BotProcess:
        env = bot_env(self.api.base_url, self.api.token, self.database_url, self.catalog,
                      TELEGRAM_ARCHIVE_CHAT=str(ARCHIVE["id"]), **more)  # fmt: skip
        return BotProcess(self.folder, env)

    def chat_for_a_day(self, private: int, groups: int) -> None:
        """People start the bot, pick Economy, ask for /help and say thanks, through a real
        `newsbot run` that is then stopped as systemd stops it."""
        api = self.api
        people = [FakeBotAPI.user(80_000 + n, f"Reader {n}") for n in range(private + groups)]
        rooms = []
        for n, person in enumerate(people):
            if n < private:
                rooms.append((person, FakeBotAPI.private_chat(person), ""))
            else:
                group = FakeBotAPI.group(-1_008_000_000 - n, f"Readers {n}")
                api.add_bot(group, person)  # the person made the group: an admin
                rooms.append((person, group, BOT))
        self.chats = [room["id"] for _, room, _ in rooms]
        bot = self.process()
        try:
            for person, room, at in rooms:
                api.send(person, f"/start{at}", chat=room)
            for person, room, _ in rooms:
                picker = api.wait_for_messages(room["id"], 2, timeout=WAIT)[1]
                api.press(person, picker, text="Economy")
            api.wait_for(lambda: all("✅ Economy" in str(self.bot_messages(c)[1])
                                     for c in self.chats), timeout=WAIT)  # fmt: skip
            for person, room, at in rooms:
                api.send(person, f"/help{at}", chat=room)
                api.send(person, "thanks, that is all I need", chat=room)
            api.wait_for(lambda: all(len(self.bot_messages(c)) == 3 for c in self.chats),
                         timeout=WAIT)  # fmt: skip
        finally:
            assert bot.stop() == 0, bot.output()[-3000:]

    def bot_messages(self, chat_id: int) -> list[dict[str, object]]:
        return self.api.messages(chat_id)

    def digests(self, chat_id: int) -> int:
        return sum(1 for m in self.api.messages(chat_id) if str(m["text"]).startswith(DIGEST))

    def all_digests(self) -> int:
        return sum(self.digests(c) for c in self.chats)

    def news_of_the_day(self) -> None:
        """Three fresh economy stories from three sources, and every chat due now."""
        self.day += 1
        now = dt.datetime.now(dt.UTC)
        with session(self.engine) as s:
            economy = s.exec(select(Topic).where(Topic.slug == "economy")).one()
            for n in range(3):
                name = f"Wire {n}"
                source = s.exec(select(Source).where(Source.name == name)).first()
                if source is None:
                    source = Source(name=name, url=f"https://wire{n}.test/rss", origin="cli",
                                    language="en")  # fmt: skip
                    s.add(source)
                    s.flush()
                headline = f"Day {self.day}: markets story {n}"
                story = Story(headline=headline, first_seen_at=now, last_seen_at=now,
                              source_count=1, article_count=1)  # fmt: skip
                s.add(story)
                s.flush()
                key = f"wire{n}.test/day{self.day}"
                article = Article(source_id=source.id, url=f"https://{key}", url_key=key,
                                  title=headline, summary="What happened, in short.",
                                  story_id=story.id, fetched_at=now)  # fmt: skip
                s.add(article)
                s.flush()
                s.add(ArticleTopic(article_id=article.id, topic_id=economy.id, score=0.9))
            s.exec(update(Chat).values(next_digest_at=now - dt.timedelta(minutes=1)))  # type: ignore[call-overload]

    def snapshot(self) -> dict[int, list[dict[str, object]]]:
        return {chat: self.api.history(chat) for chat in self.chats}

    def check_the_day(
        self, before: dict[int, list[dict[str, object]]], calls: int, kills: int = 0
    ) -> None:
        """Each chat: what it held, unchanged, then exactly one new message, the digest."""
        changed, counts = [], {}
        for chat, earlier in before.items():
            now = self.api.history(chat)
            if now[: len(earlier)] != earlier:
                changed.append(chat)
            added = now[len(earlier) :]
            counts[chat] = [str(m.get("text", ""))[:40] for m in added]
        assert not changed, f"earlier messages changed in chats {changed[:10]}"
        wrong = {c: added for c, added in counts.items()
                 if len(added) != 1 or not added[0].startswith(DIGEST)}  # fmt: skip
        if wrong:
            with session(self.engine) as s:
                ledger = {o.chat_id: (o.status, o.attempts, o.error) for o in s.exec(
                    select(Outgoing).where(col(Outgoing.chat_id).in_(list(wrong)))
                    .order_by(col(Outgoing.id)))}  # fmt: skip
            wrong = {c: (added, ledger.get(c)) for c, added in wrong.items()}
        assert not wrong, (
            f"{len(wrong)} chats without exactly one digest: {list(wrong.items())[:5]}"
        )
        touched = [c.method for c in self.api.calls[calls:]
                   if c.method.startswith(("editMessage", "deleteMessage"))
                   and int(c.params.get("chat_id", 0)) != ARCHIVE["id"]]  # fmt: skip
        assert touched == [], "nothing is edited or deleted to find out what arrived"
        with session(self.engine) as s:
            statuses = [o.status for o in s.exec(select(Outgoing))]
        left = [status for status in statuses if status in ("pending", "sending")]
        assert left == [], "everything planned was sent"
        # The copies read there are deleted; a kill between a forward and its delete can
        # leave one in the operator's archive (never in a reader's chat): only copies.
        left = self.api.messages(ARCHIVE["id"])
        assert all(m.get("forward_origin") for m in left), "nothing but copies in the archive"
        assert len(left) <= kills, f"{len(left)} copies left in the archive, {kills} kills"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with FakeBotAPI() as api:
        yield World(tmp_path, api, f"sqlite:///{tmp_path / 'newsbot.db'}")


def test_sigkill_at_random_points_of_digest_runs_sends_each_digest_once_and_touches_nothing(
    world: World,
) -> None:
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    world.chat_for_a_day(private=90, groups=30)
    kills = 0
    for _day in range(3):
        world.news_of_the_day()
        before, calls = world.snapshot(), len(world.api.calls)
        for _ in range(8):
            done = world.all_digests()
            if done >= world.day * len(world.chats):
                break  # the day's digests are all out
            bot = world.process(SEND_PER_SECOND="20")  # a run long enough to be cut often
            if rng.random() < 0.3:  # anywhere: starting, taking the lease, planning, sending
                time.sleep(rng.uniform(1.5, 6.0))
            else:  # while digests go out
                with contextlib.suppress(TimeoutError):
                    world.api.wait_for(lambda d=done: world.all_digests() > d, timeout=60)  # type: ignore[misc]
                time.sleep(rng.uniform(0.0, 0.4))
            bot.kill()
            kills += 1
        bot = world.process()
        target = world.day * len(world.chats)
        try:
            world.api.wait_for(lambda t=target: world.all_digests() >= t, timeout=2 * WAIT)  # type: ignore[misc]
            bot.serving()
        finally:
            assert bot.stop() == 0, bot.output()[-3000:]
        world.check_the_day(before, calls, kills)
    assert kills >= 20, f"seed {seed}"


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_world(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[World]:
    """A world whose database is an SQLite file, then a PostgreSQL server (pgserver)."""
    if request.param == "sqlite":
        with FakeBotAPI() as api:
            yield World(tmp_path, api, f"sqlite:///{tmp_path / 'newsbot.db'}")
        return
    server_url = request.getfixturevalue("postgres_url")
    name = f"t{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(server_url).set(database=name).render_as_string(False)
    with FakeBotAPI() as api:
        world = World(tmp_path, api, url)
        yield world
        world.engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


@pytest.mark.parametrize("processes", [2, 3])
def test_several_processes_on_one_database_send_each_digest_once(
    shared_world: World, processes: int
) -> None:
    world = shared_world
    world.chat_for_a_day(private=170, groups=30)
    world.news_of_the_day()
    before, calls = world.snapshot(), len(world.api.calls)
    bots = {}
    for _ in range(processes):
        bot = world.process()
        bots[bot.pid] = bot
    try:
        world.api.wait_for(lambda: world.all_digests() > 20, timeout=WAIT)
        with session(world.engine) as s:
            holder = s.exec(select(Lease)).one().holder
        leader = bots.pop(int(holder.split(":")[1]))
        leader.kill()  # mid-run: the others finish its work
        world.api.wait_for(lambda: world.all_digests() >= len(world.chats), timeout=2 * WAIT)
        for bot in bots.values():
            bot.serving()
    finally:
        codes = [bot.stop() for bot in bots.values()]
    assert codes == [0] * (processes - 1)
    world.check_the_day(before, calls, kills=1)  # the leader's
    assert world.api.conflicts == 0, "only one process polled Telegram at a time"
    said = [bot.output() for bot in bots.values()]
    assert any("standing by: another newsbot holds the telegram lease" in out for out in said)
    assert any("took lease name=telegram" in out for out in said), "one of them took over"
