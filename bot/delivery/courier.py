"""Courier: sends what the ledger holds, chats in parallel, each chat's messages in order.

Each message is marked `sending` the instant before its last bytes go to
Telegram (bot/wire.py), in a commit of its own, and `sent` once Telegram answers
with its id. So after a crash a message is either still `pending` (it never went
out whole: it is sent) or `sending` (it may have gone, and its answer was lost
with the process). Nothing in the chat is ever edited to find out which. With an
archive chat (TELEGRAM_ARCHIVE_CHAT) the chat is read without being touched
(bot/tg/witness.py): the message is found (sent), or is not there (sent now).
Without one, or when the chat cannot be read, it counts as delivered
(`unconfirmed`) and is never sent again.

Why not send it again then? Its bytes had almost always all gone out: a reader
who gets the same digest twice after every crash stops trusting the bot, while
one who misses a message in a rare crash gets the next. The one window where a
marked message did not arrive is the moment between that commit and its last
bytes (a fraction of a millisecond, longer on a loaded machine).
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from bot.digest.more import sections
from bot.tg import keyboards
from bot.tg.send import Sender, Sent
from bot.tg.witness import Finding, Witness
from bot.wire import Withdrawn
from storage import chats as chat_store
from storage import outgoing as outgoing_store
from storage.db import session
from storage.models import Chat, Outgoing

log = logging.getLogger(__name__)

GROUP_KINDS = ("group", "supergroup", "channel")


@dataclass
class SendReport:
    sent: int = 0
    unconfirmed: int = 0  # went out, no answer: counted as delivered
    gone: int = 0
    failed: int = 0
    later: int = 0  # Telegram unreachable: still pending
    settled: int = 0  # left `sending` by a stopped process: counted as delivered


class Courier:
    """Sends the planned messages. `may_send()` is asked before each message: a
    process that lost the Telegram lease stops at once (see bot/leader.py)."""

    def __init__(
        self, engine: Engine, sender: Sender, *, concurrency: int = 64,
        may_send: Callable[[], bool] = lambda: True, witness: Witness | None = None,
    ) -> None:  # fmt: skip
        self.engine = engine
        self.sender = sender
        self.witness = witness
        self.concurrency = concurrency
        self.may_send = may_send
        self._in_flight: set[int] = set()  # handed over here, answer awaited
        self._chat_locks: dict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._rounds = 0  # send_unsent() calls running now (a /digest beside a tick)

    async def send_unsent(self, *, limit: int = 5000, chat_id: int | None = None) -> SendReport:
        """Sends what is pending (of one chat, with `chat_id`), after settling what
        a stopped process left handed over."""
        report = SendReport()
        self._rounds += 1
        try:
            return await self._send(report, limit=limit, chat_id=chat_id)
        finally:
            self._rounds -= 1

    async def _send(self, report: SendReport, *, limit: int, chat_id: int | None) -> SendReport:
        with session(self.engine) as db:
            stuck = outgoing_store.handed_over(keep=set(self._in_flight), session=db)
        if stuck:
            await self._settle(stuck, report)
        with session(self.engine) as db:
            unsent = outgoing_store.unsent(session=db, limit=limit, chat_id=chat_id)
            chats = {c.id: c for c in (db.get(Chat, i) for i in {o.chat_id for o in unsent}) if c}
        by_chat: dict[int, list[Outgoing]] = defaultdict(list)
        for message in unsent:
            by_chat[message.chat_id].append(message)
        gate = asyncio.Semaphore(self.concurrency)

        async def one_chat(chat: Chat, messages: list[Outgoing]) -> None:
            async with gate, self._chat_locks[chat.id]:
                if len(messages) > 1 or self._rounds > 1:  # another round may have sent some
                    with session(self.engine) as db:
                        messages = outgoing_store.unsent(session=db, chat_id=chat.id)
                for message in messages:
                    if not self.may_send() or not await self._deliver(chat, message, report):
                        break

        await asyncio.gather(
            *(one_chat(chats[chat_id], messages) for chat_id, messages in by_chat.items()
              if chat_id in chats)
        )  # fmt: skip
        return report

    async def _settle(self, stuck: list[Outgoing], report: SendReport) -> None:
        """What a stopped process handed over: read in the chat when an archive chat
        lets us (there: sent; not there: sent now), else counted as delivered."""
        found: dict[str, int] = {"there": 0, "absent": 0, "unknown": 0}
        for message in stuck:
            assert message.id is not None
            finding = Finding("unknown")
            if self.witness is not None:
                finding = await self.witness.look(message.chat_id, message.after_message_id,
                                                  message.text)  # fmt: skip
            found[finding.status] += 1
            with session(self.engine) as db:
                if finding.status == "there" and finding.message_id is not None:
                    outgoing_store.mark_sent(message.id, message.chat_id, [finding.message_id],
                                             session=db)  # fmt: skip
                elif finding.status == "absent":
                    outgoing_store.hand_back(message.id, session=db)  # sent again below
                else:
                    outgoing_store.mark_unconfirmed(
                        message.id, "handed to Telegram, no answer recorded", session=db
                    )
        report.settled = len(stuck)
        log.warning("messages handed to Telegram before a stop: %d found in their chat, %d "
                    "not there (sent now), %d counted as delivered", found["there"],
                    found["absent"], found["unknown"])  # fmt: skip

    async def _deliver(self, chat: Chat, message: Outgoing, report: SendReport) -> bool:
        """Sends one message; False when the chat can take no more now."""
        message_id = message.id
        assert message_id is not None

        def on_wire() -> None:  # the instant before the first byte: nothing may await here
            with session(self.engine) as db:
                if not outgoing_store.hand_over(message_id, session=db):
                    raise Withdrawn(message_id)
            self._in_flight.add(message_id)

        def returned() -> None:
            self._in_flight.discard(message_id)
            with session(self.engine) as db:
                outgoing_store.hand_back(message_id, session=db)

        try:
            result = await self.sender.send(
                chat.id, message.text, group=chat.kind in GROUP_KINDS, thread_id=chat.thread_id,
                preview_url=message.preview_url, on_wire=on_wire, returned=returned,
                reply_markup=keyboards.more(message_id, sections(message.sections),
                                            chat.language),
            )  # fmt: skip
        finally:
            self._in_flight.discard(message_id)
        return self._record(chat, message_id, result, report)

    def _record(self, chat: Chat, message_id: int, result: Sent, report: SendReport) -> bool:
        with session(self.engine) as db:
            if result.migrated_from is not None:
                chat_store.migrate(result.migrated_from, result.chat_id, session=db)
            if result.status == "sent" and result.message_id is not None:
                outgoing_store.mark_sent(message_id, result.chat_id, [result.message_id],
                                         session=db)  # fmt: skip
                report.sent += 1
                return True
            if result.status == "unconfirmed":
                outgoing_store.mark_unconfirmed(message_id, result.error or "", session=db)
                report.unconfirmed += 1
                return True
            if result.status == "gone":
                outgoing_store.chat_gone(result.chat_id, result.error or "gone", session=db)
                log.info("chat gone, marked inactive chat_id=%s reason=%s", chat.id, result.error)
                report.gone += 1
                return False
            if result.status == "later":
                report.later += 1
                return False
            if result.status == "withdrawn":
                log.info("message taken by another process outgoing_id=%s", message_id)
                return False
            outgoing_store.mark_failed(message_id, result.error or "failed", session=db)
            log.warning("message failed chat_id=%s reason=%s", chat.id, result.error)
            report.failed += 1
            return True
