"""Queries on sources. Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func, or_, update
from sqlmodel import Session, col, select

from storage.models import Article, Source, utcnow

# Fields a catalog owns; fetch state (etag, errors, next_check_at...) is never overwritten.
_CATALOG_FIELDS = (
    "url", "homepage", "kind", "language", "enabled", "verified",
    "poll_interval_seconds", "link_selector", "body_selector", "timezone",
)  # fmt: skip


@dataclass(frozen=True)
class SuccessfulCheck:
    source_id: int
    now: dt.datetime
    next_check_at: dt.datetime
    etag: str | None
    last_modified: str | None


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


def claim_due(
    now: dt.datetime, *, holder: str, until: dt.datetime, session: Session, limit: int = 500
) -> list[Source]:
    """Claims the enabled sources whose next check has come (or that were never
    checked), oldest first, for `holder` until `until`: their next check moves to
    `until`, so no other process polls them meanwhile, and a source whose poller
    dies is due again then. One UPDATE claims them all: on PostgreSQL its rows are
    locked with SKIP LOCKED (another poller takes other sources rather than wait);
    on SQLite the write lock lets one claimer through at a time."""
    due = or_(col(Source.next_check_at).is_(None), col(Source.next_check_at) <= now)
    wanted = (
        select(Source.id)
        .where(col(Source.enabled), due)
        .order_by(col(Source.next_check_at).is_(None).desc(), col(Source.next_check_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    session.exec(
        update(Source)
        .where(col(Source.id).in_(wanted.scalar_subquery()), due)
        .values(next_check_at=until, claimed_by=holder)
    )
    claimed = select(Source).where(Source.claimed_by == holder, Source.next_check_at == until)
    return list(session.exec(claimed.order_by(col(Source.id))))


def names(ids: Iterable[int], *, session: Session) -> dict[int, str]:
    """The names of these sources, by id."""
    wanted = set(ids)
    if not wanted:
        return {}
    query = select(Source.id, Source.name).where(col(Source.id).in_(wanted))
    return {source_id: name for source_id, name in session.exec(query) if source_id is not None}


def by_name(name: str, *, session: Session) -> Source | None:
    return session.exec(select(Source).where(Source.name == name)).first()


def by_url(url: str, *, session: Session) -> Source | None:
    return session.exec(select(Source).where(Source.url == url)).first()


def add(found: Source, *, session: Session) -> tuple[Source, bool]:
    """Stores a source found by hand (origin cli or chat). Returns (the stored row, new?).

    A source removed before comes back with its fetch state; one that is already
    followed is returned as it is, with new = False. A name already taken gets the
    host appended, so two sites with the same title can both be followed.
    """
    known = by_url(found.url, session=session)
    if known is not None and known.enabled and known.origin != "removed":
        return known, False
    if known is not None:
        known.enabled, known.origin = True, found.origin
        session.add(known)
        return known, True
    if by_name(found.name, session=session) is not None:
        found.name = f"{found.name} ({urlsplit(found.url).hostname})"
    session.add(found)
    session.flush()
    return found, True


def remove(name_or_url: str, *, session: Session) -> Source | None:
    """Stops polling a source and keeps its articles; None when there is no such source."""
    source = by_name(name_or_url, session=session) or by_url(name_or_url, session=session)
    if source is None:
        return None
    source.enabled, source.origin = False, "removed"
    session.add(source)
    return source


def record_successes(checks: Iterable[SuccessfulCheck], *, session: Session) -> None:
    """Fetches that worked (200 or 304): clears their failure state, in one batch."""
    rows = []
    for check in checks:
        row: dict[str, object] = {
            "id": check.source_id, "last_checked_at": check.now, "last_success_at": check.now,
            "next_check_at": check.next_check_at, "error_count": 0, "last_error": None,
            "failing_since": None,
        }  # fmt: skip
        if check.etag:
            row["etag"] = check.etag
        if check.last_modified:
            row["last_modified"] = check.last_modified
        rows.append(row)
    # Rows with and without validators differ in columns: one bulk UPDATE per shape.
    for shape in {tuple(sorted(r)) for r in rows}:
        session.execute(update(Source), [r for r in rows if tuple(sorted(r)) == shape])


def record_failure(
    source: Source, *, now: dt.datetime, next_check_at: dt.datetime, error: str, session: Session
) -> None:
    """A fetch that failed: one more consecutive failure, and since when it fails."""
    source.last_checked_at = now
    source.next_check_at = next_check_at
    source.error_count += 1
    source.last_error = error[:500]
    source.failing_since = source.failing_since or now
    session.add(source)
    session.flush()
