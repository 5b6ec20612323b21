"""Several processes polling one database share the sources: each is fetched once."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.loopback.news_site import NewsSite
from storage.db import session
from storage.models import Article
from tests.conftest import child_env
from tests.ingest.sample_site import publish_world


def test_three_pollers_at_once_fetch_every_feed_and_page_once(
    tmp_path: Path, any_engine: Engine, news_site: NewsSite
) -> None:
    feeds = 24
    catalog = tmp_path / "sources.toml"
    catalog.write_text("".join(
        f'[[source]]\nname = "Site {n}"\nurl = "{news_site.url(f"/site{n}.xml")}"\n'
        f'language = "en"\nverified = true\n\n'
        for n in range(feeds)
    ), encoding="utf-8")  # fmt: skip
    for n in range(feeds):
        publish_world(news_site, count=2, prefix=f"site{n}")
    url = any_engine.url.render_as_string(hide_password=False)
    env = child_env({"DATABASE_URL": url, "SOURCES_FILE": str(catalog),
                     "ALLOW_PRIVATE_SOURCES": "true"})  # fmt: skip
    subprocess.run([sys.executable, "-m", "bot", "db", "upgrade"], env=env, cwd=tmp_path,
                   check=True, capture_output=True)  # fmt: skip
    pollers = [
        subprocess.Popen([sys.executable, "-m", "bot", "poll", "--once"], env=env, cwd=tmp_path,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]  # fmt: skip
    results = [p.communicate(timeout=120) for p in pollers]
    assert [p.returncode for p in pollers] == [0, 0, 0], [err[-2000:] for _, err in results]
    fetched = Counter(r.path for r in news_site.requests)
    assert {path: n for path, n in fetched.items() if n != 1} == {}, "each fetched once"
    assert len(fetched) == feeds * 3, "every feed and every page"
    with session(any_engine) as db:
        assert len(db.exec(select(Article)).all()) == feeds * 2
    said = "".join(out for out, _ in results)
    assert said.count(" new, ") == feeds, "each source reported by the poller that took it"
