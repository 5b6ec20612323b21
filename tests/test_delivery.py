"""The delivery engine against the loopback Bot API: exactly once, across crashes."""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram import Bot

from bot import catalog
from bot.config import Settings
from bot.delivery import AlertRules, Courier, plan_alerts, plan_digests
from bot.loopback.bot_api import FakeBotAPI
from bot.tg.limits import Limiter, Limits
from bot.tg.send import Sender
from bot.wire import telegram_request
from storage.db import session
from storage.models import (
    Article,
    ArticleTopic,
    Chat,
    Delivery,
    Outgoing,
    Source,
    Story,
    Subscription,
    Topic,
)
from tests.conftest import child_env, wait

NOW = dt.datetime(2026, 11, 29, 5, 0, tzinfo=dt.UTC)  # 08:00 in Riyadh
GRACE = dt.timedelta(hours=6)
NAMES = {"energy": ("الطاقة", "Energy"), "sports": ("رياضة", "Sports")}


def users(n: int) -> list[dict[str, object]]:
    return [FakeBotAPI.user(5000 + i, f"Reader {i}") for i in range(n)]


@pytest.fixture
def newsroom(engine: Engine, settings: Settings) -> Engine:
    """Topics, and three recent energy stories and one on sports."""
    with session(engine) as db:
        catalog.sync(catalog.load(sources_path=settings.sources_path,
                                  topics_path=settings.topics_path), session=db)  # fmt: skip
        source = Source(name="Wire", url="https://wire.test/rss", origin="cli", language="en")
        db.add(source)
        db.flush()
        topics = {t.slug: t.id for t in db.exec(select(Topic))}
        for n, slug in enumerate(["energy", "energy", "energy", "sports"]):
            story = Story(headline=f"{slug} story {n}", first_seen_at=NOW, source_count=1,
                          last_seen_at=NOW - dt.timedelta(hours=n), article_count=1)  # fmt: skip
            db.add(story)
            db.flush()
            db.add(Article(source_id=source.id, url=f"https://wire.test/{n}", story_id=story.id,
                           url_key=f"wire.test/{n}", title=story.headline,
                           summary=f"Summary {n}.", fetched_at=NOW))  # fmt: skip
            db.flush()
            article = db.exec(select(Article).where(Article.url_key == f"wire.test/{n}")).one()
            db.add(ArticleTopic(article_id=article.id, topic_id=topics[slug], score=0.8))
    return engine


def add_chats(engine: Engine, api: FakeBotAPI, people: list[dict[str, object]],
              *, due: dt.datetime = NOW, zone: str = "Asia/Riyadh") -> None:  # fmt: skip
    with session(engine) as db:
        energy = db.exec(select(Topic).where(Topic.slug == "energy")).one()
        for person in people:
            api.send(person, "/start")
            chat_id = int(person["id"])  # type: ignore[call-overload]
            db.add(Chat(id=chat_id, kind="private", language="en", timezone=zone,
                        digest_time="08:00", next_digest_at=due))  # fmt: skip
            db.flush()
            db.add(Subscription(chat_id=chat_id, topic_id=energy.id))


@pytest.fixture
async def bot(bot_api: FakeBotAPI) -> AsyncIterator[Bot]:
    request = telegram_request(timeout=0.5, connections=64)
    async with Bot(bot_api.token, base_url=bot_api.base_url, request=request) as bot:
        yield bot


def sender(bot: Bot) -> Sender:
    return Sender(bot, Limiter(Limits(per_second=200, private_per_second=50)), backoff=0.05)


def digests(api: FakeBotAPI, people: list[dict[str, object]]) -> dict[int, list[str]]:
    return {int(p["id"]): [m["text"] for m in api.messages(int(p["id"]))] for p in people}  # type: ignore[call-overload]


async def test_a_due_digest_is_planned_sent_once_and_rescheduled(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot
) -> None:
    people = users(3)
    add_chats(newsroom, bot_api, people)
    report = plan_digests(newsroom, NOW, grace=GRACE, names=NAMES)
    assert (report.planned, report.messages) == (3, 3)
    sent = await Courier(newsroom, sender(bot)).send_unsent()
    assert sent.sent == 3
    for texts in digests(bot_api, people).values():
        [text] = texts
        assert "energy story 0" in text and "energy story 1" in text
        assert "energy story 2" not in text, "one source may not fill a digest"
        assert "sports story" not in text, "only followed topics"
    with session(newsroom) as db:
        chat = db.get(Chat, int(people[0]["id"]))  # type: ignore[call-overload]
        assert chat is not None
        assert chat.next_digest_at == NOW + dt.timedelta(days=1)
        assert len(db.exec(select(Delivery)).all()) == 6
    again = plan_digests(newsroom, NOW + dt.timedelta(minutes=1), grace=GRACE, names=NAMES)
    assert again.planned == 0, "nothing due until tomorrow"
    tomorrow = plan_digests(newsroom, NOW + dt.timedelta(days=1), grace=GRACE, names=NAMES)
    assert (tomorrow.planned, tomorrow.empty) == (0, 3), "no story twice; story 2 is too old"


