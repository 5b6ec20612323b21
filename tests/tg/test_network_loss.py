"""Telegram out of reach after the bot started (our network, or Telegram itself): the
bot goes on running, saying so in one line per failed poll (no traceback), and once
Telegram answers again it answers what was sent meanwhile, each message once."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram.ext import Application

from bot.loopback.bot_api import FakeBotAPI
from tests.conftest import wait
from tests.tg.test_conversation import ask

ALICE = FakeBotAPI.user(7301, "Alice", "en")
BOB = FakeBotAPI.user(7302, "Bob", "en")


async def test_updates_sent_while_telegram_was_out_of_reach_are_answered_once_after(
    running_bot: Application, bot_api: FakeBotAPI, caplog: pytest.LogCaptureFixture
) -> None:
    await ask(bot_api, ALICE, "/help", 1)
    caplog.set_level(logging.WARNING)
    bot_api.go_down()
    bot_api.send(ALICE, "/mytopics")  # Telegram holds these until the bot asks again
    bot_api.send(BOB, "/help")
    await asyncio.sleep(3)  # several polls fail meanwhile, each retried
    assert running_bot.running and running_bot.updater and running_bot.updater.running
    bot_api.come_back()
    failed = [r for r in caplog.records if "for updates failed" in r.getMessage()]
    assert failed, [r.getMessage() for r in caplog.records]
    assert "polling Telegram at loopback for updates failed: " in failed[0].getMessage()
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in failed)
    assert not [r for r in caplog.records if r.exc_info], "no traceback for a network lost"
    # A guard against hanging, far above the updater's backoff; not a measure of speed.
    alice = await wait(bot_api.wait_for_messages, ALICE["id"], 2, 60.0)
    bob = await wait(bot_api.wait_for_messages, BOB["id"], 1, 60.0)
    assert alice[-1]["text"].startswith("Topics:"), alice[-1]["text"]
    assert "/topics" in bob[0]["text"]
    await ask(bot_api, ALICE, "/help", 3)  # and what comes after, as before
    await asyncio.sleep(1.5)  # a poll or two more: nothing is answered twice
    assert len(bot_api.messages(ALICE["id"])) == 3 and len(bot_api.messages(BOB["id"])) == 1
