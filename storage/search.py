"""Searching stored articles by their search terms (stems the caller computed).

The one place that knows SQLite's full-text index (FTS5, migration 0005); other
databases fall back to matching every term in the same column. User input never
reaches the query syntax: each term is quoted. Functions take `*, session`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select as columns
from sqlalchemy import text
from sqlmodel import Session, col, select

from storage.models import Article

FTS_TABLES = "article_search"  # the index and its shadow tables share this prefix


LIMIT = 8  # results shown


def search(terms: list[str], *, session: Session, limit: int = LIMIT) -> list[Article]:
    """Articles holding every term, the best matches (and then the newest) first."""
    terms = [t for t in terms if t][:10]
    if not terms:
        return []
    if session.get_bind().dialect.name == "sqlite":
        query = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
        ids = session.execute(
            text(
                "SELECT rowid FROM article_search WHERE article_search MATCH :q "
                "ORDER BY rank LIMIT :n"
            ),
            {"q": query, "n": limit * 3},
        ).all()
        found = {a.id: a for a in session.exec(
            select(Article).where(col(Article.id).in_([row[0] for row in ids]))
        )}  # fmt: skip
        ordered = [found[row[0]] for row in ids if row[0] in found]
    else:
        statement = select(Article)
        for term in terms:
            statement = statement.where(col(Article.search_terms).contains(f" {term} "))
        ordered = list(
            session.exec(statement.order_by(col(Article.fetched_at).desc()).limit(limit * 3))
        )
    seen: set[int] = set()
    unique = []
    for article in ordered:  # one headline per story
        key = article.story_id or -(article.id or 0)
        if key not in seen:
            seen.add(key)
            unique.append(article)
    return unique[:limit]


def recent_vectors(
    since: dt.datetime, model: str, *, session: Session, limit: int = 5000
) -> list[tuple[int, int | None, bytes]]:
    """(article, story, vector) of the newest articles fetched since `since` that
    `model` embedded: what a search by meaning ranks."""
    query = (
        columns(col(Article.id), col(Article.story_id), col(Article.vector))
        .where(col(Article.fetched_at) >= since, col(Article.vector_model) == model)
        .where(col(Article.vector).is_not(None))
        .order_by(col(Article.id).desc())
        .limit(limit)
    )
    return [(int(i), s, bytes(v)) for i, s, v in session.execute(query)]


def articles(ids: list[int], *, session: Session) -> list[Article]:
    """These articles, in this order."""
    found = {a.id: a for a in session.exec(select(Article).where(col(Article.id).in_(ids)))}
    return [found[i] for i in ids if i in found]