async def test_a_story_sent_by_alert_is_not_in_the_digest(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot
) -> None:
    [person] = users(1)
    add_chats(newsroom, bot_api, [person])
    with session(newsroom) as db:
        story = db.exec(select(Story).where(Story.headline == "energy story 0")).one()
        db.add(Delivery(chat_id=int(person["id"]), story_id=story.id, kind="alert"))  # type: ignore[call-overload]
    plan_digests(newsroom, NOW, grace=GRACE, names=NAMES)
    await Courier(newsroom, sender(bot)).send_unsent()
    [text] = digests(bot_api, [person])[int(person["id"])]  # type: ignore[call-overload]
    assert "energy story 0" not in text
    assert "energy story 1" in text


async def test_a_crash_in_the_middle_then_a_restart_sends_each_digest_exactly_once(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot
) -> None:
    people = users(20)
    add_chats(newsroom, bot_api, people)
    plan_digests(newsroom, NOW, grace=GRACE, names=NAMES)
    slow = int(people[7]["id"])  # type: ignore[call-overload]
    bot_api.fail("sendMessage", chat_id=slow, code=None, delay=3.0)  # arrives, answer late
    run = asyncio.create_task(Courier(newsroom, sender(bot), concurrency=4).send_unsent())
    await wait(bot_api.wait_for_messages, slow, 1, 10.0)
    run.cancel()  # the process dies while Telegram's answer is on its way
    with pytest.raises(asyncio.CancelledError):
        await run
    with session(newsroom) as db:
        states = {o.chat_id: o.status for o in db.exec(select(Outgoing))}
    assert states[slow] == "sending", "the outcome was unknown at the crash"
    assert "pending" in states.values(), "the crash left work undone"
    restarted = await Courier(newsroom, sender(bot)).send_unsent()
    assert 1 <= restarted.settled <= list(states.values()).count("sending")
    counts = {chat: len(texts) for chat, texts in digests(bot_api, people).items()}
    assert set(counts.values()) == {1}, counts
    with session(newsroom) as db:
        final = {o.chat_id: o.status for o in db.exec(select(Outgoing))}
    assert final[slow] == "unconfirmed", "handed over, no answer: delivered, not sent again"
    assert set(final.values()) <= {"sent", "unconfirmed"}
    assert not any(c.method.startswith("edit") for c in bot_api.calls), "nothing probed"


@pytest.mark.parametrize(("late", "planned"), [(dt.timedelta(hours=5), 1),
                                               (dt.timedelta(hours=7), 0)])  # fmt: skip
async def test_a_missed_digest_goes_out_within_the_grace_window_only(
    newsroom: Engine, bot_api: FakeBotAPI, late: dt.timedelta, planned: int
) -> None:
    [person] = users(1)
    add_chats(newsroom, bot_api, [person])
    report = plan_digests(newsroom, NOW + late, grace=GRACE, names=NAMES)
    assert (report.planned, report.skipped) == (planned, 1 - planned)
    with session(newsroom) as db:
        chat = db.get(Chat, int(person["id"]))  # type: ignore[call-overload]
        assert chat is not None
        assert chat.next_digest_at == NOW + dt.timedelta(days=1), "the next one as usual"


async def test_one_blocked_chat_is_deactivated_and_the_others_get_theirs(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot
) -> None:
    people = users(5)
    add_chats(newsroom, bot_api, people)
    blocked = int(people[2]["id"])  # type: ignore[call-overload]
    bot_api.fail("sendMessage", chat_id=blocked, times=None)
    plan_digests(newsroom, NOW, grace=GRACE, names=NAMES)
    report = await Courier(newsroom, sender(bot)).send_unsent()
    assert (report.sent, report.gone) == (4, 1)
    with session(newsroom) as db:
        chat = db.get(Chat, blocked)
        assert chat is not None and chat.active is False
    assert plan_digests(newsroom, NOW + dt.timedelta(days=1), grace=GRACE, names=NAMES).empty == 4


