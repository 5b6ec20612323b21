"""Whether a message arrived, read without touching the chat it went to.

Telegram has no call that reads a chat, but a bot may forward any message of a
chat it is in. Forwarded to a chat of the operator's own (TELEGRAM_ARCHIVE_CHAT,
a private channel where the bot is an admin), the copy shows the message's
text; the chat it came from is not changed in any way, and the copy is deleted
at once. After a crash, the messages that came after the last one the bot knew
of when it handed a message over are read in order: the message is there, or
several ids in a row hold nothing (it is not there), or the look is given up
(no archive, a chat that forbids forwarding, too many messages in between) and
the message is left unconfirmed.
"""

from __future__ import annotations

import html
import logging
import re
from dataclasses import dataclass

from telegram import Bot
from telegram.error import BadRequest, TelegramError

log = logging.getLogger(__name__)

LOOK_AT = 40  # messages read after the last known one, at most
EMPTY_RUN = 5  # ids in a row with no message: the end of the chat
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Finding:
    status: str  # there | absent | unknown
    message_id: int | None = None


def shown_text(text: str) -> str:
    """What a chat shows of an HTML message, to compare with a forwarded copy."""
    return " ".join(html.unescape(_TAG.sub("", text)).split())


class Witness:
    def __init__(self, bot: Bot, archive: int) -> None:
        self.bot = bot
        self.archive = archive

    async def look(self, chat_id: int, after: int | None, text: str) -> Finding:
        """Whether `text` is in the chat after message `after` (None: from its start)."""
        wanted = shown_text(text)
        empty = 0
        for message_id in range((after or 0) + 1, (after or 0) + 1 + LOOK_AT):
            try:
                copy = await self.bot.forward_message(
                    self.archive, chat_id, message_id, disable_notification=True
                )
            except BadRequest as error:
                reason = str(error).lower()
                if "message to forward not found" in reason or reason == "message not found":
                    empty += 1
                    if empty >= EMPTY_RUN:
                        return Finding("absent")
                    continue
                if "can't be forwarded" in reason:  # a service message: not ours
                    empty = 0
                    continue
                log.warning("cannot read the chat to see what arrived chat_id=%s reason=%s",
                            chat_id, error)  # fmt: skip
                return Finding("unknown")
            except TelegramError as error:
                log.warning("cannot read the chat to see what arrived chat_id=%s reason=%s",
                            chat_id, error)  # fmt: skip
                return Finding("unknown")
            empty = 0
            try:
                await self.bot.delete_message(self.archive, copy.message_id)
            except TelegramError:
                log.warning("a copy stays in the archive chat message_id=%s", copy.message_id)
            if " ".join((copy.text or "").split()) == wanted:
                return Finding("there", message_id)
        return Finding("unknown")
