"""The sender against the loopback Bot API server, with python-telegram-bot's Bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.loopback.bot_api import FakeBotAPI, RateLimits
from bot.tg.limits import Limiter, Limits
from bot.tg.send import Sender
from bot.wire import Withdrawn, telegram_request

USERS = [FakeBotAPI.user(3000 + n, f"User {n}") for n in range(4)]


@pytest.fixture
async def bot(bot_api: FakeBotAPI) -> AsyncIterator[Bot]:
    for user in USERS:
        bot_api.send(user, "/start")
    request = telegram_request(timeout=0.5, connections=8)
    async with Bot(bot_api.token, base_url=bot_api.base_url, request=request) as bot:
        yield bot


def texts(bot_api: FakeBotAPI, chat_id: int) -> list[str]:
    return [m["text"] for m in bot_api.messages(chat_id)]


async def test_stays_under_the_limits_by_itself(bot: Bot, bot_api: FakeBotAPI) -> None:
    bot_api.limits = RateLimits(per_second=4, per_chat_per_second=1)
    sender = Sender(bot, Limiter(Limits(per_second=4, private_per_second=1)))
    for n in range(3):
        for user in USERS:
            assert (await sender.send(user["id"], f"<b>news {n}</b>")).status == "sent"
    assert bot_api.rate_limited == 0
    assert sender.retry_after_seen == 0
    assert texts(bot_api, USERS[0]["id"]) == ["news 0", "news 1", "news 2"]


async def test_a_429_storm_is_waited_out_and_nothing_is_dropped(
    bot: Bot, bot_api: FakeBotAPI
) -> None:
    bot_api.fail("sendMessage", code=429, description="Too Many Requests: retry after 1",
                 retry_after=1, times=3)  # fmt: skip
    sender = Sender(bot)
    result = await sender.send(USERS[0]["id"], "after the storm")
    assert result.status == "sent"
    assert sender.retry_after_seen == 3
    assert texts(bot_api, USERS[0]["id"]) == ["after the storm"]


async def test_a_blocked_chat_is_gone_and_the_others_are_unaffected(
    bot: Bot, bot_api: FakeBotAPI
) -> None:
    blocked = USERS[1]["id"]
    bot_api.fail("sendMessage", chat_id=blocked, times=None)
    sender = Sender(bot)
    results = [await sender.send(user["id"], "digest") for user in USERS]
    assert [r.status for r in results] == ["sent", "gone", "sent", "sent"]
    assert "blocked" in (results[1].error or "")
    assert len(bot_api.calls_to("sendMessage")) == 4, "no retry to a blocked chat"


async def test_entities_refused_then_sent_as_plain_text(bot: Bot, bot_api: FakeBotAPI) -> None:
    result = await Sender(bot).send(USERS[0]["id"], "<b>Title</b> <blink>x</blink> &amp; more")
    assert result.status == "sent"
    assert texts(bot_api, USERS[0]["id"]) == ["Title x & more"]


async def test_too_long_after_all_sends_its_beginning_as_plain_text(
    bot: Bot, bot_api: FakeBotAPI
) -> None:
    text = "<b>Story</b> " + "word " * 900
    bot_api.fail("sendMessage", code=400, description="Bad Request: message is too long")
    result = await Sender(bot).send(USERS[0]["id"], text)
    [shown] = texts(bot_api, USERS[0]["id"])
    assert result.status == "sent"
    assert shown.startswith("Story word word") and shown.endswith("…")
    assert len(shown) <= 4096


async def test_a_migrated_group_is_followed(bot: Bot, bot_api: FakeBotAPI) -> None:
    old, new = FakeBotAPI.group(-4000, "Old"), FakeBotAPI.group(-1004000, "New")
    bot_api.send(USERS[0], "/start", chat=old)
    bot_api.send(USERS[0], "/start", chat=new)
    upgraded = "Bad Request: group chat was upgraded to a supergroup chat"
    bot_api.fail("sendMessage", chat_id=-4000, code=400, migrate_to_chat_id=-1004000,
                 description=upgraded)  # fmt: skip
    result = await Sender(bot).send(-4000, "digest", group=True)
    assert (result.status, result.chat_id, result.migrated_from) == ("sent", -1004000, -4000)
    assert texts(bot_api, -1004000) == ["digest"]


async def test_an_unknown_chat_is_gone(bot: Bot) -> None:
    assert (await Sender(bot).send(424242, "hello?")).status == "gone"


async def test_a_message_whose_answer_comes_too_late_is_not_sent_again(
    bot: Bot, bot_api: FakeBotAPI
) -> None:
    chat = USERS[2]["id"]
    sender = Sender(bot)
    await sender.send(chat, "first")
    bot_api.fail("sendMessage", code=None, delay=1.0)  # delivered, answered too late
    result = await sender.send(chat, "<b>second</b>")
    assert result.status == "unconfirmed"
    assert texts(bot_api, chat) == ["first", "second"]
    assert [c.method for c in bot_api.calls if c.method != "getMe"] == [
        "sendMessage",
        "sendMessage",
    ], "no probe: nothing edited, nothing sent again"


async def test_network_errors_are_retried(bot: Bot, bot_api: FakeBotAPI) -> None:
    bot_api.fail("sendMessage", code=502, description="Bad Gateway", times=2)
    given_back = []
    sender = Sender(bot, backoff=0.05)
    result = await sender.send(USERS[3]["id"], "eventually",
                               returned=lambda: given_back.append(1))  # fmt: skip
    assert result.status == "sent"
    assert texts(bot_api, USERS[3]["id"]) == ["eventually"]
    assert len(given_back) == 2, "each refusal handed the message back"


async def test_the_handover_is_recorded_before_the_bytes_go_and_can_stop_them(
    bot: Bot, bot_api: FakeBotAPI
) -> None:
    seen_by_telegram = []

    def on_wire() -> None:
        seen_by_telegram.append(len(bot_api.calls_to("sendMessage")))

    assert (await Sender(bot).send(USERS[0]["id"], "one", on_wire=on_wire)).status == "sent"
    assert seen_by_telegram == [0], "called once, before Telegram had the request"

    def taken() -> None:
        raise Withdrawn("another process has it")

    result = await Sender(bot).send(USERS[0]["id"], "two", on_wire=taken)
    assert result.status == "withdrawn"
    assert texts(bot_api, USERS[0]["id"]) == ["one"], "Telegram never had it whole"
    assert [c.ok for c in bot_api.calls_to("sendMessage")] in ([True], [True, False])


async def test_telegram_unreachable_leaves_the_message_to_send_later(bot_api: FakeBotAPI) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = telegram_request(timeout=0.5, connections=2)
    # Not initialized (that asks getMe, which cannot answer): sending is what is tried.
    nowhere = Bot(bot_api.token, base_url=f"http://127.0.0.1:{port}/bot", request=request)
    given_back: list[int] = []
    try:
        result = await Sender(nowhere, backoff=0.01).send(
            USERS[0]["id"], "later", returned=lambda: given_back.append(1)
        )
    finally:
        await request.shutdown()
    assert result.status == "later"
    assert given_back == [], "never handed over: no connection was made"
