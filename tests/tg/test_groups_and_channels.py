"""Groups and channels at their edges, against the loopback Bot API: anonymous admins,
the bot removed and added back, a group that becomes a supergroup while in use, a
channel admin who leaves, commands for other bots, buttons pressed twice or forged."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram.ext import Application

from bot.loopback.bot_api import FakeBotAPI
from storage import subscriptions
from storage.db import session
from storage.models import Chat
from tests.conftest import wait
from tests.tg.test_conversation import add_story, ask

ALICE = FakeBotAPI.user(7101, "Alice", "en")
SALMA = FakeBotAPI.user(7102, "سلمى", "ar")
BOB = FakeBotAPI.user(7103, "Bob", "en")
FAILURE = "Something went wrong"


def chat(engine: Engine, chat_id: int) -> Chat | None:
    with session(engine) as db:
        return db.get(Chat, chat_id)


async def test_commands_for_another_bot_are_left_alone(
    running_bot: Application, bot_api: FakeBotAPI
) -> None:
    group = FakeBotAPI.group(-1008000, "Two bots")
    bot_api.add_bot(group, ALICE)
    for words in ("/help@other_bot", "/frobnicate@OtherBot now", "/start@other_bot"):
        bot_api.send(ALICE, words, chat=group)
    mine = await ask(bot_api, ALICE, "/help@NewsBot_Test_Bot", 1, chat=group)
    assert "/topics" in mine["text"], "ours, whatever the case of its name"
    assert await ask(bot_api, ALICE, "/frobnicate", 2, chat=group)
    assert [m["text"].split("\n")[0] for m in bot_api.messages(group["id"])] == [
        "What you can send me:", "I don't know /frobnicate. Send /help to see the commands.",
    ]  # fmt: skip


async def test_anonymous_admins_change_a_groups_settings(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    group = FakeBotAPI.group(-1008100, "Anonymous admins")
    bot_api.add_bot(group, ALICE)
    bot_api.send_anonymously(group, "/time 9:15")
    said = (await wait(bot_api.wait_for_messages, group["id"], 1))[-1]
    assert said["text"] == "Your digest will come every day at 09:15, UTC time."
    bot_api.send_anonymously(group, "/follow OpenAI")
    said = (await wait(bot_api.wait_for_messages, group["id"], 2))[-1]
    assert "OpenAI" in said["text"] and FAILURE not in said["text"]
    row = chat(engine, group["id"])
    assert row is not None and row.digest_time == "09:15"
    # Someone writing as another chat (their own channel) is not the group's admin.
    bot_api.send_as_channel(group, FakeBotAPI.channel(-1008101, "Someone's channel"), "/time 6")
    refused = (await wait(bot_api.wait_for_messages, group["id"], 3))[-1]
    assert refused["text"] == "Sorry, only the group's admins can change its settings."


async def test_a_members_press_on_the_groups_picker_is_refused_to_them_alone(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    group = FakeBotAPI.group(-1008150, "Members press buttons")
    bot_api.add_bot(group, ALICE)  # Alice, who added the bot, owns the group
    bot_api.set_member(group["id"], BOB, "member")
    picker = await ask(bot_api, ALICE, "/topics", 1, chat=group)
    for press in (lambda: bot_api.press(BOB, picker, text="Economy"),
                  lambda: bot_api.press_data(BOB, picker, "t:0:economy"),
                  lambda: bot_api.press_data(BOB, picker, "p:1")):  # fmt: skip
        query = press()
        await wait(bot_api.wait_for, lambda q=query: bot_api.callback_answered(q))
        answer = bot_api.callback_answer(query)
        assert answer["text"] == "Sorry, only the group's admins can change its settings."
        assert answer["show_alert"], "a popup for the one who pressed"
    assert len(bot_api.messages(group["id"])) == 1, "nothing posted to the whole group"
    with session(engine) as db:
        assert subscriptions.topic_slugs(group["id"], session=db) == set()
    query = bot_api.press(ALICE, picker, text="Economy")
    await wait(bot_api.wait_for, lambda: bot_api.callback_answered(query))
    assert not bot_api.callback_answer(query)["show_alert"]
    with session(engine) as db:
        assert subscriptions.topic_slugs(group["id"], session=db) == {"economy"}


async def test_a_group_that_removes_the_bot_and_adds_it_back_is_active_again(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    group = FakeBotAPI.group(-1008200, "Comes back")
    bot_api.add_bot(group, ALICE)
    await ask(bot_api, ALICE, "/time 7:40", 1, chat=group)
    bot_api.remove_bot(group, ALICE)

    def active() -> bool | None:
        row = chat(engine, group["id"])
        return None if row is None else row.active

    await wait(bot_api.wait_for, lambda: active() is False, 5.0)
    bot_api.add_bot(group, ALICE)  # and nobody writes a command
    assert await wait(bot_api.wait_for, lambda: active() is True, 5.0)
    row = chat(engine, group["id"])
    assert row is not None and row.digest_time == "07:40", "its settings stayed"
    assert row.next_digest_at is not None and row.next_digest_at > dt.datetime.now(dt.UTC)


@pytest.mark.parametrize("how", ["left", "member", "kicked"])
async def test_a_channel_admin_who_leaves_or_is_demoted_can_no_longer_change_it(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine, how: str
) -> None:
    news = FakeBotAPI.channel(-1008300, "Morning News", username="morningnews")
    bot_api.add_bot(news, ALICE, status="administrator")
    assert "Linked" in (await ask(bot_api, ALICE, "/channel @morningnews", 1))["text"]
    await ask(bot_api, ALICE, "/time 6:15", 2)
    bot_api.set_member(news["id"], ALICE, how)  # left the channel, demoted, or banned
    refused = await ask(bot_api, ALICE, "/pause", 3)
    assert refused["text"] == (
        "You are no longer an admin of “Morning News”, so I unlinked it: your commands here "
        "set up your own chat again. To manage it again, become its admin and send /channel"
    )
    for n, command in enumerate(("/time 9", "/language ar", "/follow Gaza"), 4):
        await ask(bot_api, ALICE, command, n)
    channel, own = chat(engine, news["id"]), chat(engine, ALICE["id"])
    assert channel is not None and own is not None
    assert (channel.digest_time, channel.paused, channel.language) == ("06:15", False, "en")
    assert own.manages is None and own.digest_time == "09:00" and own.language == "ar"
    with session(engine) as db:
        assert subscriptions.keywords(news["id"], session=db) == []


async def test_the_topic_buttons_of_a_linked_channel_check_the_rights_too(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    news = FakeBotAPI.channel(-1008400, "Evening News", username="eveningnews")
    bot_api.add_bot(news, ALICE, status="administrator")
    await ask(bot_api, ALICE, "/channel @eveningnews", 1)
    picker = await ask(bot_api, ALICE, "/topics", 2)
    bot_api.set_member(news["id"], ALICE, "left")
    query = bot_api.press(ALICE, picker, text="Economy")
    await wait(bot_api.wait_for, lambda: bot_api.callback_answered(query))
    refused = (await wait(bot_api.wait_for_messages, ALICE["id"], 3))[-1]
    assert refused["text"].startswith("You are no longer an admin of “Evening News”")
    with session(engine) as db:
        assert subscriptions.topic_slugs(news["id"], session=db) == set()


async def digests_after(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine, ids: tuple[int, int]
) -> list[dict]:
    """Every chat row left of the two is made due at one time; the bot's own delivery
    job then ticks: the digests (and 'nothing new' lines) the supergroup got."""
    due = dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)
    with session(engine) as db:
        for row in db.exec(select(Chat).where(Chat.id.in_(ids))):  # type: ignore[union-attr]
            row.next_digest_at = due
            db.add(row)
    assert running_bot.job_queue is not None
    [job] = running_bot.job_queue.get_jobs_by_name("deliver")
    await job.data.tick(due + dt.timedelta(minutes=1))
    return [m for m in bot_api.messages(ids[1]) if m["text"].startswith("📰")]


@pytest.mark.parametrize(
    "announced",
    [
        ("from", "used", "to"),  # the supergroup's own message first, as it comes first there
        ("used", "to", "from"),  # used before either service message was seen
        ("used", "from", "to"),
        ("to", "used", "from"),  # the order the old code knew
    ],
)
async def test_a_group_that_becomes_a_supergroup_while_in_use_gets_one_digest(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine, announced: tuple[str, ...]
) -> None:
    group = FakeBotAPI.group(-8500, "Small group")
    bot_api.add_bot(group, ALICE)
    await ask(bot_api, ALICE, "/time 6:45", 1, chat=group)
    await ask(bot_api, ALICE, "/follow Cup final", 2, chat=group)
    with session(engine) as db:
        subscriptions.toggle_topic(group["id"], "economy", session=db)
    add_story(engine, "Central bank holds rates", "economy")
    supergroup = bot_api.migrate_group(group, -1008500, ALICE, announce=())
    said = 0
    for step in announced:
        if step == "used":
            said += 1
            await ask(bot_api, ALICE, "/mytopics", said, chat=supergroup)
        else:
            bot_api.announce_migration(group, supergroup, ALICE, step)

    def moved() -> bool:
        return chat(engine, group["id"]) is None and chat(engine, supergroup["id"]) is not None

    assert await wait(bot_api.wait_for, moved, 5.0)
    row = chat(engine, supergroup["id"])
    assert row is not None and (row.digest_time, row.kind) == ("06:45", "supergroup")
    with session(engine) as db:
        assert subscriptions.topic_slugs(supergroup["id"], session=db) == {"economy"}
        assert subscriptions.keywords(supergroup["id"], session=db) == ["Cup final"]
    digests = await digests_after(running_bot, bot_api, engine, (group["id"], supergroup["id"]))
    assert len(digests) == 1, [d["text"][:60] for d in digests]
    assert "Central bank holds rates" in digests[0]["text"]


async def test_buttons_pressed_twice_or_forged_are_answered_quietly(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    picker = await ask(bot_api, ALICE, "/start", 2)

    async def answered(*queries: str) -> None:
        await wait(bot_api.wait_for, lambda: all(bot_api.callback_answered(q) for q in queries))

    # A double tap: two presses of ▶ on the keyboard as it was drawn, before the first
    # is answered; the second redraws what is already there.
    await answered(bot_api.press(ALICE, picker, text="▶"), bot_api.press(ALICE, picker, text="▶"))
    # Forged or stale data, and the page that is already shown.
    for data in ("t:0:nonexistent", "t:0:economy:extra", "t:x:economy", "z" * 64, "p:1",
                 "t:1:", "p:"):  # fmt: skip
        await answered(bot_api.press_data(ALICE, picker, data))
    messages = bot_api.messages(ALICE["id"])
    assert len(messages) == 2, [m["text"] for m in messages]
    assert "◀" in str(messages[1]["reply_markup"]), "still the second page"
    with session(engine) as db:
        assert subscriptions.topic_slugs(ALICE["id"], session=db) == set()
    # The buttons still work.
    await answered(bot_api.press(ALICE, bot_api.messages(ALICE["id"])[1], text="◀"))
    await answered(bot_api.press_data(ALICE, picker, "p:-3"))  # the first page, shown already
    assert "◀" not in str(bot_api.messages(ALICE["id"])[1]["reply_markup"])
    assert len(bot_api.messages(ALICE["id"])) == 2
