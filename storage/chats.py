"""Queries on chats. Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import update
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


def migrate(old_id: int, new_id: int, *, session: Session) -> None:
    """A group became a supergroup (a new id): the chat keeps its settings, follows,
    history and planned messages under the new id."""

    old = session.get(Chat, old_id)
    if old is None or session.get(Chat, new_id) is not None:
        return
    data = old.model_dump()
    data.update(id=new_id, kind="supergroup")
    session.add(Chat(**data))
    session.flush()
    for name in ("subscription", "delivery", "outgoing"):
        table = SQLModel.metadata.tables[name]
        session.exec(update(table).where(table.c.chat_id == old_id).values(chat_id=new_id))
    session.delete(old)
    session.flush()


def revive(chat_id: int, *, session: Session) -> bool:
    """A chat that had blocked the bot writes again: it is active again. True if it was not."""
    chat = session.get(Chat, chat_id)
    if chat is None or chat.active:
        return False
    chat.active = True
    session.add(chat)
    return True
