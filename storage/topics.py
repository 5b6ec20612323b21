"""Queries on topics. Functions take `*, session` and never commit."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import insert
from sqlmodel import Session, col, select

from storage.models import ArticleTopic, Topic


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


def ids_by_slug(*, session: Session) -> dict[str, int]:
    return {t.slug: t.id for t in session.exec(select(Topic)) if t.id is not None}


def add_for_article(
    article_id: int, scores: list[tuple[str, float]], *, ids: dict[str, int], session: Session
) -> None:
    """The topics of an article that has none yet (one just stored)."""
    rows = [
        {"article_id": article_id, "topic_id": ids[slug], "score": score}
        for slug, score in scores
        if slug in ids
    ]
    if rows:
        session.connection().execute(_ADD, rows)


# Built once: a statement made for each article costs more than SQLite's work.
_ADD = insert(ArticleTopic.__table__)  # type: ignore[attr-defined]


def of_article(article_id: int, *, session: Session) -> list[tuple[str, float]]:
    query = (
        select(Topic.slug, ArticleTopic.score)
        .join(ArticleTopic, col(ArticleTopic.topic_id) == col(Topic.id))
        .where(ArticleTopic.article_id == article_id)
        .order_by(col(ArticleTopic.score).desc())
    )
    return [(slug, score) for slug, score in session.exec(query)]