async def test_the_digest_keeps_its_local_time_across_a_dst_change(
    newsroom: Engine, bot_api: FakeBotAPI
) -> None:
    [person] = users(1)
    saturday = dt.datetime(2026, 3, 28, 8, 0, tzinfo=dt.UTC)  # 08:00 GMT in London
    add_chats(newsroom, bot_api, [person], due=saturday, zone="Europe/London")
    plan_digests(newsroom, saturday, grace=GRACE, names=NAMES)
    with session(newsroom) as db:
        chat = db.get(Chat, int(person["id"]))  # type: ignore[call-overload]
        assert chat is not None
        assert chat.next_digest_at == dt.datetime(2026, 3, 29, 7, 0, tzinfo=dt.UTC), "08:00 BST"


def test_killing_the_process_mid_run_then_restarting_sends_each_digest_once(
    newsroom: Engine, bot_api: FakeBotAPI, settings: Settings
) -> None:
    people = users(1000)
    add_chats(newsroom, bot_api, people)
    archive = FakeBotAPI.channel(-1_005_000_000, "Archive")
    bot_api.add_bot(archive, FakeBotAPI.user(9999, "Operator"), status="administrator")
    worker = [sys.executable, str(Path(__file__).parent / "delivery_worker.py"),
              settings.database_url, bot_api.base_url, bot_api.token,
              str(archive["id"])]  # fmt: skip
    env = child_env({"PYTHONPATH": str(Path(__file__).parents[1])})
    first = subprocess.Popen(worker, env=env, stderr=subprocess.DEVNULL)
    bot_api.wait_for(lambda: len(bot_api.calls_to("sendMessage")) >= 300, timeout=60)
    first.kill()  # SIGKILL: no cleanup, no last commit
    first.wait()
    sent_before = len([c for c in bot_api.calls_to("sendMessage") if c.ok])
    assert 300 <= sent_before < 1000, "killed in the middle"
    second = subprocess.run(worker, env=env, capture_output=True, text=True, timeout=120,
                            check=False)  # fmt: skip
    assert second.returncode == 0, second.stderr
    counts = [len(texts) for texts in digests(bot_api, people).values()]
    assert counts.count(1) == 1000, f"duplicates or losses: {sorted(set(counts))}"


def breaking(engine: Engine, headline: str, *, sources: int = 3, language: str = "en") -> int:
    with session(engine) as db:
        energy = db.exec(select(Topic).where(Topic.slug == "energy")).one()
        source = db.exec(select(Source).where(Source.name == "Wire")).one()
        story = Story(headline=headline, first_seen_at=NOW - dt.timedelta(minutes=30),
                      last_seen_at=NOW - dt.timedelta(minutes=5), source_count=sources,
                      article_count=sources)  # fmt: skip
        db.add(story)
        db.flush()
        key = f"wire.test/breaking/{story.id}"
        article = Article(source_id=source.id, url=f"https://{key}", url_key=key,
                          title=headline, story_id=story.id, fetched_at=NOW,
                          language=language)  # fmt: skip
        db.add(article)
        db.flush()
        db.add(ArticleTopic(article_id=article.id, topic_id=energy.id, score=0.9))
        assert story.id is not None
        return story.id


RULES = AlertRules(min_sources=3, within=dt.timedelta(minutes=90), max_per_hour=2)


async def test_a_story_sent_as_an_alert_never_reappears_in_the_digest(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot
) -> None:
    [person] = users(1)
    add_chats(newsroom, bot_api, [person])
    story = breaking(newsroom, "Pipeline explosion halts gas exports")
    assert plan_alerts(newsroom, NOW, rules=RULES, names=NAMES) == 1
    assert plan_alerts(newsroom, NOW, rules=RULES, names=NAMES) == 0, "once"
    await Courier(newsroom, sender(bot)).send_unsent()
    plan_digests(newsroom, NOW, grace=GRACE, names=NAMES)
    await Courier(newsroom, sender(bot)).send_unsent()
    alert, digest = digests(bot_api, [person])[int(person["id"])]  # type: ignore[call-overload]
    assert alert.startswith("🔴 Breaking · Energy")
    assert "Pipeline explosion" in alert
    assert "Pipeline explosion" not in digest
    with session(newsroom) as db:
        kinds = {d.kind for d in db.exec(select(Delivery).where(Delivery.story_id == story))}
    assert kinds == {"alert"}


