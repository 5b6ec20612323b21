"""The delivery ledger: planned messages and the stories they carry.

A run (a chat's digest, an alert, an answer to /digest) is planned in one unit
of work: its messages in order, and one Delivery row per story, unique per
(chat, story), so a story reaches a chat at most once whatever happens
afterwards; and a run is planned once per chat ((chat, run, position) is unique).
Sending then moves each message pending -> sending (handed to Telegram) -> sent,
or unconfirmed, gone, failed; each step committed by the caller. Functions take
`*, session` and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.db import insert_one
from storage.models import Chat, Delivery, Outgoing, utcnow


@dataclass(frozen=True)
class Part:
    """One message of a run: its text, the stories it carries, the page whose preview
    goes above it (None: no preview), and its sections' "more" (bot/digest/more.py)."""

    text: str
    story_ids: list[int] = field(default_factory=list)
    preview_url: str | None = None
    sections: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Plan:
    chat_id: int
    run: str
    kind: str
    messages: list[Part]


def plan_many(plans: Sequence[Plan], *, session: Session) -> None:
    """Plans many chats' runs at once (one statement a message, one for all deliveries);
    raises IntegrityError if any story was already delivered to its chat."""
    now = utcnow()
    deliveries = []
    for plan in plans:
        for position, part in enumerate(plan.messages):
            outgoing_id = insert_one(session, insert(Outgoing), {
                "chat_id": plan.chat_id, "kind": plan.kind, "run": plan.run,
                "position": position, "text": part.text, "status": "pending", "attempts": 0,
                "message_ids": [], "created_at": now, "preview_url": part.preview_url,
                "sections": part.sections,
            })  # fmt: skip
            deliveries += [
                {"chat_id": plan.chat_id, "story_id": story_id, "kind": plan.kind,
                 "outgoing_id": outgoing_id, "sent_at": now}
                for story_id in part.story_ids
            ]  # fmt: skip
    if deliveries:
        session.execute(insert(Delivery), deliveries)


def delivered_among(
    chat_ids: Sequence[int], story_ids: Sequence[int], *, session: Session
) -> dict[int, set[int]]:
    """Which of `story_ids` each of `chat_ids` already got."""
    found: dict[int, set[int]] = {}
    if not chat_ids or not story_ids:
        return found
    query = select(Delivery.chat_id, Delivery.story_id).where(
        col(Delivery.chat_id).in_(list(chat_ids)), col(Delivery.story_id).in_(list(story_ids))
    )
    for chat_id, story_id in session.exec(query):
        found.setdefault(chat_id, set()).add(story_id)
    return found


def delivered_story_ids(chat_id: int, *, session: Session) -> set[int]:
    query = select(Delivery.story_id).where(Delivery.chat_id == chat_id)
    return set(session.exec(query))


def unsent(*, session: Session, limit: int = 1000, chat_id: int | None = None) -> list[Outgoing]:
    """Messages still to send (pending), oldest first; of one chat if `chat_id`."""
    query = select(Outgoing).where(Outgoing.status == "pending")
    if chat_id is not None:
        query = query.where(Outgoing.chat_id == chat_id)
    return list(session.exec(query.order_by(col(Outgoing.id)).limit(limit)))


def hand_over(outgoing_id: int, *, session: Session) -> bool:
    """pending -> sending, the instant before its bytes go to Telegram; False when it is
    not pending any more (another process has it, or it went)."""
    newest = select(Chat.last_message_id).where(Chat.id == Outgoing.chat_id)
    done = session.exec(
        update(Outgoing)
        .where(col(Outgoing.id) == outgoing_id, col(Outgoing.status) == "pending")
        .values(status="sending", attempts=Outgoing.attempts + 1,
                after_message_id=newest.scalar_subquery())
    )  # fmt: skip
    return bool(done.rowcount)


def hand_back(outgoing_id: int, *, session: Session) -> None:
    """sending -> pending: Telegram refused that attempt, or never got it whole."""
    session.exec(
        update(Outgoing)
        .where(col(Outgoing.id) == outgoing_id, col(Outgoing.status) == "sending")
        .values(status="pending")
    )


