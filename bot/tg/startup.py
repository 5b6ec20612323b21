"""Reaching Telegram, at start and while polling: keep trying while it cannot be
reached; a rejected token is final.

A bot under systemd or in a container often starts before the network is up, or while
Telegram is away. `reach_telegram` initializes the application (which asks Telegram for
the bot's own account, getMe) until Telegram answers:

- no network, a time-out, or an error page from Telegram or a proxy on the way: one
  WARNING line per attempt saying what failed and when the next try is, no traceback;
  the waits double from 1 s to at most 60 s, so the bot serves within a minute of
  Telegram answering again, and a bot left waiting for hours writes one line a minute;
- 429 at start: the wait Telegram asks for;
- 401, the token rejected: `TokenRejected` at once, since trying again cannot help.

Once serving, `start_polling` starts the updater: a poll for updates that fails (the
network lost, Telegram away) is one WARNING line too, not PTB's traceback, and PTB
tries again, waiting 1 s and up to 30 s. Telegram keeps the updates meanwhile.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, Updater

from bot.tg.limits import retry_seconds

log = logging.getLogger(__name__)


class TokenRejected(Exception):
    """Telegram answered 401 for TELEGRAM_BOT_TOKEN (revoked, or mistyped)."""


@dataclass(frozen=True)
class Backoff:
    first: float = 1.0  # seconds before the second attempt
    most: float = 60.0  # the longest wait between two attempts

    def wait(self, failures: int) -> float:
        """Seconds to wait after the `failures`-th failure in a row (1, 2, 4, ... most)."""
        return float(min(self.most, self.first * 2 ** min(failures - 1, 32)))


async def reach_telegram(
    application: Application,  # type: ignore[type-arg]
    *,
    where: str,
    backoff: Backoff = Backoff(),
) -> int:
    """Initializes `application`, trying until Telegram answers; returns the attempts it
    took. `where` names the Bot API in the log lines (never its URL: that holds the token)."""
    failures = 0
    while True:
        try:
            await application.initialize()
            return failures + 1
        except InvalidToken:
            # PTB's message quotes the token itself: it is not passed on, nor chained.
            raise TokenRejected(
                "Telegram rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): it was revoked or "
                "mistyped. Get the current one from @BotFather (/mybots, your bot, API Token) "
                "and put it in .env or the environment"
            ) from None
        except RetryAfter as error:
            failures += 1
            wait, reason = retry_seconds(error), "Telegram asked to wait (429)"
        except BadRequest:
            raise  # Telegram answered, and refused: not the network
        except NetworkError as error:
            failures += 1
            wait, reason = backoff.wait(failures), " ".join(str(error).split())
        at = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=wait)
        log.warning("cannot reach Telegram at %s: %s; trying again in %.0f s, at %s UTC "
                    "(attempt %d)", where, reason, wait, f"{at:%H:%M:%S}", failures)  # fmt: skip
        await asyncio.sleep(wait)


async def start_polling(updater: Updater, *, where: str, **options: Any) -> None:
    """Starts polling for every kind of update; `options` go to PTB's start_polling."""

    def failed(error: TelegramError) -> None:
        log.warning("polling Telegram at %s for updates failed: %s; trying again", where,
                    " ".join(str(error).split()) or type(error).__name__)  # fmt: skip

    await updater.start_polling(allowed_updates=Update.ALL_TYPES, error_callback=failed,
                                **options)  # fmt: skip
