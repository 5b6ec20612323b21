"""Commands given what users really type at the edges, each with its own clear answer:
offsets no zone has, addresses no site can have, keywords that can never match."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from telegram.ext import Application

from bot.loopback.bot_api import FakeBotAPI
from storage import subscriptions
from storage.db import session
from storage.models import Chat
from tests.conftest import wait
from tests.tg.test_conversation import ask

ALICE = FakeBotAPI.user(7201, "Alice", "en")
OPERATOR = FakeBotAPI.user(9999, "Operator", "en")  # in ADMIN_IDS (conftest)
FAILURE = "Something went wrong"


async def test_offsets_no_time_zone_has_get_their_own_answer(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    for n, offset in enumerate(("UTC-13", "UTC-14", "GMT+15"), 1):
        said = await ask(bot_api, ALICE, f"/timezone {offset}", n)
        assert said["text"] == (
            f"There is no time zone “{offset}”: offsets go from UTC-12 to UTC+14. "
            "Try a city (Cairo), Asia/Riyadh or UTC+3."
        )
    said = await ask(bot_api, ALICE, "/timezone UTC+5:30", 4)
    assert said["text"] == (
        "“UTC+5:30” has no zone name of its own. Send a city or a name like Asia/Kolkata "
        "or Asia/Tehran."
    )
    for n, (offset, zone) in enumerate((("UTC+14", "Etc/GMT-14"), ("UTC-12", "Etc/GMT+12")), 5):
        said = await ask(bot_api, ALICE, f"/timezone {offset}", n)
        assert said["text"] == f"Your time zone is now {zone}; the digest comes at 08:00."
    with session(engine) as db:
        row = db.get(Chat, ALICE["id"])
        assert row is not None and row.timezone == "Etc/GMT+12"


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ("https://😀.com/feed", "the site's name has characters no site name has (emoji or signs)"),
        ("http://١٢٧.٠.٠.١/feed",
         "the site's name has Arabic or Persian digits; write them as 0-9"),
        ("http://[::1", "that is not a web address I can read, like https://example.com/feed"),
        ("javascript:alert(1)", "I follow only http and https addresses"),
        ("news.example:port/rss",
         "that is not a web address I can read, like https://example.com/feed"),
    ],
)  # fmt: skip
async def test_addresses_no_site_can_have_get_their_own_answer(
    running_bot: Application, bot_api: FakeBotAPI, given: str, why: str
) -> None:
    said = await ask(bot_api, OPERATOR, f"/addsource {given}", 1)
    assert said["text"] == f"Could not add {given}: {why}"
    assert FAILURE not in said["text"]


async def test_a_long_follow_is_cut_and_said_so(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    words = [f"word{n}" for n in range(200)]
    said = await ask(bot_api, ALICE, "/follow " + " ".join(words), 1)
    kept = " ".join(words[:8])
    assert said["text"] == (
        f"✂️ A keyword is at most 8 words and 80 characters, so I will look out for “{kept}”. "
        "For more, send /follow for each."
    )
    with session(engine) as db:
        assert subscriptions.keywords(ALICE["id"], session=db) == [kept]
    gone = await ask(bot_api, ALICE, "/unfollow " + " ".join(words), 2)
    assert gone["text"] == f"Stopped following “{kept}”."


@pytest.mark.parametrize(
    ("words", "why"),
    [
        ("🙂🙂 🎉", "can never match a story: it has no word I look for"),
        ("the of and", "can never match a story: it has no word I look for"),
        ("في من على", "can never match a story: it has no word I look for"),
        ("Open\x07AI", "has control characters, which no story has"),
    ],
)
async def test_keywords_that_can_never_match_are_refused(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine, words: str, why: str
) -> None:
    said = await ask(bot_api, ALICE, f"/follow {words}", 1)
    assert why in said["text"], said["text"]
    assert "\x07" not in said["text"]
    with session(engine) as db:
        assert subscriptions.keywords(ALICE["id"], session=db) == []


async def test_keywords_are_capped_and_mytopics_is_paged(
    running_bot: Application, bot_api: FakeBotAPI, engine: Engine
) -> None:
    await ask(bot_api, ALICE, "/start", 2)
    many = [f"keyword{n:02d} " + "longwords " * 6 + "name" for n in range(50)]
    assert all(len(k) <= 80 and len(k.split()) == 8 for k in many), "as long as may be"
    with session(engine) as db:
        for keyword in many:
            subscriptions.follow_keyword(ALICE["id"], keyword, session=db)
    capped = await ask(bot_api, ALICE, "/follow Nile dam", 3)
    assert capped["text"] == (
        "You follow 50 words, the most I keep for one chat. Stop following one first with "
        "/unfollow (see /mytopics)."
    )
    known = await ask(bot_api, ALICE, f"/follow {many[0]}", 4)
    assert known["text"].startswith("You already follow"), "a known one is no new one"
    listing = await ask(bot_api, ALICE, "/mytopics", 5)
    assert FAILURE not in listing["text"]
    assert f"{many[0]}, {many[1]}" in listing["text"]
    assert "(1–20 of 50)" in listing["text"] and many[20] not in listing["text"]
    assert [b["text"] for b in listing["reply_markup"]["inline_keyboard"][0]] == ["▶"]
    query = bot_api.press(ALICE, listing, text="▶")
    await wait(bot_api.wait_for, lambda: bot_api.callback_answered(query))
    second = await wait(bot_api.wait_for, lambda: [
        m for m in bot_api.messages(ALICE["id"]) if "(21–40 of 50)" in m["text"]
    ])  # fmt: skip
    assert second[0]["message_id"] == listing["message_id"], "turned in place"
    assert many[20] in second[0]["text"] and many[0] not in second[0]["text"]
    assert len(bot_api.messages(ALICE["id"])) == 5
    # Forged pages: beyond the last shows the last, below the first the first; data we
    # did not make is answered and changes nothing.
    for data, shown in (("w:99999", "(41–50 of 50)"), ("w:-7", "(1–20 of 50)"),
                        ("w:x", "(1–20 of 50)"), ("w:", "(1–20 of 50)"),
                        ("w:1:2", "(1–20 of 50)")):  # fmt: skip
        query = bot_api.press_data(ALICE, listing, data)
        await wait(bot_api.wait_for, lambda q=query, s=shown: bot_api.callback_answered(q) and [
            m for m in bot_api.messages(ALICE["id"])
            if m["message_id"] == listing["message_id"] and s in m["text"]
        ])  # fmt: skip
    assert len(bot_api.messages(ALICE["id"])) == 5, "no message more"
    with session(engine) as db:
        assert "Nile dam" not in subscriptions.keywords(ALICE["id"], session=db)
