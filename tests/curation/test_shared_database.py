"""Two curating processes on one database, as two `newsbot run`s polling their share
of the sources: a report one of them stores joins the story the other stored a
moment ago, and a wire copy of it is flagged as one, in either direction."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.curation.curate import Curator
from storage.db import session
from storage.models import Article, Source
from tests.conftest import child_env

NOW = dt.datetime(2026, 11, 30, 7, 30, tzinfo=dt.UTC)
WORKER = Path(__file__).resolve().parents[1] / "curation_worker.py"

# The morning's news, stored before either process started.
HISTORY = [
    ("Central bank holds interest rates steady as inflation eases",
     "The central bank kept its main interest rate unchanged on Monday, saying inflation "
     "had eased for a third month but that wage growth remained strong."),
    ("Wildfire forces thousands to flee homes in southern California",
     "Firefighters battled a fast-moving wildfire overnight as strong winds pushed the "
     "flames towards hillside neighbourhoods and thousands of residents were told to leave."),
    ("Napoli beat Lazio 2-1 to go top of Serie A",
     "A late header from the captain gave Napoli a 2-1 win over Lazio in Naples, lifting "
     "them to the top of the table."),
]  # fmt: skip
BUDGET = ("Parliament passes next year's budget after an all-night session",
          "Lawmakers approved the spending plan by a narrow margin after a debate that ran "
          "through the night, with the opposition voting against.")  # fmt: skip
QUAKE_AP = ("Magnitude 6.8 earthquake strikes off northeast Japan, tsunami warning issued",
            "A powerful earthquake of magnitude 6.8 struck off the coast of northeast Japan "
            "on Monday, shaking buildings in Tokyo; the meteorological agency issued a "
            "tsunami warning for the Pacific coast of Iwate and Miyagi.")  # fmt: skip
QUAKE_REUTERS = ("Strong earthquake shakes northeast Japan; tsunami warning for Iwate, Miyagi",
                 "An earthquake of magnitude 6.8 struck off northeast Japan on Monday, the "
                 "meteorological agency said, issuing a tsunami warning for the coasts of "
                 "Iwate and Miyagi; buildings swayed in Tokyo.")  # fmt: skip
QUAKE_LATER = ("Japan lifts tsunami warning after magnitude 6.8 earthquake off northeast coast",
               "The meteorological agency lifted the tsunami warning for Iwate and Miyagi "
               "hours after the magnitude 6.8 earthquake off northeast Japan; no damage "
               "was reported in Tokyo.")  # fmt: skip


class OtherProcess:
    """tests/curation_worker.py: a second curator with its own story index, alive
    throughout, storing one article a line."""

    def __init__(self, engine: Engine, topics: Path) -> None:
        url = engine.url.render_as_string(hide_password=False)
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), url, str(topics), NOW.isoformat()],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env=child_env({}), cwd=Path(__file__).resolve().parents[2],
        )  # fmt: skip

    def store(self, article: dict[str, Any]) -> dict[str, Any]:
        self.send(article)
        return self.answer()

    def send(self, article: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(article) + "\n")
        self.process.stdin.flush()

    def answer(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        answer = self.process.stdout.readline()
        assert answer, f"the second process died (exit {self.process.wait(timeout=30)})"
        return dict(json.loads(answer))

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        code = self.process.wait(timeout=60)
        self.process.stdout.close()
        assert code == 0


def sources(engine: Engine, *names: str) -> dict[str, int]:
    with session(engine) as db:
        rows = [Source(name=name, url=f"https://{name.lower()}.example/feed.xml") for name in names]
        db.add_all(rows)
        db.flush()
        return {row.name: int(row.id or 0) for row in rows}


def article(source: int, n: int, title: str, text: str, language: str = "en") -> dict[str, Any]:
    url = f"https://news{source}.example/{n}"
    return {"source_id": source, "url": url, "url_key": url.removeprefix("https://"),
            "title": title, "text": text, "language": language}  # fmt: skip


def store_here(
    curator: Curator, engine: Engine, fields: dict[str, Any], when: dt.datetime = NOW
) -> Article:
    with session(engine) as db:
        stored, _ = curator.store(Article(**fields, fetched_at=when), now=when, session=db)
        return stored


@pytest.fixture
def other(any_engine: Engine, settings: Settings) -> Iterator[OtherProcess]:
    process = OtherProcess(any_engine, settings.topics_path)
    yield process
    process.close()


def test_a_report_joins_the_story_another_process_stored_a_moment_ago(
    any_engine: Engine, settings: Settings, other: OtherProcess
) -> None:
    ids = sources(any_engine, "AP", "Reuters", "Kyodo", "Wire", "Archive")
    here = Curator(any_engine, settings.topics_path, clock=lambda: NOW)
    for n, (title, text) in enumerate(HISTORY):
        store_here(here, any_engine, article(ids["Archive"], n, title, text))
    # The other process starts on that history and places an article: its index is built.
    budget = other.store(article(ids["Reuters"], 10, *BUDGET))
    # This one, whose index was built before the budget, places the AP report ...
    quake = store_here(here, any_engine, article(ids["AP"], 11, *QUAKE_AP))
    assert quake.story_id not in (None, budget["story"])
    # ... which the other process's Reuters report, polled a moment later, joins.
    reuters = other.store(article(ids["Reuters"], 12, *QUAKE_REUTERS))
    assert reuters["story"] == quake.story_id and reuters["copy_of"] is None
    # Back here: a site running the Reuters text word for word is a copy of it.
    copy = store_here(here, any_engine, article(ids["Wire"], 13, *QUAKE_REUTERS))
    assert copy.story_id == quake.story_id and copy.copy_of_id == reuters["id"]
    # And the other process's next report joins too, with what this one placed.
    later = other.store(article(ids["Kyodo"], 14, *QUAKE_LATER))
    assert later["story"] == quake.story_id


def test_two_reports_placed_at_once_by_two_processes_make_one_story(
    any_engine: Engine, settings: Settings, other: OtherProcess
) -> None:
    """The other process places its Reuters report while this one's AP report is placed
    and not yet committed: it waits for it, and joins its story."""
    ids = sources(any_engine, "AP", "Reuters", "Archive")
    here = Curator(any_engine, settings.topics_path, clock=lambda: NOW)
    store_here(here, any_engine, article(ids["Archive"], 1, *HISTORY[0]))
    other.store(article(ids["Archive"], 2, *HISTORY[1]))  # its index is built
    with session(any_engine) as db:
        ap, _ = here.store(Article(**article(ids["AP"], 3, *QUAKE_AP), fetched_at=NOW),
                           now=NOW, session=db)  # fmt: skip
        other.send(article(ids["Reuters"], 4, *QUAKE_REUTERS))
        time.sleep(1.5)  # the other process reaches its placing meanwhile; then this commits
    reuters = other.answer()
    assert ap.story_id is not None and reuters["story"] == ap.story_id
