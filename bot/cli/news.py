"""`newsbot poll` and `newsbot extract`: news in, without Telegram."""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.common import Subcommands, UsageError, ready_engine
from bot.config import Settings
from storage import db
from storage import sources as source_store
from storage.models import Article

# News in (httpx, feedparser, the extractor) is imported by the commands that read news,
# when they run: every command builds the parser, and `newsbot curate` reads none.
if TYPE_CHECKING:
    from bot.ingest.extract import Extracted
    from bot.ingest.pipeline import Outcome, Pipeline

TICK_SECONDS = 30


def register(commands: Subcommands) -> None:
    poll = commands.add_parser("poll", help="poll the sources that are due and store new articles")
    poll.add_argument("--once", action="store_true", help="one pass, then exit")
    poll.add_argument("--source", metavar="NAME", help="only this source, due or not")
    poll.set_defaults(command=poll_)
    extract = commands.add_parser("extract", help="print what an article page holds, as JSON")
    extract.add_argument("inputs", nargs="+", metavar="FILE_OR_URL",
                         help=".html or .html.gz files, or http(s) URLs")  # fmt: skip
    extract.add_argument("--jsonl", action="store_true", help="one JSON object per line")
    extract.set_defaults(command=extract_)


def poll_(args: argparse.Namespace, settings: Settings) -> int:
    from bot.curation.abstractive import Summarizer
    from bot.ingest.fetch import make_client
    from bot.ingest.pipeline import Pipeline

    engine = ready_engine(settings)
    source_id = None
    if args.source:
        with db.session(engine) as session:
            source = source_store.by_name(args.source, session=session)
        if source is None:
            raise UsageError(f"no source named {args.source!r} (see: newsbot sources list)")
        source_id = source.id

    async def loop() -> int:
        summarizer = Summarizer(settings)
        async with make_client(settings) as client:
            pipeline = Pipeline(settings, engine, client, summarizer=summarizer)
            try:
                return await ticks(pipeline)
            finally:
                await summarizer.aclose()

    async def ticks(pipeline: Pipeline) -> int:
        while True:
            outcomes = (
                [await pipeline.refresh_source(source_id)]
                if source_id is not None
                else await pipeline.poll_due()
            )
            _report(outcomes, engine)
            if args.once or source_id is not None:
                return 1 if outcomes and all(o.status == "failed" for o in outcomes) else 0
            await asyncio.sleep(TICK_SECONDS)

    return asyncio.run(loop())


def _report(outcomes: list[Outcome], engine: Any) -> None:
    if not outcomes:
        print("nothing due")
    with db.session(engine) as session:
        for outcome in outcomes:
            if outcome.status == "failed":
                print(f"{outcome.source}: FAILED: {outcome.error}")
            elif outcome.status == "unchanged":
                print(f"{outcome.source}: unchanged")
            else:
                skipped = f", {len(outcome.skipped)} skipped" if outcome.skipped else ""
                print(f"{outcome.source}: {len(outcome.new_ids)} new, {outcome.seen} already "
                      f"stored{skipped}")  # fmt: skip
                for article_id in outcome.new_ids:
                    article = session.get(Article, article_id)
                    if article is not None:
                        print(f"  + [{article_id}] {article.title}  <{article.url}>")
                for skip in outcome.skipped:
                    print(f"  - skipped <{skip.url}>: {skip.reason}")
    sys.stdout.flush()


def extract_(args: argparse.Namespace, settings: Settings) -> int:
    from bot.ingest.fetch import FetchError, make_client

    async def run() -> int:
        failed = 0
        async with make_client(settings) as client:
            for item in args.inputs:
                try:
                    found = await _extract_one(item, client, settings)
                except (OSError, FetchError, ValueError) as error:
                    print(f"newsbot: {item}: {error}", file=sys.stderr)
                    failed += 1
                    continue
                record = as_record(item, found)
                indent = None if args.jsonl else 2
                print(json.dumps(record, ensure_ascii=False, indent=indent))
        return 2 if failed else 0  # as every command whose input is wrong

    return asyncio.run(run())


async def _extract_one(item: str, client: Any, settings: Settings) -> Extracted:
    from bot.ingest.decode import decode
    from bot.ingest.extract import extract_article
    from bot.ingest.fetch import fetch

    if item.startswith(("http://", "https://")):
        result = await fetch(client, item, max_bytes=settings.http_max_bytes,
                             allow_private=settings.allow_private_sources)  # fmt: skip
        return extract_article(decode(result.body, result.content_type).text, result.url)
    raw = await asyncio.to_thread(Path(item).read_bytes)
    if item.endswith(".gz"):
        raw = gzip.decompress(raw)
    return extract_article(decode(raw).text)


def as_record(item: str, found: Extracted) -> dict[str, Any]:
    return {
        "input": item,
        "url": found.url,
        "title": found.title,
        "lead": found.lead,
        "text": found.text,
        "published": found.published.isoformat() if found.published else None,
        "language": found.language,
        "author": found.author,
        "image": found.image,
        "tags": list(found.tags),
        "related": [{"title": r.title, "url": r.url} for r in found.related],
    }
