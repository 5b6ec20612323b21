"""The one sender: every message the product sends on its own goes through here.

It keeps the limits (limits.py), and handles what Telegram answers:
- 429: waits exactly retry_after (that chat, or everything when the bot was
  sending near the overall limit), then tries again; never drops;
- 403, "chat not found": the chat is gone (the caller marks it inactive);
- a migrated group: sends to the new chat id and tells the caller;
- 400 "can't parse entities": the same text once more as plain text;
- a network failure before the request went out whole: tried again after a
  backoff; after a few tries the message waits for the next round.

What it never does is send a message twice or touch another message to find
out whether one arrived. A request that went out whole and got no answer (a
timeout, a crash) is `unconfirmed`: Telegram had all of it, so it most likely
arrived, and a reader is better served by a rare missing message than by the
same digest twice. The caller records the instant a request is handed over
(`on_wire`, see bot/wire.py) and learns when Telegram refused it after all
(`returned`), so that a restart knows which messages may have gone out.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.tg.limits import Limiter, retry_seconds
from bot.wire import Unconfirmed, watch

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 4  # network failures in a row before the message waits for the next round
MAX_BACKOFF = 60.0
MAX_PLAIN = 4000


@dataclass(frozen=True)
class Sent:
    # sent | unconfirmed (went out, no answer) | gone | failed (refused for good)
    # | later (Telegram unreachable: still to send) | withdrawn (another took it)
    status: str
    chat_id: int  # where it went (a migrated group's new id)
    message_id: int | None = None
    error: str | None = None
    migrated_from: int | None = None


def _nothing() -> None:
    return None


@dataclass
class Sender:
    bot: Bot
    limiter: Limiter = field(default_factory=Limiter)
    backoff: float = 1.0  # first wait after a network error, doubled each time
    retry_after_seen: int = 0  # 429s received

    async def send(
        self, chat_id: int, text: str, *, group: bool = False, thread_id: int | None = None,
        reply_markup: Any = None, preview_url: str | None = None,
        on_wire: Callable[[], None] = _nothing, returned: Callable[[], None] = _nothing,
    ) -> Sent:  # fmt: skip
        """Sends one HTML message of at most 4096 characters, with the link preview of
        `preview_url` (its page's picture, large, above the text) or none. `on_wire()`
        runs the instant before each attempt's first byte (it may raise wire.Withdrawn);
        `returned()` when Telegram refused that attempt or never got it whole."""
        migrated_from = None
        body, cut = text, False
        mode: str | None = ParseMode.HTML
        failures = 0
        while True:
            await self.limiter.acquire(chat_id, group=group)
            with watch(on_wire) as wire:
                try:
                    message = await self.bot.send_message(
                        chat_id, body, parse_mode=mode,
                        message_thread_id=thread_id, reply_markup=reply_markup,
                        link_preview_options=preview(preview_url),
                    )  # fmt: skip
                    return Sent("sent", chat_id, message.message_id, None, migrated_from)
                except Unconfirmed as error:
                    log.warning("sent, no answer from Telegram; not sent again chat_id=%s",
                                chat_id)  # fmt: skip
                    return Sent("unconfirmed", chat_id, None, str(error), migrated_from)
                except TelegramError as error:
                    if wire.withdrawn:
                        return Sent("withdrawn", chat_id, None, None, migrated_from)
                    if wire.handed:
                        returned()  # refused, or never went out whole: not delivered
                    refusal = error
            if isinstance(refusal, RetryAfter):
                self.retry_after_seen += 1
                seconds = retry_seconds(refusal)
                self.limiter.pause(None if self.limiter.busy() else chat_id, seconds)
                log.warning("429 chat_id=%s retry_after=%.0f", chat_id, seconds)
            elif isinstance(refusal, ChatMigrated):
                migrated_from, chat_id = chat_id, int(refusal.new_chat_id)
                log.info("chat migrated chat_id=%s new_chat_id=%s", migrated_from, chat_id)
            elif isinstance(refusal, Forbidden):
                return Sent("gone", chat_id, None, str(refusal), migrated_from)
            elif isinstance(refusal, BadRequest):
                reason = str(refusal).lower()
                if "chat not found" in reason:
                    return Sent("gone", chat_id, None, str(refusal), migrated_from)
                if "can't parse entities" in reason and mode is not None:
                    log.warning("entities refused, sending as plain text chat_id=%s", chat_id)
                    body, mode = _plain(text), None
                    continue
                if "too long" in reason and not cut:
                    # Messages are made to fit (bot/digest/render.py); should one not,
                    # its beginning as plain text beats losing it.
                    log.warning("message too long, sending its beginning chat_id=%s", chat_id)
                    body, mode, cut = _plain(text)[:MAX_PLAIN] + "…", None, True
                    continue
                return Sent("failed", chat_id, None, str(refusal), migrated_from)
            elif isinstance(refusal, NetworkError):
                failures += 1
                if failures >= MAX_ATTEMPTS:
                    log.warning("Telegram unreachable, the message waits chat_id=%s reason=%s",
                                chat_id, refusal)  # fmt: skip
                    return Sent("later", chat_id, None, str(refusal), migrated_from)
                await asyncio.sleep(min(MAX_BACKOFF, self.backoff * 2 ** (failures - 1)))
            else:
                return Sent("failed", chat_id, None, str(refusal), migrated_from)


def preview(url: str | None) -> LinkPreviewOptions:
    """Link preview options: the page's picture drawn large above the text, or none.
    The URL is given explicitly: Telegram enlarges media only for an explicit URL."""
    if not url:
        return LinkPreviewOptions(is_disabled=True)
    return LinkPreviewOptions(url=url, prefer_large_media=True, show_above_text=True)


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))
