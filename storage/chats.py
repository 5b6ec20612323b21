"""Queries on chats. Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlmodel import Session, SQLModel

from storage.models import Chat


@dataclass(frozen=True)
class ChatDefaults:
    """What a chat starts with the first time the bot hears from it."""

    language: str
    timezone: str
    digest_time: str  # HH:MM
    next_digest_at: dt.datetime | None = None


def get_or_create(
    chat_id: int,
    *,
    kind: str,
    title: str | None,
    defaults: ChatDefaults,
    session: Session,
) -> tuple[Chat, bool]:
    """The chat's row, created with `defaults` if new; a returning chat is active again.

    Returns (chat, created).
    """
    chat = session.get(Chat, chat_id)
    if chat is None:
        chat = Chat(
            id=chat_id,
            kind=kind,
            title=title,
            language=defaults.language,
            timezone=defaults.timezone,
            digest_time=defaults.digest_time,
            next_digest_at=defaults.next_digest_at,
        )
        session.add(chat)
        session.flush()
        return chat, True
    changed = not chat.active or chat.kind != kind or (title and chat.title != title)
    if changed:
        chat.active = True
        chat.kind = kind
        chat.title = title or chat.title
        session.add(chat)
        session.flush()
    return chat, False


# What a chat's people chose; a migration keeps the group's (not the row's identity,
# its kind, or what the bot knows of the messages in that chat).
_CHOSEN = ("language", "timezone", "digest_time", "next_digest_at", "paused", "alerts",
           "quiet_start", "quiet_end", "thread_id", "muted", "empty_line", "news_languages",
           "pictures")  # fmt: skip


def migrate(old_id: int, new_id: int, *, session: Session) -> bool:
    """A group became a supergroup (a new id): the chat keeps its settings, follows,
    history and planned messages under the new id, and the old row is gone, so that
    the two are never both sent a digest. False if there was no old row (moved already).

    If the supergroup got a row of its own first (used before the move was known), the
    two become one: the group's settings, what either followed, and what either was
    sent (a story sent to one is not sent again)."""
    old = session.get(Chat, old_id)
    if old is None:
        return False
    new = session.get(Chat, new_id)
    if new is None:
        data = old.model_dump()
        data.update(id=new_id, kind="supergroup")
        session.add(Chat(**data))
    else:
        for name in _CHOSEN:
            setattr(new, name, getattr(old, name))
        new.active = new.active or old.active
        new.title = new.title or old.title
        session.add(new)
        _drop_overlap(old_id, new_id, session=session)
    session.flush()
    for name in ("subscription", "delivery", "outgoing"):
        table = SQLModel.metadata.tables[name]
        session.exec(update(table).where(table.c.chat_id == old_id).values(chat_id=new_id))
    session.delete(old)
    session.flush()
    return True


def _drop_overlap(old_id: int, new_id: int, *, session: Session) -> None:
    """The old chat's follows and deliveries the new one has too (one of each is kept)."""
    for name, columns in (("subscription", ("topic_id", "keyword")), ("delivery", ("story_id",))):
        table = SQLModel.metadata.tables[name]
        for column in columns:
            theirs = select(table.c[column]).where(
                table.c.chat_id == new_id, table.c[column].is_not(None)
            )
            session.exec(
                delete(table).where(table.c.chat_id == old_id, table.c[column].in_(theirs))
            )


def revive(chat_id: int, *, session: Session) -> bool:
    """A chat that had blocked the bot writes again: it is active again. True if it was not."""
    chat = session.get(Chat, chat_id)
    if chat is None or chat.active:
        return False
    chat.active = True
    session.add(chat)
    return True


def manage(private_id: int, channel_id: int | None, *, session: Session) -> None:
    """A private chat's commands set up this channel from now on (None: its own chat)."""
    chat = session.get(Chat, private_id)
    if chat is not None and chat.manages != channel_id:
        chat.manages = channel_id
        session.add(chat)
