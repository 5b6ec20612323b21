"""Queries on topics. Functions take `*, session` and never commit."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from storage.models import Topic


def sync_catalog(topics: Iterable[Topic], *, session: Session) -> tuple[int, int]:
    """Adds new topics by slug and renames known ones. Returns (added, updated)."""
    known = {t.slug: t for t in session.exec(select(Topic)).all()}
    added = updated = 0
    for topic in topics:
        current = known.get(topic.slug)
        if current is None:
            session.add(topic)
            added += 1
        elif (current.name_ar, current.name_en, current.enabled) != (
            topic.name_ar, topic.name_en, topic.enabled,
        ):  # fmt: skip
            current.name_ar, current.name_en = topic.name_ar, topic.name_en
            current.enabled = topic.enabled
            session.add(current)
            updated += 1
    session.flush()
    return added, updated


def list_enabled(*, session: Session) -> list[Topic]:
    return list(session.exec(select(Topic).where(col(Topic.enabled)).order_by(col(Topic.id))))
