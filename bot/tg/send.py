"""The one sender: every message the product sends on its own goes through here.

It keeps the limits (limits.py), and handles what Telegram answers:
- 429: waits exactly retry_after (that chat, or everything when the bot was
  sending near the overall limit), then tries again; never drops;
- 403, "chat not found": the chat is gone (the caller marks it inactive);
- a migrated group: sends to the new chat id and tells the caller;
- 400 "can't parse entities": the same text once more as plain text;
- 400 "message is too long": split between paragraphs and sent in parts;
- timeouts and network errors: retried with capped exponential backoff, but
  first the sender checks whether the message arrived after all (an edit to
  the same text answers "not modified" only if it did), so it is not sent twice.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.tg.limits import Limiter, retry_seconds

log = logging.getLogger(__name__)

MAX_TEXT = 4096
MAX_ATTEMPTS = 8
MAX_BACKOFF = 60.0


@dataclass(frozen=True)
class Sent:
    status: str  # sent | gone | failed
    chat_id: int  # where it went (a migrated group's new id)
    message_ids: tuple[int, ...] = ()
    error: str | None = None
    migrated_from: int | None = None


@dataclass
class Sender:
    bot: Bot
    limiter: Limiter = field(default_factory=Limiter)
    backoff: float = 1.0  # first wait after a network error, doubled each time
    retry_after_seen: int = 0  # 429s received
    _last_ids: dict[int, int] = field(default_factory=dict)

    async def send(
        self, chat_id: int, text: str, *, group: bool = False, thread_id: int | None = None,
        reply_markup: Any = None,
    ) -> Sent:  # fmt: skip
        """Sends one HTML message (splitting it if Telegram finds it too long)."""
        migrated_from = None
        parts = [text]
        sent_ids: list[int] = []
        plain = False
        attempt = 0
        while parts:
            part = parts[0]
            await self.limiter.acquire(chat_id, group=group)
            try:
                message = await self.bot.send_message(
                    chat_id, part, parse_mode=None if plain else ParseMode.HTML,
                    message_thread_id=thread_id, reply_markup=reply_markup,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )  # fmt: skip
            except RetryAfter as error:
                self.retry_after_seen += 1
                seconds = retry_seconds(error)
                self.limiter.pause(None if self.limiter.busy() else chat_id, seconds)
                log.warning("429 chat_id=%s retry_after=%.0f", chat_id, seconds)
                continue
            except ChatMigrated as error:
                migrated_from, chat_id = chat_id, int(error.new_chat_id)
                log.info("chat migrated chat_id=%s new_chat_id=%s", migrated_from, chat_id)
                continue
            except Forbidden as error:
                return Sent("gone", chat_id, tuple(sent_ids), str(error), migrated_from)
            except BadRequest as error:
                reason = str(error).lower()
                if "chat not found" in reason:
                    return Sent("gone", chat_id, tuple(sent_ids), str(error), migrated_from)
                if "can't parse entities" in reason and not plain:
                    log.warning("entities refused, sending as plain text chat_id=%s", chat_id)
                    parts[0], plain = _plain(part), True
                    continue
                if "too long" in reason:
                    parts[0:1] = split(part)
                    continue
                return Sent("failed", chat_id, tuple(sent_ids), str(error), migrated_from)
            except (TimedOut, NetworkError) as error:
                arrived = await self._arrived(chat_id, part, plain)
                if arrived is not None:
                    message_id = arrived
                else:
                    attempt += 1
                    if attempt >= MAX_ATTEMPTS:
                        return Sent("failed", chat_id, tuple(sent_ids), str(error), migrated_from)
                    await asyncio.sleep(min(MAX_BACKOFF, self.backoff * 2 ** (attempt - 1)))
                    continue
            else:
                message_id = message.message_id
            sent_ids.append(message_id)
            self._last_ids[chat_id] = message_id
            parts.pop(0)
            attempt = 0
        return Sent("sent", chat_id, tuple(sent_ids), None, migrated_from)

    async def arrived(self, chat_id: int, text: str, after_id: int | None) -> int | None:
        """Whether `text` arrived in the chat after message `after_id` (after a crash)."""
        if after_id is not None:
            self._last_ids.setdefault(chat_id, after_id)
        else:  # nothing known: the first messages of the chat are probed
            self._last_ids.setdefault(chat_id, 0)
        found = await self._arrived(chat_id, text, plain=False)
        return found if found is not None else await self._arrived(chat_id, text, plain=True)

    async def _arrived(self, chat_id: int, text: str, plain: bool) -> int | None:
        """After a timeout: the id of the message if it did arrive, found by editing the
        next few message ids to the same text ("not modified" means it is there)."""
        last = self._last_ids.get(chat_id)
        if last is None:
            return None
        for message_id in range(last + 1, last + 4):
            try:
                await self.bot.edit_message_text(
                    text, chat_id, message_id, parse_mode=None if plain else ParseMode.HTML,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )  # fmt: skip
            except BadRequest as error:
                if "not modified" in str(error).lower():
                    log.info("timed-out message had arrived chat_id=%s message_id=%s",
                             chat_id, message_id)  # fmt: skip
                    return message_id
                continue
            except (TimedOut, NetworkError):
                return None
            # The edit went through: that id held some other text of ours. Nothing
            # lost (it now reads like the message), but it was not this one.
            return None
        return None


def split(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Parts of at most `limit` characters, cut between paragraphs, then lines, then words."""
    if len(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", " "):
        pieces = text.split(separator)
        parts: list[str] = []
        current = ""
        for piece in pieces:
            candidate = f"{current}{separator}{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            elif len(piece) <= limit:
                parts.append(current)
                current = piece
            else:
                break
        else:
            parts.append(current)
            return [p for p in parts if p]
    return [text[i : i + limit] for i in range(0, len(text), limit)]


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))
