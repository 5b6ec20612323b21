"""Commands given what users really type at the edges, each with its own clear answer:
offsets no zone has, addresses no site can have, keywords that can never match."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from telegram.ext import Application

from bot.loopback.bot_api import FakeBotAPI
from storage.db import session
from storage.models import Chat
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
