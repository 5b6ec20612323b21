"""`newsbot sources list|add|remove|import-opml|export-opml`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import ipaddress
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

from bot.cli.common import Subcommands, UsageError, group, ready_engine, zone_name
from bot.config import Settings
from bot.curation.embed import configured
from storage import db
from storage import sources as source_store
from storage import stats as stats_store
from storage.models import Source, utcnow

FAILING_AFTER = dt.timedelta(days=1)


def register(commands: Subcommands) -> None:
    sources = group(commands, "sources", "the news sources")
    sources.add_parser("list", help="every source with its health").set_defaults(command=list_)
    add = sources.add_parser("add", help="follow a site: finds its feed, or reads the page")
    add.add_argument("url")
    add.add_argument("--name", help="the name to show (default: the feed's title)")
    add.add_argument("--language", choices=("ar", "en"), help="default: guessed from the text")
    add.add_argument(
        "--timezone", type=zone_name, metavar="ZONE",
        help="the IANA zone of times its pages write with no offset (default: UTC)",
    )  # fmt: skip
    add.set_defaults(command=add_)
    remove = sources.add_parser("remove", help="stop reading a source (its articles stay)")
    remove.add_argument("source", help="its name or URL")
    remove.set_defaults(command=remove_)
    opml_in = sources.add_parser("import-opml", help="add the feeds of an OPML file")
    opml_in.add_argument("file", type=Path)
    opml_in.set_defaults(command=import_opml)
    sources.add_parser("export-opml", help="print every source as OPML").set_defaults(
        command=export_opml
    )


def list_(args: argparse.Namespace, settings: Settings) -> int:
    engine = ready_engine(settings)
    now = utcnow()
    with db.session(engine) as session:
        rows = source_store.list_with_health(session=session, now=now)
        figures = stats_store.gather(now, session=session)
    header = ("name", "lang", "kind", "status", "last success", "fails", "24h", "last error")
    table = [header]
    for row in rows:
        source = row.source
        success = source.last_success_at
        table.append((
            source.name, source.language, source.kind, status(source, now),
            success.strftime("%Y-%m-%d %H:%M UTC") if success else "never",
            str(source.error_count), str(row.articles_24h),
            (source.last_error or "")[:70],
        ))  # fmt: skip
    widths = [max(len(line[i]) for line in table) for i in range(len(header) - 1)]
    for line in table:
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        print("  ".join([*cells, line[-1]]).rstrip())
    print(f"\nmeaning: {configured(settings)}; {figures.articles_meant} of "
          f"{figures.articles_today} articles in 24 h have a vector")  # fmt: skip
    return 0


def status(source: Source, now: dt.datetime) -> str:
    if source.origin == "removed":
        return "removed"
    if not source.enabled:
        return "disabled"
    if source.failing_since is not None and now - source.failing_since >= FAILING_AFTER:
        return "FAILING"
    if source.error_count:
        return f"erroring ({source.error_count})"
    if source.last_checked_at is None:
        return "new" if source.verified or source.origin != "catalog" else "new, unverified"
    return "ok"


def add_(args: argparse.Namespace, settings: Settings) -> int:
    # Here, not at the top: only `sources add` fetches, and every command builds the parser.
    from bot.ingest.discover import DiscoverError, discover_source
    from bot.ingest.fetch import FetchError, make_client

    engine = ready_engine(settings)

    async def find() -> Source:
        async with make_client(settings) as client:
            return await discover_source(client, args.url, settings, origin="cli",
                                         name=args.name, language=args.language)  # fmt: skip

    try:
        source = asyncio.run(find())
    except (FetchError, DiscoverError) as error:
        raise UsageError(f"cannot add {args.url}: {error}") from error
    source.timezone = args.timezone
    with db.session(engine) as session:
        source, new = source_store.add(source, session=session)
        if not new:
            raise UsageError(f"{source.url} is already a source, named {source.name!r}")
        zone = f", times in {source.timezone}" if source.timezone else ""
        print(f"added {source.name!r}: {source.kind} {source.url} ({source.language}{zone})")
    return 0


def remove_(args: argparse.Namespace, settings: Settings) -> int:
    engine = ready_engine(settings)
    with db.session(engine) as session:
        source = source_store.remove(args.source, session=session)
        if source is None:
            raise UsageError(f"no source named {args.source!r} (see: newsbot sources list)")
        print(f"removed {source.name!r}; its articles stay, and `sources add` brings it back")
    return 0


def import_opml(args: argparse.Namespace, settings: Settings) -> int:
    try:
        tree = ET.parse(args.file)
    except (OSError, ET.ParseError) as error:
        raise UsageError(f"cannot read {args.file}: {error}") from error
    engine = ready_engine(settings)
    added = skipped = 0
    with db.session(engine) as session:
        for outline in tree.iter("outline"):
            url = outline.get("xmlUrl")
            if not url:
                continue
            if not url.startswith(("http://", "https://")) or _private_literal(url, settings):
                print(f"skipped {url}: not a public http(s) address")
                skipped += 1
                continue
            if source_store.by_url(url, session=session) is not None:
                skipped += 1
                continue
            name = outline.get("title") or outline.get("text") or urlsplit(url).hostname or url
            if source_store.by_name(name, session=session) is not None:
                name = f"{name} ({urlsplit(url).hostname})"
            language = outline.get("language", "")[:2].lower()
            session.add(Source(
                name=name, url=url, homepage=outline.get("htmlUrl"),
                kind="listing" if outline.get("newsbotKind") == "listing" else "feed",
                language=language if language in ("ar", "en") else settings.default_language,
                origin="cli",
            ))  # fmt: skip
            session.flush()
            added += 1
    print(f"imported {added} sources, skipped {skipped} (already there or refused)")
    return 0


def export_opml(args: argparse.Namespace, settings: Settings) -> int:
    engine = ready_engine(settings)
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = "newsbot sources"
    body = ET.SubElement(root, "body")
    with db.session(engine) as session:
        for row in source_store.list_with_health(session=session):
            source = row.source
            if source.origin == "removed":
                continue
            attributes = {"type": "rss", "text": source.name, "title": source.name,
                          "xmlUrl": source.url, "language": source.language}  # fmt: skip
            if source.homepage:
                attributes["htmlUrl"] = source.homepage
            if source.kind == "listing":
                attributes["newsbotKind"] = "listing"
            ET.SubElement(body, "outline", attributes)
    ET.indent(root)
    print(ET.tostring(root, encoding="unicode", xml_declaration=True))
    return 0


def _private_literal(url: str, settings: Settings) -> bool:
    """Refuses what is private on its face; every fetch checks the resolved address too."""
    if settings.allow_private_sources:
        return False
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(host).is_global
    except ValueError:
        return False
