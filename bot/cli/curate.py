"""`newsbot curate`: articles as JSON lines in, what curation makes of them out.

Same code as the live pipeline (Curator), on a temporary database: input
articles are stored in order, each summarized, placed in a story and tagged, with
the embedder of the settings (EMBEDDINGS) giving what each means. Each topic is
printed with the evidence it was found by (rule, section, meaning, profile).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from bot import catalog
from bot.cli.common import Subcommands
from bot.config import Settings
from bot.curation.curate import Curator
from bot.curation.embed import Bundled, Embedder, embed_text, make_embedder, pack
from bot.curation.meanings import Vectors
from bot.ingest.dates import parse_date
from bot.ingest.urls import url_key
from storage import db
from storage import topics as topic_store
from storage.models import Article, Source

BATCH = 200
EMBED_BATCH = 32


def register(commands: Subcommands) -> None:
    curate = commands.add_parser(
        "curate", help="summarize, group and tag articles given as JSON lines on stdin"
    )
    curate.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    curate.set_defaults(command=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    return asyncio.run(_run(args, settings))


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    embedder = make_embedder(settings)
    # The model's weights load in a thread while the store is made, as `newsbot run`
    # loads them while the bot starts: reading and unpacking them leaves the GIL free.
    loading = asyncio.create_task(asyncio.to_thread(embedder.load)) \
        if isinstance(embedder, Bundled) else None  # fmt: skip
    await asyncio.sleep(0)  # the thread starts now, not at the first await below
    topics = catalog.load_topics(settings.topics_path)
    with tempfile.TemporaryDirectory(prefix="newsbot-curate-") as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'curate.db'}")
        db.upgrade(engine)
        with db.session(engine) as session:
            topic_store.sync_catalog(topics, session=session)
        now = dt.datetime.now(dt.UTC)
        # One time for every article, so nothing leaves the story window, and topic
        # profiles learned again by count alone (the run lasts seconds, not hours).
        curator = Curator(engine, settings.topics_path, clock=lambda: now,
                          relearn_after=dt.timedelta(0), embedder_name=embedder.name)  # fmt: skip
        await curator.embed_topics(embedder)  # the topics' prototypes, before the first
        ids: dict[int, Any] = {}  # our article id -> the input's id
        sources: dict[str, int] = {}  # source name -> its id in the temporary store
        bad = 0
        # The store is temporary: one unit of work per BATCH lines, as a poll stores
        # a feed's new articles together; the embedder meets them EMBED_BATCH at a time.
        # Each batch is embedded (in a thread) while the one before it is curated: the
        # model's matrix products leave the GIL, so on two cores the two overlap.
        with db.session(engine) as session:
            waiting: list[dict[str, Any]] = []
            embedding: tuple[list[dict[str, Any]], asyncio.Task[Vectors | None]] | None = None

            async def next_batch(items: list[dict[str, Any]]) -> None:
                nonlocal embedding
                started = (items, asyncio.create_task(_embed(items, embedder)))
                await asyncio.sleep(0)  # it is in its thread before the curating below
                if embedding is not None:
                    await _curate_all(*embedding, curator, now, ids, sources, session, args)
                embedding = started

            for number, line in enumerate(sys.stdin, 1):
                if not line.strip():
                    continue
                try:
                    waiting.append(_item(json.loads(line)))
                except (ValueError, TypeError) as error:
                    print(f"newsbot: line {number}: {error}", file=sys.stderr)
                    bad += 1
                if len(waiting) == EMBED_BATCH:
                    await next_batch(waiting)
                    waiting = []
                if number % BATCH == 0:
                    session.commit()
            await next_batch(waiting)
            await next_batch([])  # the last batch is curated
        engine.dispose()
    if loading is not None:
        await loading
    await embedder.aclose()
    return 1 if bad else 0


async def _embed(items: list[dict[str, Any]], embedder: Embedder) -> Vectors | None:
    if not items or embedder.name == "off":
        return None
    return await embedder.embed(
        [embed_text(i["title"], i.get("lead") or i["text"][:600]) for i in items]
    )


async def _curate_all(
    items: list[dict[str, Any]], embedding: asyncio.Task[Vectors | None], curator: Curator,
    now: dt.datetime, ids: dict[int, Any], sources: dict[str, int], session: Any,
    args: argparse.Namespace,
) -> None:  # fmt: skip
    """Curates and prints each item, in order, once their vectors are made."""
    vectors = await embedding
    for n, item in enumerate(items):
        vector = None if vectors is None else pack(vectors[n])
        result = _curate(item, curator, now, ids, sources, session, vector, curator.embedder_name)
        print(json.dumps(result, ensure_ascii=False, indent=None if args.jsonl else 2))


def _item(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    for key in ("id", "title", "text"):
        if key not in data:
            raise ValueError(f"missing {key!r}")
    if not isinstance(data["title"], str) or not isinstance(data["text"], str):
        raise ValueError("title and text must be strings")
    return data


def _curate(
    item: dict[str, Any], curator: Curator, now: dt.datetime, ids: dict[int, Any],
    sources: dict[str, int], session: Any, vector: bytes | None, model: str,
) -> dict[str, Any]:  # fmt: skip
    name = str(item.get("source") or "stdin")
    if name not in sources:
        source = Source(name=name, url=f"urn:newsbot:curate:{name}", origin="cli")
        session.add(source)
        session.flush()
        assert source.id is not None
        sources[name] = source.id
    source_id = sources[name]
    # Without a URL each source gets a host of its own: one site's copy of another's
    # text is a copy, not the same article.
    host = f"source-{source_id}.curate.invalid"
    url = str(item.get("url") or f"https://{host}/{item['id']}")
    published = parse_date(str(item["published"])) if item.get("published") else None
    article, assigned = curator.store(
        Article(
            source_id=source_id, url=url, url_key=url_key(url), title=item["title"],
            lead=item.get("lead"), text=item["text"], language=item.get("language"),
            published_at=published.astimezone(dt.UTC) if published else None, fetched_at=now,
            vector=vector, vector_model=model if vector is not None else None,
        ),
        now=now, session=session,
    )  # fmt: skip
    assert article.id is not None
    if assigned is None:  # the same article again (same URL, or same text on the same site)
        stored = topic_store.of_article(article.id, session=session)
        topics = [{"slug": s, "score": round(v, 4), "evidence": None} for s, v in stored]
    else:
        ids[article.id] = item["id"]
        topics = [{"slug": t.slug, "score": round(t.score, 4), "evidence": t.evidence}
                  for t in assigned]  # fmt: skip
    return {
        "id": item["id"],
        "language": article.language,
        "summary": article.summary,
        "story": article.story_id,
        "copy_of": ids.get(article.copy_of_id) if article.copy_of_id else None,
        "topics": topics,
    }
