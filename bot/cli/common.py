"""What the subcommands share: their type, their error, a ready database."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError

from bot import catalog
from bot.config import Settings, is_zone
from storage import db

Command = Callable[[argparse.Namespace, Settings], int]
Subcommands = Any  # argparse's private _SubParsersAction


class UsageError(Exception):
    """Stops a command with one line on stderr and exit status 2."""


def group(commands: Subcommands, name: str, help: str) -> Subcommands:
    """A command that only holds subcommands (`newsbot sources list`)."""
    return commands.add_parser(name, help=help).add_subparsers(
        title="commands", metavar="COMMAND", required=True
    )


def ready_engine(settings: Settings) -> Engine:
    """The engine, with the schema upgraded and the catalogs synced (checked first)."""
    loaded = catalog.load(sources_path=settings.sources_path, topics_path=settings.topics_path)
    engine = db.make_engine(settings.database_url)
    db.upgrade(engine)
    try:
        with db.explaining(settings.database_url), db.session(engine) as session:
            catalog.sync(loaded, session=session)
    except IntegrityError:  # another newsbot starting on this database synced them first
        with db.explaining(settings.database_url), db.session(engine) as session:
            catalog.sync(loaded, session=session)
    return engine


def safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def zone_name(value: str) -> str:
    """An argparse type: an IANA time zone name, or the command stops with one clear line."""
    if not is_zone(value):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an IANA time zone name such as Asia/Riyadh"
        )
    return value
