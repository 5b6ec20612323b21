"""Queries on sources. Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Article, Source, utcnow

# Fields a catalog owns; fetch state (etag, errors, next_check_at...) is never overwritten.
_CATALOG_FIELDS = (
    "url", "homepage", "kind", "language", "enabled", "verified",
    "poll_interval_seconds", "link_selector", "body_selector",
)  # fmt: skip


@dataclass(frozen=True)
class SourceHealth:
    source: Source
    articles_24h: int


def sync_catalog(sources: Iterable[Source], *, session: Session) -> tuple[int, int]:
    """Adds catalog sources that are new and updates those known by name.

    Sources added by hand (origin cli or chat) are left alone. Returns (added, updated).
    """
    known = {s.name: s for s in session.exec(select(Source)).all()}
    added = updated = 0
    for source in sources:
        current = known.get(source.name)
        if current is None:
            source.origin = "catalog"
            session.add(source)
            added += 1
            continue
        if current.origin != "catalog":
            continue
        changed = False
        for name in _CATALOG_FIELDS:
            value = getattr(source, name)
            if getattr(current, name) != value:
                setattr(current, name, value)
                changed = True
        if changed:
            session.add(current)
            updated += 1
    session.flush()
    return added, updated


def list_with_health(*, session: Session, now: dt.datetime | None = None) -> list[SourceHealth]:
    """Every source, by name, with how many articles it gave in the last 24 hours."""
    since = (now or utcnow()) - dt.timedelta(hours=24)
    counts = dict(
        session.exec(
            select(Article.source_id, func.count())
            .where(col(Article.fetched_at) >= since)
            .group_by(col(Article.source_id))
        ).all()
    )
    sources: Sequence[Source] = session.exec(select(Source).order_by(col(Source.name))).all()
    return [SourceHealth(s, counts.get(s.id or 0, 0)) for s in sources]
