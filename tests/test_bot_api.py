"""The loopback Bot API server, driven by python-telegram-bot's own Bot over HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.error import BadRequest, ChatMigrated, Forbidden, RetryAfter

from bot.loopback.bot_api import FakeBotAPI, RateLimits
from bot.loopback.news_site import NewsSite
from bot.loopback.telegram_html import EntityParseError, parse_html
from tests.conftest import wait

ALICE = FakeBotAPI.user(1001, "Alice", "en")
SALMA = FakeBotAPI.user(1002, "سلمى", "ar")


@pytest.fixture
async def bot(bot_api: FakeBotAPI) -> AsyncIterator[Bot]:
    async with Bot(bot_api.token, base_url=bot_api.base_url) as bot:
        yield bot


def test_html_becomes_text_and_entities() -> None:
    parsed = parse_html('<b>Hi</b> &amp; <a href="https://x.test/a?b=1&amp;c=2">link</a> &#1605;')
    assert parsed.text == "Hi & link م"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 2},
        {"type": "text_link", "url": "https://x.test/a?b=1&c=2", "offset": 5, "length": 4},
    ]


def test_html_offsets_count_utf16_units() -> None:
    parsed = parse_html("😀 <i>خبر</i>")
    assert parsed.entities == [{"type": "italic", "offset": 3, "length": 3}]
    assert parsed.length == 6


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("1 < 2", "Unclosed start tag at byte offset 2"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
    ],
)
def test_html_that_telegram_refuses(source: str, error: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(source)
    assert error in str(caught.value)
    assert str(caught.value).startswith("can't parse entities: ")


async def test_send_message_is_recorded_as_the_user_sees_it(bot: Bot, bot_api: FakeBotAPI) -> None:
    bot_api.send(ALICE, "hello")
    sent = await bot.send_message(ALICE["id"], "<b>News</b> of the day", parse_mode="HTML")
    [shown] = bot_api.messages(ALICE["id"])
    assert shown["text"] == "News of the day"
    assert shown["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    assert sent.message_id == shown["message_id"]
    assert [c.method for c in bot_api.calls] == ["getMe", "sendMessage"]


async def test_telegram_validation(bot: Bot, bot_api: FakeBotAPI) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(999, "who?")
    bot_api.send(ALICE, "hi")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(ALICE["id"], "x" * 4097)
    await bot.send_message(ALICE["id"], "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities: Unsupported start tag"):
        await bot.send_message(ALICE["id"], "<p>para</p>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(ALICE["id"], "<b> </b>", parse_mode="HTML")
    long_data = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await bot.send_message(ALICE["id"], "pick", reply_markup=long_data)
    assert len(bot_api.messages(ALICE["id"])) == 1


async def test_edits_and_not_modified(bot: Bot, bot_api: FakeBotAPI) -> None:
    bot_api.send(ALICE, "hi")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]])
    sent = await bot.send_message(ALICE["id"], "one", reply_markup=markup)
    await bot.edit_message_text("two", ALICE["id"], sent.message_id, reply_markup=markup)
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("two", ALICE["id"], sent.message_id, reply_markup=markup)
    other = InlineKeyboardMarkup([[InlineKeyboardButton("B ✓", callback_data="b")]])
    await bot.edit_message_reply_markup(ALICE["id"], sent.message_id, reply_markup=other)
    [shown] = bot_api.messages(ALICE["id"])
    assert shown["text"] == "two"
    assert shown["reply_markup"]["inline_keyboard"][0][0]["text"] == "B ✓"
    await bot.delete_message(ALICE["id"], sent.message_id)
    assert bot_api.messages(ALICE["id"]) == []


async def test_users_press_buttons_and_the_bot_answers(bot: Bot, bot_api: FakeBotAPI) -> None:
    bot_api.send(SALMA, "/start")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("رياضة", callback_data="t:sports")]])
    sent = await bot.send_message(SALMA["id"], "اختر", reply_markup=markup)
    with pytest.raises(AssertionError, match="no such button"):
        bot_api.press(SALMA, sent.to_dict(), text="اقتصاد")
    query_id = bot_api.press(SALMA, sent.to_dict(), text="رياضة")
    updates = await bot.get_updates(timeout=0)
    assert updates[0].message is not None and updates[0].message.text == "/start"
    assert updates[0].message.entities[0].type == "bot_command"
    query = updates[1].callback_query
    assert query is not None and query.data == "t:sports" and query.from_user.id == SALMA["id"]
    assert query.id == query_id
    await bot.answer_callback_query(query.id, text="✓")
    assert bot_api.callback_answered(query_id)
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)


async def test_get_updates_confirms_offsets_and_long_polls(bot: Bot, bot_api: FakeBotAPI) -> None:
    bot_api.send(ALICE, "one")
    first = await bot.get_updates(timeout=0)
    assert [u.message.text for u in first if u.message] == ["one"]
    assert len(await bot.get_updates(timeout=0)) == 1, "not confirmed yet"
    assert await bot.get_updates(offset=first[-1].update_id + 1, timeout=0) == ()
    threading.Timer(0.3, bot_api.send, args=(ALICE, "two")).start()
    started = time.monotonic()
    woken = await bot.get_updates(offset=first[-1].update_id + 1, timeout=20, read_timeout=30)
    assert [u.message.text for u in woken if u.message] == ["two"]
    assert time.monotonic() - started < 15, "answered when the update came, not at the timeout"


async def test_rate_limits_answer_429_with_retry_after(bot_api: FakeBotAPI) -> None:
    bot_api.limits = RateLimits(per_second=30, per_chat_per_second=1, per_group_per_minute=20)
    group = FakeBotAPI.group(-100777, "Readers")
    bot_api.send(ALICE, "hi")
    bot_api.send(ALICE, "hi", chat=group)
    async with Bot(bot_api.token, base_url=bot_api.base_url) as bot:
        await bot.send_message(ALICE["id"], "1")
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(ALICE["id"], "2")
        assert caught.value.retry_after.total_seconds() == 1
        for n in range(20):
            await bot.send_message(group["id"], str(n))
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(group["id"], "21")
        assert 1 <= caught.value.retry_after.total_seconds() <= 60
    assert bot_api.rate_limited == 2
    assert len(bot_api.messages(group["id"])) == 20


async def test_injected_failures(bot: Bot, bot_api: FakeBotAPI) -> None:
    bot_api.send(ALICE, "hi")
    bot_api.send(SALMA, "hi")
    bot_api.fail("sendMessage", chat_id=ALICE["id"])
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(ALICE["id"], "news")
    await bot.send_message(SALMA["id"], "news")  # other chats are unaffected
    await bot.send_message(ALICE["id"], "news")  # times=1: only once
    bot_api.fail("sendMessage", code=400, description="Bad Request: group chat was upgraded "
                 "to a supergroup chat", migrate_to_chat_id=-100555)  # fmt: skip
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(SALMA["id"], "news")
    assert migrated.value.new_chat_id == -100555
    bot_api.fail("sendMessage", code=429, description="Too Many Requests: retry after 7",
                 retry_after=7)  # fmt: skip
    with pytest.raises(RetryAfter):
        await bot.send_message(SALMA["id"], "news")


async def test_a_slow_answer_arrives_after_the_client_gave_up(
    bot: Bot, bot_api: FakeBotAPI
) -> None:
    bot_api.send(ALICE, "hi")
    bot_api.fail("sendMessage", code=None, delay=1.0)
    with pytest.raises(Exception, match="Timed out"):
        await bot.send_message(ALICE["id"], "did it arrive?", read_timeout=0.2)
    assert [m["text"] for m in bot_api.messages(ALICE["id"])] == ["did it arrive?"]


async def test_chat_members_and_administrators(bot: Bot, bot_api: FakeBotAPI) -> None:
    group = FakeBotAPI.group(-100888, "Admins")
    bot_api.add_bot(group, ALICE, status="administrator")
    bot_api.send(SALMA, "/topics", chat=group)
    assert (await bot.get_chat_member(group["id"], ALICE["id"])).status == "creator"
    assert (await bot.get_chat_member(group["id"], SALMA["id"])).status == "member"
    bot_api.set_member(group["id"], SALMA, "administrator")
    admins = await bot.get_chat_administrators(group["id"])
    assert {a.user.id for a in admins} == {ALICE["id"], SALMA["id"], bot.id}
    [update, _] = await bot.get_updates(timeout=0)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "administrator"


async def test_channel_posts_and_forum_threads(bot: Bot, bot_api: FakeBotAPI) -> None:
    channel = FakeBotAPI.channel(-100999, "News channel")
    forum = FakeBotAPI.group(-100444, "Forum", forum=True)
    bot_api.post_to_channel(channel, "/digest")
    bot_api.send(ALICE, "/start", chat=forum, thread_id=7)
    post, threaded = await bot.get_updates(timeout=0)
    assert post.channel_post is not None and post.channel_post.chat.type == "channel"
    assert threaded.message is not None and threaded.message.message_thread_id == 7
    await bot.send_message(forum["id"], "in the thread", message_thread_id=7)
    assert bot_api.messages(forum["id"])[0]["message_thread_id"] == 7


async def test_commands_are_validated_and_kept_per_language(bot: Bot, bot_api: FakeBotAPI) -> None:
    await bot.set_my_commands([BotCommand("news", "أهم الأخبار")], language_code="ar")
    assert bot_api.commands("ar") == [{"command": "news", "description": "أهم الأخبار"}]
    with pytest.raises(BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand("News!", "x")])


async def test_wrong_token_and_unknown_method(bot_api: FakeBotAPI) -> None:
    async with httpx.AsyncClient() as client:
        wrong = await client.post(bot_api.base_url + "0:nope/getMe")
        unknown = await client.post(bot_api.base_url + bot_api.token + "/launchRocket")
    assert wrong.status_code == 401
    assert unknown.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_wait_for_messages_does_not_block_the_loop(bot: Bot, bot_api: FakeBotAPI) -> None:
    bot_api.send(ALICE, "hi")
    waiting = wait(bot_api.wait_for_messages, ALICE["id"], 1, 5.0)
    await bot.send_message(ALICE["id"], "arrived")
    assert (await waiting)[0]["text"] == "arrived"


async def test_users_messages_cannot_be_edited_by_the_bot(bot: Bot, bot_api: FakeBotAPI) -> None:
    said = bot_api.send(ALICE, "my own words")
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await bot.edit_message_text("changed", ALICE["id"], said["message_id"])


async def test_migrated_groups_removed_bots_and_anonymous_senders(
    bot: Bot, bot_api: FakeBotAPI
) -> None:
    group = FakeBotAPI.group(-555, "Readers")
    bot_api.add_bot(group, ALICE)
    bot_api.send_anonymously(group, "/time 9")
    supergroup = bot_api.migrate_group(group, -100555, ALICE, announce=("from", "to"))
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(group["id"], "news")
    assert migrated.value.new_chat_id == supergroup["id"]
    await bot.send_message(supergroup["id"], "news")
    bot_api.remove_bot(supergroup, ALICE, status="kicked")
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await bot.send_message(supergroup["id"], "news")
    bot_api.add_bot(supergroup, ALICE)
    await bot.send_message(supergroup["id"], "back")
    _, anonymous, came_from, went_to, removed, readded = await bot.get_updates(timeout=0)
    assert anonymous.message is not None and anonymous.message.sender_chat is not None
    assert anonymous.message.sender_chat.id == group["id"]
    assert anonymous.message.from_user is not None
    assert anonymous.message.from_user.username == "GroupAnonymousBot"
    with pytest.raises(BadRequest, match=r"(?i)user not found"):
        await bot.get_chat_member(group["id"], anonymous.message.from_user.id)
    assert came_from.message is not None and came_from.message.migrate_from_chat_id == -555
    assert went_to.message is not None and went_to.message.migrate_to_chat_id == -100555
    assert removed.my_chat_member is not None
    assert removed.my_chat_member.new_chat_member.status == "kicked"
    assert readded.my_chat_member is not None
    assert readded.my_chat_member.new_chat_member.status == "member"


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ('"large"', "can't parse link preview options JSON object"),
        ('{"is_disabled": "yes"}', 'Field "is_disabled" must be of type Boolean'),
        ('{"url": 5}', 'Field "url" must be of type String'),
        ('{"url": "x", "prefer_large_media": 1}', 'Field "prefer_large_media" must be of type'),
        ('{"show_above_text": "true"}', 'Field "show_above_text" must be of type Boolean'),
        ('{"prefer_small_media": null}', 'Field "prefer_small_media" must be of type Boolean'),
        ('{"url": "file:///etc/passwd"}', "link preview URL is invalid"),
    ],
)
async def test_link_preview_options_are_checked_as_telegram_documents_them(
    bot_api: FakeBotAPI, options: str, error: str
) -> None:
    bot_api.send(ALICE, "hi")
    async with httpx.AsyncClient() as client:
        answer = await client.post(bot_api.base_url + bot_api.token + "/sendMessage", data={
            "chat_id": ALICE["id"], "text": "News", "link_preview_options": options})  # fmt: skip
    assert answer.status_code == 400
    assert error in answer.json()["description"]
    assert bot_api.messages(ALICE["id"]) == []


async def test_the_preview_is_drawn_from_the_pages_picture(
    bot: Bot, bot_api: FakeBotAPI, news_site: NewsSite
) -> None:
    page = news_site.put("/a.html", '<html><head><meta property="og:image" content="/p.jpg">'
                                    "</head><body>A</body></html>")  # fmt: skip
    bare = news_site.put("/b.html", "<html><body>B</body></html>")
    bot_api.send(ALICE, "hi")
    text = f'<a href="{bare}">Second</a> first in the text'
    chosen = await bot.send_message(ALICE["id"], text, parse_mode="HTML", link_preview_options=
                                    LinkPreviewOptions(url=page, prefer_large_media=True,
                                                       show_above_text=True))  # fmt: skip
    first_link = await bot.send_message(ALICE["id"], text, parse_mode="HTML",
                                        link_preview_options=LinkPreviewOptions(
                                            prefer_large_media=True))  # fmt: skip
    none = await bot.send_message(
        ALICE["id"],
        text,
        parse_mode="HTML",
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert bot_api.preview(ALICE["id"], chosen.message_id) == {
        "url": page,
        "image": news_site.url("/p.jpg"),
        "above": True,
        "large": True,
    }
    assert bot_api.preview(ALICE["id"], first_link.message_id) == {
        "url": bare,
        "image": None,
        "above": False,
        "large": False,
    }, "no url given: the first link, and no enlarged media, as Telegram documents"
    assert bot_api.preview(ALICE["id"], none.message_id) is None
    assert bot_api.messages(ALICE["id"])[0]["link_preview_options"] == {
        "url": page,
        "prefer_large_media": True,
        "show_above_text": True,
    }


async def test_an_edit_without_preview_options_loses_the_ones_it_had(
    bot: Bot, bot_api: FakeBotAPI, news_site: NewsSite
) -> None:
    page = news_site.put("/a.html", "<html><body>A</body></html>")
    bot_api.send(ALICE, "hi")
    above = LinkPreviewOptions(url=page, show_above_text=True)
    sent = await bot.send_message(ALICE["id"], "one", link_preview_options=above)
    await bot.edit_message_text("two", ALICE["id"], sent.message_id, link_preview_options=above)
    assert bot_api.preview(ALICE["id"], sent.message_id) == {
        "url": page,
        "image": None,
        "above": True,
        "large": False,
    }
    await bot.edit_message_text("three", ALICE["id"], sent.message_id)
    assert bot_api.preview(ALICE["id"], sent.message_id) is None, "no link in the text now"


async def test_entities_past_the_hundredth_are_ignored(bot: Bot, bot_api: FakeBotAPI) -> None:
    bot_api.send(ALICE, "hi")
    await bot.send_message(ALICE["id"], " ".join(f"<b>{n}</b>" for n in range(150)),
                           parse_mode="HTML")  # fmt: skip
    [shown] = bot_api.messages(ALICE["id"])
    assert len(shown["entities"]) == 100 and shown["entities"][-1]["offset"] < len(shown["text"])
