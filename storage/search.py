"""Searching stored articles by their search terms (stems the caller computed).

The one place that knows SQLite's full-text index (FTS5, migration 0005); other
databases fall back to matching every term in the same column. User input never
reaches the query syntax: each term is quoted. Functions take `*, session`.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session, col, select

from storage.models import Article

FTS_TABLES = "article_search"  # the index and its shadow tables share this prefix


def search(terms: list[str], *, session: Session, limit: int = 8) -> list[Article]:
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