def handed_over(*, keep: set[int], session: Session) -> list[Outgoing]:
    """Messages left `sending` by a process that stopped (or by this one before it
    restarted), except those in `keep` (in flight here): their bytes may have gone to
    Telegram, and no answer was recorded."""
    query = select(Outgoing).where(Outgoing.status == "sending").order_by(col(Outgoing.id))
    return [o for o in session.exec(query) if o.id not in keep]


def mark_sent(
    outgoing_id: int, chat_id: int, message_ids: Sequence[int], *, when: dt.datetime | None = None,
    session: Session,
) -> None:  # fmt: skip
    """The message arrived: its Telegram ids are kept, the chat's last id advanced."""
    session.exec(
        update(Outgoing).where(col(Outgoing.id) == outgoing_id).values(
            status="sent", message_ids=list(message_ids), sent_at=when or utcnow(), error=None
        )
    )  # fmt: skip
    if message_ids:
        session.exec(
            update(Delivery).where(col(Delivery.outgoing_id) == outgoing_id).values(
                message_id=message_ids[0]
            )
        )  # fmt: skip
        saw(chat_id, max(message_ids), session=session)


def mark_failed(outgoing_id: int, error: str, *, session: Session) -> None:
    session.exec(
        update(Outgoing).where(col(Outgoing.id) == outgoing_id).values(
            status="failed", error=error[:500]
        )
    )  # fmt: skip


def mark_unconfirmed(outgoing_id: int, error: str, *, session: Session) -> None:
    """Its bytes went to Telegram and no answer came: delivered, as far as we can know."""
    session.exec(
        update(Outgoing).where(col(Outgoing.id) == outgoing_id).values(
            status="unconfirmed", sent_at=utcnow(), error=error[:500]
        )
    )  # fmt: skip


def chat_gone(chat_id: int, error: str, *, session: Session) -> None:
    """The chat blocked or removed the bot: inactive, and nothing more is sent there."""
    session.exec(update(Chat).where(col(Chat.id) == chat_id).values(active=False))
    session.exec(
        update(Outgoing)
        .where(col(Outgoing.chat_id) == chat_id, col(Outgoing.status).in_(("pending", "sending")))
        .values(status="gone", error=error[:500])
    )


def saw(chat_id: int, message_id: int, *, session: Session) -> None:
    """A message id of the chat (ours or a user's): the chat's newest known, if newer."""
    newest = col(Chat.last_message_id)
    session.exec(
        update(Chat)
        .where(col(Chat.id) == chat_id, or_(newest.is_(None), newest < message_id))
        .values(last_message_id=message_id)
    )


def digest_message(
    outgoing_id: int, chat_id: int, message_id: int, *, session: Session
) -> Outgoing | None:
    """The digest message `outgoing_id` when the bot sent it to `chat_id` and recorded it
    as Telegram's message `message_id`; None for anything else (nothing is edited then)."""
    row = session.get(Outgoing, outgoing_id)
    if row is None or row.chat_id != chat_id or row.kind not in ("digest", "news"):
        return None
    if row.status != "sent" or message_id not in row.message_ids:
        return None
    return row


def show_more(
    outgoing_id: int, sections: list[dict[str, Any]], story_ids: Sequence[int], *,
    session: Session,
) -> None:  # fmt: skip
    """A digest message now shows more of a section: its sections as they are now, and
    the stories it added recorded as delivered (those the chat had not got)."""
    row = session.get(Outgoing, outgoing_id)
    if row is None:
        return
    row.sections = sections
    session.add(row)
    had = delivered_among([row.chat_id], list(story_ids), session=session).get(row.chat_id, set())
    message_id = row.message_ids[0] if row.message_ids else None
    for story_id in dict.fromkeys(story_ids):
        if story_id in had:
            continue
        try:
            with session.begin_nested():  # a digest planned meanwhile may have taken it
                session.execute(insert(Delivery), [{
                    "chat_id": row.chat_id, "story_id": story_id, "kind": "more",
                    "message_id": message_id, "outgoing_id": outgoing_id, "sent_at": utcnow(),
                }])  # fmt: skip
        except IntegrityError:
            continue
