"""The conversation, end to end: the real Application against the loopback Bot API."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram.ext import Application, CommandHandler

from bot.ingest.discover import DiscoverError
from bot.ingest.fetch import REASONS
from bot.language import script_letters
from bot.loopback.bot_api import FakeBotAPI
from bot.loopback.news_site import NewsSite
from bot.texts import text
from storage.db import session
from storage.models import Article, ArticleTopic, Chat, Delivery, Source, Story, Topic
from tests.conftest import wait

ALICE = FakeBotAPI.user(7001, "Alice", "en")
SALMA = FakeBotAPI.user(7002, "سلمى", "ar")


async def ask(api: FakeBotAPI, user: dict, words: str, count: int, **chat: object) -> dict:
    """Sends `words`, waits for the chat to hold `count` bot messages, returns the last."""
    target = chat.get("chat") or FakeBotAPI.private_chat(user)
    api.send(user, words, **chat)  # type: ignore[arg-type]
    return (await wait(api.wait_for_messages, target["id"], count))[-1]  # type: ignore[index]


def written_in(headline: str) -> str:
    """The language curation gives an article, by its script."""
    arabic, latin = script_letters(headline)
    return "ar" if arabic >= latin and arabic else "en"


def add_story(engine: Engine, headline: str, slug: str, *, source: str = "Wire",
              language: str | None = None, hours: float = 0, url: str | None = None,
              image_url: str | None = None) -> int:  # fmt: skip
    """A story of one report on `slug`, `hours` old, from `source` (made when new): its
    page at `url` (a made-up one by default), in `language` (by its script by default)."""
    when = dt.datetime.now(dt.UTC) - dt.timedelta(hours=hours)
    with session(engine) as db:
        outlet = db.exec(select(Source).where(Source.name == source)).first()
        if outlet is None:
            outlet = Source(name=source, url=f"https://{len(source)}.test/{source}",
                            language=language, origin="cli")  # fmt: skip
            db.add(outlet)
            db.flush()
        story = Story(headline=headline, first_seen_at=when, last_seen_at=when, source_count=1)
        db.add(story)
        db.flush()
        url = url or f"https://wire.test/{story.id}"
        article = Article(source_id=outlet.id, url=url, url_key=url.split("://")[1],
                          title=headline, summary="In short.", story_id=story.id,
                          language=language or written_in(headline), published_at=when,
                          fetched_at=when, image_url=image_url)  # fmt: skip
        db.add(article)
        db.flush()
        topic = db.exec(select(Topic).where(Topic.slug == slug)).one()
        db.add(ArticleTopic(article_id=article.id, topic_id=topic.id, score=0.9))
        assert story.id is not None
        return story.id


async def test_topics_are_toggled_in_place_with_buttons(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    picker = await ask(bot_api, ALICE, "/start", 2)
    query = bot_api.press(ALICE, picker, text="Economy")
    await wait(bot_api.wait_for, lambda: bot_api.callback_answered(query))
    edited = await wait(bot_api.wait_for, lambda: [
        m for m in bot_api.messages(ALICE["id"])
        if "✅ Economy" in str(m.get("reply_markup"))
    ])  # fmt: skip
    assert edited[0]["message_id"] == picker["message_id"], "edited, not sent again"
    assert len(bot_api.messages(ALICE["id"])) == 2
    mine = await ask(bot_api, ALICE, "/mytopics", 3)
    assert "Topics: Economy" in mine["text"]
    current = bot_api.messages(ALICE["id"])[1]
    bot_api.press(ALICE, current, text="✅ Economy")
    await wait(bot_api.wait_for, lambda: "✅" not in str(bot_api.messages(ALICE["id"])[1]))
    assert "Topics: none yet" in (await ask(bot_api, ALICE, "/mytopics", 4))["text"]
    bot_api.press(ALICE, bot_api.messages(ALICE["id"])[1], text="▶")
    await wait(bot_api.wait_for, lambda: "Energy and oil" in str(bot_api.messages(ALICE["id"])[1]))


async def test_a_new_user_picks_topics_with_buttons_and_gets_the_digest_at_local_time(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    picker = await ask(bot_api, SALMA, "/start", 2)
    query = bot_api.press(SALMA, picker, text="اقتصاد")
    await wait(bot_api.wait_for, lambda: bot_api.callback_answered(query))
    assert "8:00" in (await ask(bot_api, SALMA, "/time 8", 3))["text"]
    assert "Asia/Riyadh" in (await ask(bot_api, SALMA, "/timezone الرياض", 4))["text"]
    add_story(engine, "البنك المركزي يثبت سعر الفائدة", "economy")
    add_story(engine, "Cup final tonight", "sports")
    with session(engine) as db:
        chat = db.get(Chat, SALMA["id"])
        assert chat is not None and chat.next_digest_at is not None
        due = chat.next_digest_at
    riyadh = due.astimezone(dt.timezone(dt.timedelta(hours=3)))
    assert (riyadh.hour, riyadh.minute) == (8, 0)

    # The bot's own delivery job, ticked at the times the test chooses.
    assert running_bot.job_queue is not None
    [job] = running_bot.job_queue.get_jobs_by_name("deliver")
    dispatcher = job.data
    await dispatcher.tick(due - dt.timedelta(minutes=1))
    assert len(bot_api.messages(SALMA["id"])) == 4, "not yet 8:00 in Riyadh"
    await dispatcher.tick(due)
    digest = (await wait(bot_api.wait_for_messages, SALMA["id"], 5))[-1]
    assert "البنك المركزي يثبت سعر الفائدة" in digest["text"]
    assert "Cup final" not in digest["text"], "only the topic she picked"
    await dispatcher.tick(due + dt.timedelta(minutes=5))
    assert len(bot_api.messages(SALMA["id"])) == 5, "one digest a day"
    with session(engine) as db:
        chat = db.get(Chat, SALMA["id"])
        assert chat is not None and chat.next_digest_at == due + dt.timedelta(days=1)


async def test_free_keywords(running_bot: Application, bot_api: FakeBotAPI) -> None:
    assert "Put the words" in (await ask(bot_api, ALICE, "/follow", 1))["text"]
    assert "OpenAI" in (await ask(bot_api, ALICE, "/follow   OpenAI ", 2))["text"]
    assert "already" in (await ask(bot_api, ALICE, "/follow OpenAI", 3))["text"]
    arabic = await ask(bot_api, SALMA, "/follow إيلون ماسك", 1)
    assert arabic["text"] == "✅ سأتابع «إيلون ماسك» في الأخبار."
    assert "OpenAI" in (await ask(bot_api, ALICE, "/mytopics", 4))["text"]
    assert "Stopped" in (await ask(bot_api, ALICE, "/unfollow OpenAI", 5))["text"]
    assert "don't follow" in (await ask(bot_api, ALICE, "/unfollow nothing", 6))["text"]


async def test_digest_time_zone_and_language(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    said = await ask(bot_api, SALMA, "/time ٨:٣٠ مساءً", 1)
    assert "20:30" in said["text"]
    said = await ask(bot_api, SALMA, "/timezone القاهرة", 2)
    assert "Africa/Cairo" in said["text"]
    with session(engine) as db:
        chat = db.get(Chat, SALMA["id"])
        assert chat is not None
        assert (chat.digest_time, chat.timezone) == ("20:30", "Africa/Cairo")
        assert chat.next_digest_at is not None
        local = chat.next_digest_at.astimezone(dt.timezone(dt.timedelta(hours=2)))
        assert (local.hour, local.minute) == (20, 30), "20:30 in Cairo (UTC+2 in winter)"
    assert "لم أفهم" in (await ask(bot_api, SALMA, "/time teatime", 3))["text"]
    assert "لم أعرف" in (await ask(bot_api, SALMA, "/timezone Mars/Base", 4))["text"]
    assert (await ask(bot_api, SALMA, "/language en", 5))["text"] == "I will write in English."
    assert "Send /language" in (await ask(bot_api, SALMA, "/language xx", 6))["text"]


async def test_news_and_digest_on_demand(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    energy = add_story(engine, "Oil output cut agreed", "energy")
    add_story(engine, "Cup final tonight", "sports")
    news = await ask(bot_api, ALICE, "/news energy", 1)
    assert "Oil output cut agreed" in news["text"]
    assert "Cup final" not in news["text"]
    assert "don't know the topic" in (await ask(bot_api, ALICE, "/news knitting", 2))["text"]
    digest = await ask(bot_api, ALICE, "/digest", 3)
    assert "Oil output cut agreed" in digest["text"]

    def recorded() -> bool:
        with session(engine) as db:
            return energy in {d.story_id for d in db.exec(select(Delivery))}

    # Recorded right after the answer went out: what /digest showed will not come again.
    assert await wait(bot_api.wait_for, recorded, 5.0)
    again = await ask(bot_api, ALICE, "/digest", 4)
    assert again["text"].startswith("Nothing new")
    worded = await ask(bot_api, ALICE, "/digest Energy", 5)
    assert worded["text"] == (
        "/digest sends your digest as it is, with no words after it. For one topic: /news energy"
    )


async def test_in_a_group_only_admins_change_settings(
    running_bot: Application, bot_api: FakeBotAPI
) -> None:
    group = FakeBotAPI.group(-1007000, "Readers")
    bot_api.add_bot(group, ALICE, status="member")  # Alice created the group
    refused = await ask(bot_api, SALMA, "/time@newsbot_test_bot 9", 1, chat=group)
    assert refused["text"] == "عذرًا، مشرفو المجموعة فقط يمكنهم تغيير إعداداتها."
    allowed = await ask(bot_api, ALICE, "/time 9", 2, chat=group)
    assert "09:00" in allowed["text"]


async def test_nonsense_gets_a_short_answer_never_silence(
    running_bot: Application, bot_api: FakeBotAPI
) -> None:
    commands = ["/time", "/timezone", "/language", "/unfollow", "/news ✨✨✨",
                "/follow " + "x" * 500, "/timezone 😀", "/time 99:99", "/mytopics extra words",
                "/zzz"]  # fmt: skip
    for count, command in enumerate(commands, 1):
        answer = await ask(bot_api, ALICE, command, count)
        assert answer["text"].strip(), command


NONSENSE = ("", "'); DROP TABLE chats; --", '<b>&amp;</b> "quoted', "٩٩:٩٩ ‮🙃", "x" * 300)


async def test_every_command_with_nonsense_answers_without_failing(
    running_bot: Application, bot_api: FakeBotAPI
) -> None:
    """Each command the bot knows, from a user and from an operator, with no, odd, markup,
    SQL-looking, right-to-left and overlong arguments: a reply, never the error line."""
    commands = sorted({
        command for handler in running_bot.handlers[0] if isinstance(handler, CommandHandler)
        for command in handler.commands
    })  # fmt: skip
    assert {"start", "topics", "addsource", "stats", "quiet"} <= set(commands)
    failure = "Something went wrong"
    for n, command in enumerate(commands):
        for role, user_id in (("user", 20_000 + n), ("operator", 9999)):
            user = FakeBotAPI.user(user_id, role, "en")
            for argument in NONSENSE:
                before = len(bot_api.messages(user_id))
                bot_api.send(user, f"/{command} {argument}".strip())
                replies = (await wait(bot_api.wait_for_messages, user_id, before + 1))[before:]
                assert all(r["text"].strip() for r in replies), (command, argument)
                assert not any(failure in r["text"] for r in replies), (command, argument)


async def test_a_reply_refused_with_429_waits_and_arrives(
    running_bot: Application, bot_api: FakeBotAPI
) -> None:
    bot_api.fail("sendMessage", chat_id=ALICE["id"], code=429, retry_after=1,
                 description="Too Many Requests: retry after 1")  # fmt: skip
    answer = await ask(bot_api, ALICE, "/mytopics", 1)
    assert "Topics: none yet" in answer["text"], "the answer itself, not the error line"
    assert len(bot_api.calls_to("sendMessage")) == 2, "refused once, then sent"


async def test_pause_and_resume(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    assert "paused" in (await ask(bot_api, ALICE, "/pause", 1))["text"]
    with session(engine) as db:
        chat = db.get(Chat, ALICE["id"])
        assert chat is not None and chat.paused
        chat.next_digest_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        db.add(chat)
    from storage.digests import due_chats

    with session(engine) as db:
        assert due_chats(dt.datetime.now(dt.UTC), session=db) == [], "a paused chat is not due"
    assert "back" in (await ask(bot_api, ALICE, "/resume", 2))["text"]
    with session(engine) as db:
        chat = db.get(Chat, ALICE["id"])
        assert chat is not None and not chat.paused
        assert chat.next_digest_at is not None
        assert chat.next_digest_at > dt.datetime.now(dt.UTC), "no digest 'missed' while paused"


async def test_a_forum_digest_goes_to_the_thread_it_was_set_up_in(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    forum = FakeBotAPI.group(-1007100, "Forum", forum=True)
    bot_api.add_bot(forum, ALICE)
    await ask(bot_api, ALICE, "/time 7", 1, chat=forum, thread_id=42)
    with session(engine) as db:
        chat = db.get(Chat, forum["id"])
        assert chat is not None and chat.thread_id == 42


async def test_a_group_that_becomes_a_supergroup_keeps_its_settings(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    group = FakeBotAPI.group(-7200, "Small group")
    bot_api.add_bot(group, ALICE)
    await ask(bot_api, ALICE, "/follow OpenAI", 1, chat=group)
    await ask(bot_api, ALICE, "/time 6:45", 2, chat=group)
    supergroup = bot_api.migrate_group(group, -1007200, ALICE)
    from storage import subscriptions

    def moved() -> bool:
        with session(engine) as db:
            return db.get(Chat, supergroup["id"]) is not None

    assert await wait(bot_api.wait_for, moved, 5.0)
    with session(engine) as db:
        chat = db.get(Chat, supergroup["id"])
        assert chat is not None
        assert (chat.digest_time, chat.kind) == ("06:45", "supergroup")
        assert subscriptions.keywords(supergroup["id"], session=db) == ["OpenAI"]
        assert db.get(Chat, group["id"]) is None


async def test_search_with_arabic_forms_folded_and_input_that_is_not_syntax(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    from bot.language import stems

    for headline in ("الحرب الأوكرانية تدخل عامها الرابع", "Ukraine talks resume in Geneva",
                     "سد النهضة: جولة مفاوضات جديدة"):  # fmt: skip
        story_id = add_story(engine, headline, "world")
        with session(engine) as db:
            article = db.exec(select(Article).where(Article.story_id == story_id)).one()
            article.search_terms = " " + " ".join(stems(headline)) + " "
            db.add(article)
    found = await ask(bot_api, SALMA, "/search أوكرانيا", 1)
    assert "الحرب الأوكرانية" in found["text"], "أوكرانيا finds الأوكرانية"
    assert "سد النهضة" not in found["text"]
    english = await ask(bot_api, ALICE, "/search Ukraine TALK", 1)
    assert "Ukraine talks resume" in english["text"]
    # Each result says where and when, in the chat's own time.
    assert re.search(r"Ukraine talks resume in Geneva\nWire · \d{4}-\d\d-\d\d \d\d:\d\d$",
                     english["text"]), english["text"]  # fmt: skip
    assert english["entities"][0]["type"] == "text_link"
    for count, nasty in enumerate(['/search "unbalanced', "/search NOT OR AND *", "/search )("], 2):
        answer = await ask(bot_api, ALICE, nasty, count)
        assert answer["text"], nasty
    assert "Put what you look for" in (await ask(bot_api, ALICE, "/search", 5))["text"]
    arabic_word = await ask(bot_api, ALICE, "/search أوكرانيا", 6)
    assert arabic_word["text"].startswith("🔎 Stories about “أوكرانيا”:\n• \u200f"), (
        "an English heading keeps its direction; the Arabic headline starts right-to-left"
    )


async def test_alerts_switch_and_quiet_hours(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    assert "off" in (await ask(bot_api, ALICE, "/alerts off", 1))["text"]
    assert "No alerts from 23:00 to 07:00" in (await ask(bot_api, ALICE, "/quiet 23-7", 2))["text"]
    with session(engine) as db:
        chat = db.get(Chat, ALICE["id"])
        assert chat is not None
        assert (chat.alerts, chat.quiet_start, chat.quiet_end) == (False, "23:00", "07:00")
    assert "Try /quiet" in (await ask(bot_api, ALICE, "/quiet later", 3))["text"]
    assert "Send /alerts" in (await ask(bot_api, ALICE, "/alerts maybe", 4))["text"]
    assert "off" in (await ask(bot_api, ALICE, "/quiet off", 5))["text"]


async def test_operators_get_stats_and_everyone_sees_the_sources(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    add_story(engine, "Oil output cut agreed", "energy")
    refused = await ask(bot_api, ALICE, "/stats", 1)
    assert refused["text"] == "This command is for the bot's operators."
    operator = FakeBotAPI.user(9999, "Operator", "en")  # in ADMIN_IDS (conftest)
    figures = await ask(bot_api, operator, "/stats", 1)
    assert "Chats: 2 active of 2" in figures["text"]
    assert "Articles in 24 h: 1 (0 with meaning)" in figures["text"]
    assert "Meaning: off (words alone)" in figures["text"], "the embedder's state, as the log says"
    listed = await ask(bot_api, SALMA, "/sources", 1)
    assert listed["text"].startswith("أقرأ هذه المصادر:")
    assert "Wire" in listed["text"]


async def test_operators_add_and_remove_sources_from_the_chat(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine, news_site: NewsSite
) -> None:
    feed = news_site.put("/gulf.xml", "<rss version='2.0'><channel><title>Gulf Wire</title>"
                         "<link>https://gulf.test/</link><item><title>Port reopens</title>"
                         "<link>https://gulf.test/a</link></item></channel></rss>",
                         "application/rss+xml")  # fmt: skip
    operator = FakeBotAPI.user(9999, "Operator", "en")
    assert (await ask(bot_api, ALICE, f"/addsource {feed}", 1))["text"] == (
        "This command is for the bot's operators."
    )
    assert "Try /addsource" in (await ask(bot_api, operator, "/addsource", 1))["text"]
    added = await ask(bot_api, operator, f"/addsource {feed}", 2)
    assert added["text"] == f"Added “Gulf Wire” (feed: {feed}); I read it from now on."
    again = await ask(bot_api, operator, f"/addsource {feed}", 3)
    assert again["text"] == f"{feed} is already a source, named “Gulf Wire”."
    news_site.put("/plain", "<html><body><p>Just a page.</p></body></html>")
    refused = await ask(bot_api, operator, f"/addsource {news_site.url('/plain')}", 4)
    assert refused["text"] == (
        f"Could not add {news_site.url('/plain')}: it has no news feed and no list of articles"
    )
    with session(engine) as db:
        stored = db.exec(select(Source).where(Source.url == feed)).one()
        assert (stored.origin, stored.enabled, stored.kind) == ("chat", True, "feed")

    assert (
        "No source named “Nope”" in (await ask(bot_api, operator, "/removesource Nope", 5))["text"]
    )
    removed = await ask(bot_api, operator, "/removesource Gulf Wire", 6)
    assert removed["text"] == "Stopped reading “Gulf Wire”; its articles stay."
    assert "Gulf Wire" not in (await ask(bot_api, operator, "/sources", 7))["text"]
    with session(engine) as db:
        stored = db.exec(select(Source).where(Source.url == feed)).one()
        assert (stored.origin, stored.enabled) == ("removed", False)
    back = await ask(bot_api, operator, f"/addsource {feed}", 8)
    assert back["text"].startswith("Added “Gulf Wire”"), "a removed source comes back"


async def test_a_slow_site_being_added_keeps_nobody_else_waiting(
    running_bot: Application, bot_api: FakeBotAPI, news_site: NewsSite
) -> None:
    slow = news_site.put("/slow.xml", "<rss version='2.0'><channel><title>Slow</title>"
                         "</channel></rss>", "application/rss+xml")  # fmt: skip
    news_site.rule("/slow.xml", delay=3.0)
    operator = FakeBotAPI.user(9999, "Operator", "en")
    bot_api.send(operator, f"/addsource {slow}")
    help_text = await ask(bot_api, ALICE, "/help", 1)
    assert help_text["text"].strip()
    assert not bot_api.messages(operator["id"]), "Alice was answered while the site was slow"
    added = (await wait(bot_api.wait_for_messages, operator["id"], 1, 10.0))[-1]
    assert added["text"].startswith("Added “Slow”")


async def test_a_channel_is_linked_and_set_up_from_a_private_chat(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    news = FakeBotAPI.channel(-1007300, "Morning News", username="morningnews")
    other = FakeBotAPI.channel(-1007400, "Not ours", username="notours")
    bot_api.add_bot(news, ALICE, status="administrator")  # Alice owns it, the bot posts
    bot_api.add_bot(other, SALMA, status="member")
    assert "make me an admin" in (await ask(bot_api, ALICE, "/channel", 1))["text"].lower()
    assert "can't see" in (await ask(bot_api, ALICE, "/channel @nosuch", 2))["text"]
    assert "need to be an admin" in (await ask(bot_api, ALICE, "/channel @notours", 3))["text"]
    linked = await ask(bot_api, ALICE, "/channel @morningnews", 4)
    assert "Linked “Morning News”" in linked["text"]
    await ask(bot_api, ALICE, "/time 6:15", 5)
    await ask(bot_api, ALICE, "/follow OpenAI", 6)
    with session(engine) as db:
        channel = db.get(Chat, news["id"])
        mine = db.get(Chat, ALICE["id"])
        assert channel is not None and mine is not None
        assert (channel.kind, channel.digest_time) == ("channel", "06:15")
        assert mine.digest_time == "08:00", "the private chat's own settings are untouched"
    from storage import subscriptions

    with session(engine) as db:
        assert subscriptions.keywords(news["id"], session=db) == ["OpenAI"]
    assert "Back to your own" in (await ask(bot_api, ALICE, "/channel off", 7))["text"]
    await ask(bot_api, ALICE, "/time 9", 8)
    with session(engine) as db:
        mine = db.get(Chat, ALICE["id"])
        assert mine is not None and mine.digest_time == "09:00"
    bot_api.add_bot(news, SALMA, status="member")
    group = FakeBotAPI.group(-1007500, "G")
    bot_api.add_bot(group, SALMA)
    refused = await ask(bot_api, SALMA, "/channel @morningnews", 1, chat=group)
    assert "محادثة خاصة" in refused["text"]


async def test_mute_unmute_and_ifempty(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    add_story(engine, "Oil output cut agreed", "energy")  # makes the source "Wire"
    assert (await ask(bot_api, ALICE, "/mute wire", 1))["text"] == "Muted “Wire”."
    assert "Name a source" in (await ask(bot_api, ALICE, "/mute Nowhere Daily", 2))["text"]
    with session(engine) as db:
        chat = db.get(Chat, ALICE["id"])
        assert chat is not None and chat.muted == ["Wire"]
    assert (await ask(bot_api, ALICE, "/unmute Wire", 3))["text"] == "Unmuted “Wire”."
    said = await ask(bot_api, ALICE, "/ifempty nothing", 4)
    assert said["text"] == "When nothing is new: nothing at all."
    assert "Send /ifempty" in (await ask(bot_api, ALICE, "/ifempty maybe", 5))["text"]
    with session(engine) as db:
        chat = db.get(Chat, ALICE["id"])
        assert chat is not None and (chat.muted, chat.empty_line) == ([], False)


async def test_why_a_source_was_not_added_is_said_in_the_chats_language(
    running_bot: Application, bot_api: FakeBotAPI, news_site: NewsSite
) -> None:
    operator = FakeBotAPI.user(9999, "المشغّل", "ar")
    news_site.rule("/gone.xml", status=404)
    gone = news_site.url("/gone.xml")
    refused = await ask(bot_api, operator, f"/addsource {gone}", 1)
    assert refused["text"] == f"لم أضف {gone}: ردّ الموقع بالخطأ 404"
    nowhere = await ask(bot_api, operator, "/addsource nowhere.invalid", 2)
    assert nowhere["text"] == "لم أضف https://nowhere.invalid: لا يوجد موقع بهذا الاسم"


def test_every_kind_of_fetch_failure_has_words_in_both_languages() -> None:
    for reason in (*REASONS, DiscoverError.reason):
        for language in ("ar", "en"):
            assert text(f"why_{reason}", language, status=500).strip()


async def test_the_bot_removes_old_news_hourly(running_bot: Application, engine: Engine) -> None:
    story_id = add_story(engine, "A story from long ago", "energy")
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    with session(engine) as db:
        for row in db.exec(select(Article).where(Article.story_id == story_id)):
            row.fetched_at = long_ago
            db.add(row)
        story = db.get(Story, story_id)
        assert story is not None
        story.last_seen_at = long_ago
        db.add(story)
    fresh = add_story(engine, "A story from today", "energy")
    assert running_bot.job_queue is not None
    [job] = running_bot.job_queue.get_jobs_by_name("prune_old_news")
    await job.run(running_bot)
    with session(engine) as db:
        assert [s.id for s in db.exec(select(Story))] == [fresh]
        assert [a.title for a in db.exec(select(Article))] == ["A story from today"]
