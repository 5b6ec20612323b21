"""New articles written in one statement; a known one recognised, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine

from storage import articles as article_store
from storage import search
from storage.db import IN_BATCH, session
from storage.models import Article, Source

NOW = dt.datetime(2026, 11, 29, 8, 0, tzinfo=dt.UTC)


def _sources(engine: Engine) -> tuple[int, int]:
    with session(engine) as db:
        first = Source(name="Nile Post", url="https://nile.example/feed.xml")
        second = Source(name="Delta Daily", url="https://delta.example/feed.xml")
        db.add_all([first, second])
        db.flush()
        assert first.id is not None and second.id is not None
        return first.id, second.id


def _draft(source_id: int, key: str, **fields: object) -> Article:
    values: dict[str, object] = {"title": "Dam talks resume", "text": "Talks on the dam resumed."}
    values.update(fields)
    return Article(source_id=source_id, url=f"https://{key}", url_key=key, fetched_at=NOW,
                   **values)  # type: ignore[arg-type]  # fmt: skip


def test_a_new_article_is_stored_whole_and_can_be_searched(any_engine: Engine) -> None:
    nile, _ = _sources(any_engine)
    draft = _draft(nile, "nile.example/dam", tags=["Nile"], search_terms=" dam talk resum ",
                   related=[{"title": "Earlier talks", "url": "https://nile.example/t"}],
                   published_at=NOW - dt.timedelta(hours=1))  # fmt: skip
    with session(any_engine) as db:
        article_id = article_store.add(draft, session=db)
    assert draft.id == article_id
    with session(any_engine) as db:
        row = db.get(Article, article_id)
        assert row is not None
        assert (row.title, row.tags, row.related[0]["url"]) == (
            "Dam talks resume", ["Nile"], "https://nile.example/t",
        )  # fmt: skip
        assert row.published_at == NOW - dt.timedelta(hours=1)
        assert [a.id for a in search.search(["dam"], session=db)] == [article_id]


def test_a_stored_article_is_known_by_address_alias_guid_or_its_text_on_the_same_site(
    any_engine: Engine,
) -> None:
    nile, delta = _sources(any_engine)
    with session(any_engine) as db:
        stored = article_store.add(
            _draft(nile, "nile.example/dam", guid="nile-1", content_hash="h1"), session=db
        )
        other = article_store.add(_draft(delta, "delta.example/dam", content_hash="h2"),
                                  session=db)  # fmt: skip

    def known(draft: Article) -> int | None:
        with session(any_engine) as db:
            found = article_store.duplicate_of(draft, session=db)
            if found is not None and draft.url_key != found.url_key:
                article_store.merge(found, draft, session=db)
            return found.id if found else None

    assert known(_draft(delta, "nile.example/dam")) == stored, "its address"
    assert known(_draft(nile, "nile.example/moved", guid="nile-1")) == stored, "its guid"
    assert known(_draft(delta, "nile.example/moved")) == stored, "an address it was seen under"
    assert known(_draft(delta, "delta.example/x", guid="nile-1")) is None, "guids are per source"
    assert known(_draft(nile, "nile.example/amp/dam", content_hash="h1")) == stored, "same site"
    assert known(_draft(delta, "delta.example/copy", content_hash="h1")) is None, "a copy"
    assert known(_draft(delta, "delta.example/dam?page=1", content_hash="h2")) == other


def test_each_new_row_gets_its_own_empty_lists() -> None:
    first, second = _draft(1, "nile.example/a"), _draft(1, "nile.example/b")
    first.tags.append("Nile")
    assert (first.tags, second.tags, second.related) == (["Nile"], [], [])


def test_blank_search_terms_are_found_and_written(any_engine: Engine) -> None:
    nile, _ = _sources(any_engine)
    with session(any_engine) as db:
        done = article_store.add(_draft(nile, "nile.example/1", search_terms=" dam "), session=db)
        blank = article_store.add(_draft(nile, "nile.example/2", lead="Sudan"), session=db)
    with session(any_engine) as db:
        missing = article_store.without_search_terms(10, session=db)
        assert missing == [(blank, "Dam talks resume", "Sudan", "Talks on the dam resumed.")]
        article_store.set_search_terms({blank: " sudan "}, session=db)
    with session(any_engine) as db:
        assert article_store.without_search_terms(10, session=db) == []
        assert [a.id for a in search.search(["sudan"], session=db)] == [blank]
        assert [a.id for a in search.search(["dam"], session=db)] == [done]


def test_vectors_of_an_archive_are_read_a_batch_at_a_time(any_engine: Engine) -> None:
    """More ids than one IN (...) holds: each found, with its vector from this model, None
    for one without or from another model; one out of the window and one unknown left out."""
    nile, _ = _sources(any_engine)
    vectors = {n: bytes([n % 256, n // 256]) * 4 for n in range(1, IN_BATCH * 2 + 2)}
    with session(any_engine) as db:
        ids = {}
        for n, vector in vectors.items():
            model = "bundled" if n % 3 else "endpoint"
            fields: dict[str, object] = {"vector": vector, "vector_model": model} if n % 5 else {}
            ids[n] = article_store.add(_draft(nile, f"nile.example/{n}", **fields), session=db)
        stale = _draft(nile, "nile.example/old", vector=b"\x01" * 8, vector_model="bundled")
        stale.fetched_at = NOW - dt.timedelta(days=4)
        old = article_store.add(stale, session=db)
    with session(any_engine) as db:
        found = article_store.vectors_of([*ids.values(), old, 10**9], "bundled",
                                         NOW - dt.timedelta(days=3), session=db)  # fmt: skip
    assert found == {ids[n]: v if n % 3 and n % 5 else None for n, v in vectors.items()}