async def test_alerts_respect_quiet_hours_the_hourly_allowance_and_the_switch(
    newsroom: Engine, bot_api: FakeBotAPI
) -> None:
    people = users(3)
    add_chats(newsroom, bot_api, people)
    quiet_id, off_id, busy_id = (int(p["id"]) for p in people)  # type: ignore[call-overload]
    with session(newsroom) as db:
        for chat in db.exec(select(Chat)):
            if chat.id == quiet_id:  # 07:55 in Riyadh is inside 23:00-08:00
                chat.quiet_start, chat.quiet_end = "23:00", "08:00"
            if chat.id == off_id:
                chat.alerts = False
            db.add(chat)
    for n in range(4):
        breaking(newsroom, f"Breaking energy story {n}", sources=3 + n)
    breaking(newsroom, "Only two outlets have this one", sources=2)
    planned = plan_alerts(newsroom, NOW - dt.timedelta(minutes=5), rules=RULES, names=NAMES)
    assert planned == 2, "two for the busy chat (its allowance), none for the others"
    with session(newsroom) as db:
        chats = {o.chat_id for o in db.exec(select(Outgoing).where(Outgoing.kind == "alert"))}
    assert chats == {busy_id}


async def test_a_followed_keyword_brings_its_stories_into_the_digest(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot
) -> None:
    from bot.language import stems

    [person] = users(1)
    add_chats(newsroom, bot_api, [person])
    chat_id = int(person["id"])  # type: ignore[call-overload]
    headline = "إيلون ماسك يعلن خطة جديدة لشركة سبيس إكس"
    story = breaking(newsroom, headline, sources=1)
    with session(newsroom) as db:
        for sub in db.exec(select(Subscription).where(Subscription.chat_id == chat_id)):
            db.delete(sub)  # no topics: only the keyword
        db.add(Subscription(chat_id=chat_id, keyword="ايلون ماسك"))
        article = db.exec(select(Article).where(Article.story_id == story)).one()
        article.search_terms = " " + " ".join(stems(headline)) + " "
        db.add(article)
    assert plan_digests(newsroom, NOW, grace=GRACE, names=NAMES).planned == 1
    await Courier(newsroom, sender(bot)).send_unsent()
    [digest] = digests(bot_api, [person])[chat_id]
    assert headline in digest
    assert "ايلون ماسك" in digest, "the keyword heads its group"
    assert "energy story" not in digest


@pytest.mark.parametrize("line", [True, False])
async def test_nothing_new_is_one_short_line_or_nothing_as_the_chat_chose(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot, line: bool
) -> None:
    [person] = users(1)
    add_chats(newsroom, bot_api, [person], due=NOW + dt.timedelta(days=3))
    chat_id = int(person["id"])  # type: ignore[call-overload]
    with session(newsroom) as db:
        chat = db.get(Chat, chat_id)
        assert chat is not None
        chat.empty_line = line
        db.add(chat)
    later = NOW + dt.timedelta(days=3)  # the newsroom's stories are old by then
    assert plan_digests(newsroom, later, grace=GRACE, names=NAMES).empty == 1
    await Courier(newsroom, sender(bot)).send_unsent()
    shown = digests(bot_api, [person])[chat_id]
    assert shown == (["📰 Nothing new on your topics today."] if line else [])


async def test_a_muted_source_is_left_out(newsroom: Engine, bot_api: FakeBotAPI, bot: Bot) -> None:
    [person] = users(1)
    add_chats(newsroom, bot_api, [person])
    chat_id = int(person["id"])  # type: ignore[call-overload]
    with session(newsroom) as db:
        chat = db.get(Chat, chat_id)
        assert chat is not None
        chat.muted = ["Wire"]
        db.add(chat)
    report = plan_digests(newsroom, NOW, grace=GRACE, names=NAMES)
    assert (report.planned, report.empty) == (0, 1), "every story came from Wire"


async def test_an_alert_comes_only_in_the_chats_news_languages(
    newsroom: Engine, bot_api: FakeBotAPI, bot: Bot
) -> None:
    english, arabic = users(2)
    add_chats(newsroom, bot_api, [english, arabic])
    with session(newsroom) as db:
        chat = db.get(Chat, int(arabic["id"]))  # type: ignore[call-overload]
        assert chat is not None
        chat.language = "ar"
        db.add(chat)
    breaking(newsroom, "انفجار خط أنابيب يوقف صادرات الغاز", language="ar")
    assert plan_alerts(newsroom, NOW, rules=RULES, names=NAMES) == 1
    await Courier(newsroom, sender(bot)).send_unsent()
    shown = digests(bot_api, [english, arabic])
    assert shown[int(english["id"])] == [], "no report in English: no alert"  # type: ignore[call-overload]
    [alert] = shown[int(arabic["id"])]  # type: ignore[call-overload]
    assert alert.startswith("\u200f🔴 عاجل · \u200fالطاقة") and "انفجار خط أنابيب" in alert
