"""Queries on articles. Functions take `*, session` and never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import bindparam, func, insert, literal, or_, union_all
from sqlalchemy import select as columns
from sqlmodel import Session, col, select

from storage.db import in_batches, insert_one
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


def duplicate_of(article: Article, *, session: Session) -> Article | None:
    """The stored article that `article` (not stored yet) is, if any.

    The same article is recognised by its URL key (or one it was seen under), by its
    guid within the same source, or by the hash of its text on the same site
    (reached through two feeds). One statement asks all four.
    """
    session.flush()
    params = {"key": article.url_key, "source": article.source_id, "guid": article.guid,
              "hash": article.content_hash}  # fmt: skip
    site = article.url_key.split("/", 1)[0] + "/"
    for rank, article_id, key in sorted(session.connection().execute(_SAME, params)):
        # The same text on the same site (under another address) is the same article;
        # on another site it is a copy, kept and flagged by the story stage.
        if rank < _BY_TEXT or key.startswith(site):
            return session.get(Article, article_id)
    return None


_TABLE = Article.__table__  # type: ignore[attr-defined]
_A, _ALIAS = _TABLE.c, ArticleAlias.__table__.c  # type: ignore[attr-defined]
_BY_TEXT = 3
_SAME = union_all(
    columns(literal(0), _A.id, _A.url_key).where(_A.url_key == bindparam("key")),
    columns(literal(1), _ALIAS.article_id, _ALIAS.url_key).where(
        _ALIAS.url_key == bindparam("key")
    ),
    columns(literal(2), _A.id, _A.url_key).where(
        _A.source_id == bindparam("source"), _A.guid == bindparam("guid")
    ),
    columns(literal(_BY_TEXT), _A.id, _A.url_key).where(_A.content_hash == bindparam("hash")),
)


def add(article: Article, *, session: Session) -> int:
    """Inserts a new article in one statement and sets its id. `article` stays outside
    the session: the ORM's unit of work costs more than the INSERT itself, and a new
    article is written once, complete, then only read."""
    values = {key: getattr(article, key) for key in _COLUMNS}
    article.id = insert_one(session, _INSERT, values)
    return article.id


_COLUMNS = [column.key for column in _TABLE.columns if column.key != "id"]
# Built once: a statement made for each article costs more than SQLite's work.
_INSERT = insert(_TABLE)


def merge(existing: Article, article: Article, *, session: Session) -> None:
    """What a new sighting of a stored article changes: a new address of it is kept as
    an alias (so the next poll knows it without fetching the page), and the fields a
    re-seen article may change take their new values."""
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
    vector: bytes | None = None  # what it means, if embedded, and what embedded it
    vector_model: str | None = None


def latest_texts(limit: int, *, session: Session, chars: int = 4000) -> list[ArticleText]:
    """The most recently fetched articles, newest first, with the first `chars` of their
    text only: what learning from them needs, without thousands of whole articles."""
    query = (
        columns(
            col(Article.title), col(Article.lead), func.substr(col(Article.text), 1, chars),
            col(Article.url), col(Article.tags), col(Article.vector), col(Article.vector_model),
        )
        .order_by(col(Article.fetched_at).desc(), col(Article.id).desc())
        .limit(limit)
    )  # fmt: skip
    return [ArticleText(*row) for row in session.execute(query)]


def without_search_terms(
    limit: int, *, session: Session, chars: int = 4000
) -> list[tuple[int, str, str | None, str]]:
    """Up to `limit` articles whose search terms are still to be worked out (blank):
    id, title, lead and the first `chars` of the text, newest first."""
    query = (
        columns(col(Article.id), col(Article.title), col(Article.lead),
                func.substr(col(Article.text), 1, chars))
        .where(col(Article.search_terms) == "")
        .order_by(col(Article.id).desc())
        .limit(limit)
    )  # fmt: skip
    return [(int(row[0]), row[1], row[2], row[3]) for row in session.execute(query)]


_SET_TERMS = (
    _TABLE.update().where(_A.id == bindparam("article_id")).values(search_terms=bindparam("terms"))
)


def set_search_terms(terms: dict[int, str], *, session: Session) -> None:
    """Writes the search terms of these articles (id -> terms), in one statement."""
    if terms:
        session.connection().execute(
            _SET_TERMS, [{"article_id": i, "terms": t} for i, t in terms.items()]
        )


@dataclass(frozen=True)
class Unembedded:
    id: int
    story_id: int | None
    title: str
    lead: str


def without_vectors(
    since: dt.datetime, model: str, limit: int, *, session: Session
) -> list[Unembedded]:
    """Up to `limit` articles fetched since `since` with no vector from `model`, newest
    first: id, story, headline and lead (or the text's start)."""
    query = (
        columns(col(Article.id), col(Article.story_id), col(Article.title), col(Article.lead),
                func.substr(col(Article.text), 1, 600))
        .where(col(Article.fetched_at) >= since)
        .where(or_(col(Article.vector).is_(None), col(Article.vector_model) != model))
        .order_by(col(Article.id).desc())
        .limit(limit)
    )  # fmt: skip
    return [Unembedded(int(i), s, t, lead or text or "") for i, s, t, lead, text in
            session.execute(query)]  # fmt: skip


def vectors_of(
    ids: Iterable[int], model: str, since: dt.datetime, *, session: Session
) -> dict[int, bytes | None]:
    """Of these articles, those fetched since `since`: id -> its vector from `model`, or
    None while it has none (an id left out is gone from the window, or deleted)."""
    found: dict[int, bytes | None] = {}
    for batch in in_batches(ids):
        query = columns(col(Article.id), col(Article.vector), col(Article.vector_model)).where(
            col(Article.id).in_(batch), col(Article.fetched_at) >= since
        )
        for i, vector, made_by in session.execute(query):
            found[int(i)] = vector if made_by == model else None
    return found


_SET_VECTOR = (
    _TABLE.update()
    .where(_A.id == bindparam("article_id"))
    .values(vector=bindparam("vector"), vector_model=bindparam("model"))
)


def set_vectors(vectors: dict[int, bytes], model: str, *, session: Session) -> None:
    """Writes the vectors of these articles (id -> float16 bytes), made by `model`."""
    if vectors:
        session.connection().execute(_SET_VECTOR, [
            {"article_id": i, "vector": v, "model": model} for i, v in vectors.items()
        ])  # fmt: skip
