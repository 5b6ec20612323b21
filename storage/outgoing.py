"""The delivery ledger: planned messages and the stories they carry.

A run (a chat's digest, an alert) is planned in one unit of work: its messages
in order, and one Delivery row per story, unique per (chat, story), so a story
reaches a chat at most once whatever happens afterwards. Sending then moves
each message pending -> sending -> sent (or gone, failed), each step committed
by the caller. Functions take `*, session` and never commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert, update
from sqlmodel import Session, col, select

from storage.db import insert_one
from storage.models import Chat, Delivery, Outgoing, utcnow


def plan(
    chat_id: int,
    *,
    run: str,
    kind: str,
    messages: Sequence[tuple[str, Sequence[int]]],
    session: Session,
) -> list[Outgoing]:
    """Plans `messages` (text, story ids in it) for a chat; raises IntegrityError if a
    story was already delivered to it (the caller's unit of work then rolls back)."""
    planned = []
    for position, (text, story_ids) in enumerate(messages):
        outgoing = Outgoing(chat_id=chat_id, kind=kind, run=run, position=position, text=text)
        session.add(outgoing)
        session.flush()
        for story_id in story_ids:
            session.add(
                Delivery(chat_id=chat_id, story_id=story_id, kind=kind, outgoing_id=outgoing.id)
            )
        planned.append(outgoing)
    session.flush()
    return planned


@dataclass(frozen=True)
class Plan:
    chat_id: int
    run: str
    kind: str
    messages: list[tuple[str, list[int]]]  # text, story ids it carries


def plan_many(plans: Sequence[Plan], *, session: Session) -> None:
    """Plans many chats' runs at once (one statement a message, one for all deliveries);
    raises IntegrityError if any story was already delivered to its chat."""
    now = utcnow()
    deliveries = []
    for plan in plans:
        for position, (text, story_ids) in enumerate(plan.messages):
            outgoing_id = insert_one(session, insert(Outgoing), {
                "chat_id": plan.chat_id, "kind": plan.kind, "run": plan.run,
                "position": position, "text": text, "status": "pending", "attempts": 0,
                "message_ids": [], "created_at": now,
            })  # fmt: skip
            deliveries += [
                {"chat_id": plan.chat_id, "story_id": story_id, "kind": plan.kind,
                 "outgoing_id": outgoing_id, "sent_at": now}
                for story_id in story_ids
            ]  # fmt: skip
    if deliveries:
        session.execute(insert(Delivery), deliveries)


def record_sent(
    chat_id: int, *, run: str, kind: str, text: str, story_ids: Sequence[int],
    message_ids: Sequence[int], session: Session,
) -> None:  # fmt: skip
    """A message already sent as a direct answer, in the ledger with its stories."""
    plan_many([Plan(chat_id, run, kind, [(text, list(story_ids))])], session=session)
    last = session.exec(
        select(Outgoing).where(Outgoing.chat_id == chat_id, Outgoing.run == run)
    ).first()
    if last is not None and last.id is not None:
        mark_sent(last.id, chat_id, message_ids, session=session)


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


def unsent(*, session: Session, limit: int = 1000) -> list[Outgoing]:
    """Messages not finished yet (pending, or sending when a crash cut in), oldest first."""
    query = (
        select(Outgoing)
        .where(col(Outgoing.status).in_(("pending", "sending")))
        .order_by(col(Outgoing.id))
        .limit(limit)
    )
    return list(session.exec(query))


def mark_sending(outgoing_id: int, *, session: Session) -> None:
    session.exec(
        update(Outgoing)
        .where(col(Outgoing.id) == outgoing_id)
        .values(status="sending", attempts=Outgoing.attempts + 1)
    )


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
        session.exec(
            update(Chat).where(col(Chat.id) == chat_id).values(last_message_id=max(message_ids))
        )


def mark_failed(outgoing_id: int, error: str, *, session: Session) -> None:
    session.exec(
        update(Outgoing).where(col(Outgoing.id) == outgoing_id).values(
            status="failed", error=error[:500]
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
