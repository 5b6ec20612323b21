"""Queries on articles. Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from storage.models import Article, ArticleAlias

# What a re-seen article may change; the rest (ids, story, first fetch) stays.
_UPDATABLE = ("title", "lead", "text", "author", "image_url", "tags", "related",
              "published_at", "updated_at", "language")  # fmt: skip


def known(
    source_id: int, *, url_keys: Iterable[str], guids: Iterable[str], session: Session
) -> dict[str, Article]:
    """Stored articles matching any of the keys or this source's guids, by key and guid."""
    keys, ids = list(url_keys), [g for g in guids if g]
    found: dict[str, Article] = {}
    if keys:
        for article in session.exec(select(Article).where(col(Article.url_key).in_(keys))):
            found[article.url_key] = article
        aliases = select(ArticleAlias.url_key, Article).join(
            Article, col(Article.id) == col(ArticleAlias.article_id)
        )
        for key, article in session.exec(aliases.where(col(ArticleAlias.url_key).in_(keys))):
            found[key] = article
    if ids:
        query = select(Article).where(Article.source_id == source_id, col(Article.guid).in_(ids))
        for article in session.exec(query):
            found[f"guid:{article.guid}"] = article
    return found


def store(article: Article, *, session: Session) -> tuple[Article, bool]:
    """Adds `article`, or updates the stored one it duplicates. Returns (row, created).

    The same article is recognised by its URL key (or one it was seen under), by its
    guid within the same source, or by the hash of its text on the same site
    (reached through two feeds). A new address of a stored article is kept as an
    alias, so the next poll knows it without fetching the page.
    """
    existing = session.exec(select(Article).where(Article.url_key == article.url_key)).first()
    if existing is None:
        existing = session.exec(
            select(Article)
            .join(ArticleAlias, col(ArticleAlias.article_id) == col(Article.id))
            .where(ArticleAlias.url_key == article.url_key)
        ).first()
    if existing is None and article.guid:
        existing = session.exec(
            select(Article).where(
                Article.source_id == article.source_id, Article.guid == article.guid
            )
        ).first()
    if existing is None and article.content_hash:
        # The same text on the same site (under another address) is the same article;
        # on another site it is a copy, kept and flagged by the story stage.
        site = article.url_key.split("/", 1)[0] + "/"
        existing = next(
            (
                row
                for row in session.exec(
                    select(Article).where(Article.content_hash == article.content_hash)
                )
                if row.url_key.startswith(site)
            ),
            None,
        )
    if existing is None:
        session.add(article)
        session.flush()
        return article, True
    if existing.url_key != article.url_key and session.get(ArticleAlias, article.url_key) is None:
        assert existing.id is not None
        session.add(ArticleAlias(url_key=article.url_key, article_id=existing.id))
        session.flush()
    changed = False
    for name in _UPDATABLE:
        value = getattr(article, name)
        if value not in (None, "", [], ()) and getattr(existing, name) != value:
            setattr(existing, name, value)
            changed = True
    if changed:
        if article.content_hash:
            existing.content_hash = article.content_hash
        session.add(existing)
        session.flush()
    return existing, False


def fetched_since(since: dt.datetime, *, session: Session) -> list[Article]:
    query = select(Article).where(col(Article.fetched_at) >= since).order_by(col(Article.id))
    return list(session.exec(query))


@dataclass(frozen=True)
class ArticleText:
    title: str
    lead: str | None
    text: str  # its beginning only
    url: str
    tags: list[str]


def latest_texts(limit: int, *, session: Session, chars: int = 4000) -> list[ArticleText]:
    """The most recently fetched articles, newest first, with the first `chars` of their
    text only: what learning from them needs, without thousands of whole articles."""
    query = (
        columns(
            col(Article.title), col(Article.lead), func.substr(col(Article.text), 1, chars),
            col(Article.url), col(Article.tags),
        )
        .order_by(col(Article.fetched_at).desc(), col(Article.id).desc())
        .limit(limit)
    )  # fmt: skip
    return [ArticleText(*row) for row in session.execute(query)]
