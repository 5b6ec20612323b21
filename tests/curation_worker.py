"""A second curating process on the test's database, for
tests/curation/test_shared_database.py: like a second `newsbot run` polling other
sources, it keeps its own Curator (and so its own story index) for its whole life.
Each JSON line on stdin is an article, stored at once in a unit of work of its own;
each answer on stdout is its id, story and copy_of, as one JSON line.
Usage: python tests/curation_worker.py DB_URL TOPICS_PATH NOW_ISO"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from bot.curation.curate import Curator
from storage.db import make_engine, session
from storage.models import Article


def main(database: str, topics: str, now_iso: str) -> None:
    engine = make_engine(database)
    now = dt.datetime.fromisoformat(now_iso)
    curator = Curator(engine, Path(topics), clock=lambda: now)
    for line in sys.stdin:
        with session(engine) as db:
            draft = Article(**json.loads(line), fetched_at=now)
            article, _ = curator.store(draft, now=now, session=db)
        answer = {"id": article.id, "story": article.story_id, "copy_of": article.copy_of_id}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:4])
