"""What a reader chooses of the digest in the chat, end to end: the languages of the
news, pictures, and a section's "more", against the loopback Bot API."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools

from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram.ext import Application

from bot.loopback.bot_api import FakeBotAPI
from bot.loopback.news_site import NewsSite
from bot.texts import text
from storage.db import session
from storage.models import Chat, Delivery, Outgoing
from tests.conftest import wait
from tests.tg.test_conversation import ALICE, SALMA, add_story, ask

OMAR = FakeBotAPI.user(7003, "Omar", "en")
PAGES = itertools.count(1)  # the stories' pages on the site


def add(engine: Engine, site: NewsSite, headline: str, slug: str, *, source: str = "Wire",
        language: str = "en", hours: float = 1, image: bool = False) -> int:  # fmt: skip
    """A story of one report, `hours` old, its page on the site (with a picture or not)."""
    meta = '<meta property="og:image" content="/pic.jpg">' if image else ""
    url = site.put(f"/s/{next(PAGES)}.html", f"<html><head>{meta}</head><body></body></html>")
    return add_story(engine, headline, slug, source=source, language=language, hours=hours,
                     url=url, image_url=site.url("/pic.jpg") if image else None)  # fmt: skip


async def test_the_news_languages_are_offered_at_start_and_changed_with_buttons_or_a_command(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    bot_api.send(ALICE, "/start")
    welcome, _picker = await wait(bot_api.wait_for_messages, ALICE["id"], 2)
    assert welcome["text"].endswith(text("news_languages_pick", "en"))
    rows = welcome["reply_markup"]["inline_keyboard"]
    assert [b["text"] for row in rows for b in row] == ["Arabic", "✅ English",
                                                         "Arabic and English"]  # fmt: skip
    query = bot_api.press(ALICE, welcome, text="Arabic and English")
    await wait(bot_api.wait_for, lambda: bot_api.callback_answered(query))
    marked = await wait(bot_api.wait_for, lambda: "✅ Arabic and English" in str(
        bot_api.messages(ALICE["id"])[0].get("reply_markup")))  # fmt: skip
    assert marked
    with session(engine) as db:
        chat = db.get(Chat, ALICE["id"])
        assert chat is not None and (chat.news_languages, chat.language) == ("ar,en", "en")
    said = await ask(bot_api, ALICE, "/languages arabic", 3)
    assert said["text"] == "You will get the news published in Arabic."
    usage = await ask(bot_api, ALICE, "/languages klingon", 4)
    assert usage["text"].startswith("Send /languages ar")
    assert "✅ Arabic" in str(usage["reply_markup"]), "the buttons, the choice marked"
    with session(engine) as db:
        chat = db.get(Chat, ALICE["id"])
        assert chat is not None and chat.news_languages == "ar"
    arabic = await ask(bot_api, SALMA, "/languages both", 1)
    assert arabic["text"] == "ستصلك الأخبار المنشورة بالعربية والإنجليزية."
    for language, user in (("en", ALICE), ("ar", SALMA)):
        helped = await ask(bot_api, user, "/help", len(bot_api.messages(user["id"])) + 1)
        assert "/languages ar|en|both" in helped["text"] and "/pictures on|off" in helped["text"]
        assert helped["text"] == text("help", language)  # type: ignore[arg-type]


async def test_a_group_member_who_is_not_an_admin_cannot_change_the_languages(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    group = FakeBotAPI.group(-1007300, "Readers")
    bot_api.add_bot(group, ALICE)  # Alice made the group; Omar only reads it
    await ask(bot_api, ALICE, "/start", 2, chat=group)
    welcome = bot_api.messages(group["id"])[0]
    query = bot_api.press(OMAR, welcome, text="Arabic")
    await wait(bot_api.wait_for, lambda: bot_api.callback_answered(query))
    with session(engine) as db:
        chat = db.get(Chat, group["id"])
        assert chat is not None and chat.news_languages is None


async def test_news_comes_in_the_chats_languages_with_its_picture_unless_turned_off(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine, news_site: NewsSite
) -> None:
    add(engine, news_site, "Oil output cut agreed", "energy", image=True)
    add(engine, news_site, "اتفاق على خفض إنتاج النفط في أوبك", "energy", source="الوادي",
        language="ar", hours=2)  # fmt: skip
    news = await ask(bot_api, ALICE, "/news energy", 1)
    assert "Oil output cut agreed" in news["text"] and "أوبك" not in news["text"]
    preview = bot_api.preview(ALICE["id"], news["message_id"])
    assert preview is not None and preview["image"] == news_site.url("/pic.jpg")
    assert preview["above"] and preview["large"]
    await ask(bot_api, ALICE, "/languages both", 2)
    both = await ask(bot_api, ALICE, "/news energy", 3)
    assert "Oil output cut agreed" in both["text"] and "أوبك" in both["text"]
    assert (await ask(bot_api, ALICE, "/pictures off", 4))["text"] == text("pictures_off", "en")
    plain = await ask(bot_api, ALICE, "/news energy", 5)
    assert plain["link_preview_options"] == {"is_disabled": True}
    assert "Send /pictures on" in (await ask(bot_api, ALICE, "/pictures maybe", 6))["text"]


async def economy_digest(running_bot: Application, bot_api: FakeBotAPI, engine: Engine,
                         site: NewsSite) -> dict:  # fmt: skip
    """Alice follows economy; eight stories of it from one outlet (a digest takes two of
    one outlet: the rest come next), and her digest is due."""
    picker = await ask(bot_api, ALICE, "/start", 2)
    query = bot_api.press(ALICE, picker, text="Economy")
    await wait(bot_api.wait_for, lambda: bot_api.callback_answered(query))
    add(engine, site, "Central bank holds rates", "economy", source="Gazette", image=True)
    for n in range(8):
        add(engine, site, f"Economy brief number {n}", "economy", source="Ledger", hours=2 + n)
    with session(engine) as db:
        chat = db.get(Chat, ALICE["id"])
        assert chat is not None
        chat.next_digest_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        db.add(chat)
    assert running_bot.job_queue is not None
    [job] = running_bot.job_queue.get_jobs_by_name("deliver")
    await job.data.tick()
    return (await wait(bot_api.wait_for_messages, ALICE["id"], 3))[-1]


async def test_more_puts_the_sections_next_stories_into_the_same_message(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine, news_site: NewsSite
) -> None:
    digest = await economy_digest(running_bot, bot_api, engine, news_site)
    assert "Economy brief number 0" in digest["text"] and "number 1" in digest["text"]
    assert "number 2" not in digest["text"]
    options = digest["link_preview_options"]
    query = bot_api.press(ALICE, digest, text="➕ More: Economy")
    await wait(bot_api.wait_for, lambda: bot_api.callback_answered(query))
    edited = await wait(bot_api.wait_for, lambda: [m for m in bot_api.messages(ALICE["id"])
                                                   if "number 4" in m["text"]])  # fmt: skip
    [once] = edited
    assert once["message_id"] == digest["message_id"], "edited in place"
    assert len(bot_api.messages(ALICE["id"])) == 3, "nothing sent"
    assert once["text"].startswith(digest["text"].split("\n• ")[0]), "the same digest"
    for n in range(5):
        assert once["text"].count(f"Economy brief number {n}") == 1
    assert once["link_preview_options"] == options, "the picture stays above it"
    assert once["reply_markup"]["inline_keyboard"][0][0]["text"] == "➕ More: Economy"

    def shown_more() -> set[int]:
        with session(engine) as db:
            return {d.story_id for d in db.exec(select(Delivery).where(Delivery.kind == "more"))}

    for _ in range(100):  # recorded right after the edit
        if shown_more():
            break
        await asyncio.sleep(0.05)
    assert len(shown_more()) == 3, "what it showed will not come again tomorrow"
    again = bot_api.press(ALICE, once, text="➕ More: Economy")
    await wait(bot_api.wait_for, lambda: bot_api.callback_answered(again))
    await wait(bot_api.wait_for, lambda: "number 7" in bot_api.messages(ALICE["id"])[-1]["text"])
    final = bot_api.messages(ALICE["id"])[-1]
    assert "reply_markup" not in final, "nothing more: no button"
    assert len(final["text"]) <= 4096


async def test_more_shows_what_came_next_the_day_of_the_digest_not_later_news(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine, news_site: NewsSite
) -> None:
    digest = await economy_digest(running_bot, bot_api, engine, news_site)
    add(engine, news_site, "Fresh markets story of a later day", "economy", source="Ledger",
        hours=0)  # fmt: skip
    query = bot_api.press(ALICE, digest, text="➕ More: Economy")
    await wait(bot_api.wait_for, lambda: bot_api.callback_answered(query))
    await wait(bot_api.wait_for, lambda: "number 4" in bot_api.messages(ALICE["id"])[-1]["text"])
    assert "Fresh markets story" not in bot_api.messages(ALICE["id"])[-1]["text"]


async def test_a_more_press_on_anything_but_a_recorded_digest_of_the_chat_changes_nothing(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine, news_site: NewsSite
) -> None:
    digest = await economy_digest(running_bot, bot_api, engine, news_site)
    data = digest["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    outgoing_id = int(data.split(":")[1])
    before = bot_api.history(ALICE["id"])
    picker = bot_api.messages(ALICE["id"])[1]
    pressed = [
        bot_api.press_data(ALICE, picker, data),  # the digest's data, on the topic picker
        bot_api.press_data(ALICE, digest, f"d:{outgoing_id + 1000}:0"),  # no such digest
        bot_api.press_data(ALICE, digest, f"d:{outgoing_id}:7"),  # no such section
        bot_api.press_data(ALICE, digest, "d:x:0"),
    ]
    # Another chat's digest: Omar's press carries Alice's digest's data on his own message.
    bot_api.send(OMAR, "/help")
    omars = await wait(bot_api.wait_for_messages, OMAR["id"], 1)
    pressed.append(bot_api.press_data(OMAR, omars[0], data))
    with session(engine) as db:  # and a digest whose id in the chat was never recorded
        row = db.get(Outgoing, outgoing_id)
        assert row is not None
        row.status, row.message_ids = "unconfirmed", []
        db.add(row)
    pressed.append(bot_api.press_data(ALICE, digest, data))
    for query in pressed:
        await wait(bot_api.wait_for, lambda q=query: bot_api.callback_answered(q))
    assert bot_api.history(ALICE["id"]) == before, "not one message changed"
    assert bot_api.messages(OMAR["id"]) == omars
    assert not bot_api.calls_to("editMessageText")
