"""`newsbot poll`, `extract` and `sources ...` as a user runs them, against the loopback site."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from email.utils import format_datetime
from pathlib import Path

import pytest

from bot.loopback.news_site import NewsSite
from storage import db, subscriptions
from storage.models import Chat
from tests.conftest import run_cli
from tests.ingest.sample_site import article_page, publish_world, rss, words

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Settings for a child newsbot: our own empty catalog, loopback allowed."""
    catalog = tmp_path / "sources.toml"
    catalog.write_text("")
    return {"SOURCES_FILE": str(catalog), "ALLOW_PRIVATE_SOURCES": "true",
            "HTTP_TIMEOUT_SECONDS": "2"}  # fmt: skip


def test_poll_once_prints_what_it_stored(tmp_path: Path, news_site: NewsSite, env: dict) -> None:
    publish_world(news_site, count=2)
    news_site.rule("/down.xml", status=500)
    (tmp_path / "sources.toml").write_text(
        f'[[source]]\nname = "World"\nurl = "{news_site.url("/world.xml")}"\nlanguage = "en"\n'
        f'[[source]]\nname = "Down"\nurl = "{news_site.url("/down.xml")}"\n'
    )
    first = run_cli("poll", "--once", cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "World: 2 new, 0 already stored" in first.stdout
    assert "  + [1] World story number 1  <" in first.stdout
    assert f"Down: FAILED: HTTP 500 from {news_site.url('/down.xml')}" in first.stdout
    assert "source failed source_id=2 name=Down reason=HTTP 500" in first.stderr
    again = run_cli("poll", "--source", "World", cwd=tmp_path, env=env)
    assert again.stdout.strip() == "World: unchanged"
    listed = run_cli("sources", "list", cwd=tmp_path, env=env).stdout.splitlines()
    world = next(line for line in listed if line.startswith("World"))
    down = next(line for line in listed if line.startswith("Down"))
    assert " ok " in world and world.split()[-1] == "2"
    assert "erroring (1)" in down and "HTTP 500" in down
    missing = run_cli("poll", "--source", "Nope", cwd=tmp_path, env=env)
    assert missing.returncode == 2
    assert missing.stderr.strip() == "newsbot: no source named 'Nope' (see: newsbot sources list)"


def test_poll_says_what_it_skipped_as_older_than_kept_and_why(
    tmp_path: Path, news_site: NewsSite, env: dict
) -> None:
    """A feed of 5: 3 of today, one whose page dates it long ago (the feed says today),
    one the feed itself dates long ago. Nothing is left out without a word."""
    now = dt.datetime.now(dt.UTC)
    old = now - dt.timedelta(days=200)
    pages = [("fresh-1", now, now), ("fresh-2", now, now), ("fresh-3", now, now),
             ("old-page", now, old), ("old-feed", old, old)]  # fmt: skip
    items = []
    for name, feed_date, page_date in pages:
        url = news_site.put(f"/k/{name}.html", article_page(
            f"The story called {name} in the capital", words(name),
            published=page_date.isoformat()))  # fmt: skip
        items.append(f"<item><guid>{name}</guid><link>{url}</link><title>{name}</title>"
                     f"<pubDate>{format_datetime(feed_date)}</pubDate></item>")  # fmt: skip
    news_site.put("/k.xml", '<?xml version="1.0"?><rss version="2.0"><channel><title>K'
                  f"</title>{''.join(items)}</channel></rss>")  # fmt: skip
    (tmp_path / "sources.toml").write_text(
        f'[[source]]\nname = "Kept"\nurl = "{news_site.url("/k.xml")}"\nlanguage = "en"\n'
    )
    result = run_cli("poll", "--once", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Kept: 3 new, 0 already stored, 2 skipped"
    assert sum(line.startswith("  + [") for line in lines) == 3
    day, long_ago = f"{now:%Y-%m-%d}", f"{old:%Y-%m-%d}"
    page_reason = (f"its page dates it {long_ago}, before the 90 days kept (KEEP_NEWS_DAYS); "
                   f"the feed says {day}")  # fmt: skip
    feed_reason = f"the feed dates it {long_ago}, before the 90 days kept (KEEP_NEWS_DAYS)"
    assert lines[4:] == [
        f"  - skipped <{news_site.url('/k/old-feed.html')}>: {feed_reason}",
        f"  - skipped <{news_site.url('/k/old-page.html')}>: {page_reason}",
    ]
    for name, reason in (("old-feed", feed_reason), ("old-page", page_reason)):
        assert (
            f"INFO bot.ingest.old_news: article skipped source_id=1 name=Kept "
            f"url={news_site.url(f'/k/{name}.html')} reason={reason}"
        ) in result.stderr
    assert "source polled source_id=1 name=Kept new=3 seen=0 skipped=2" in result.stderr
    assert news_site.requests_to("/k/old-feed.html") == [], "dated old by the feed: not read"


def test_extract_files_and_urls(tmp_path: Path, news_site: NewsSite, env: dict) -> None:
    zipped = tmp_path / "page.html.gz"
    zipped.write_bytes(gzip.compress((PAGES / "ar-no-metadata.html").read_bytes()))
    url = news_site.put("/a.html", article_page("A page over HTTP", words("http")))
    result = run_cli("extract", str(PAGES / "en-json-ld.html"), str(zipped), url,
                     str(tmp_path / "missing.html"), "--jsonl", cwd=tmp_path, env=env)  # fmt: skip
    assert result.returncode == 2, "one input failed"
    assert "missing.html" in result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["input"] for r in records] == [str(PAGES / "en-json-ld.html"), str(zipped), url]
    english, arabic, remote = records
    assert set(english) == {"input", "url", "title", "lead", "text", "published", "language",
                            "author", "image", "tags", "related"}  # fmt: skip
    assert english["published"] == "2026-11-29T06:45:00+03:00"
    assert english["related"][0] == {
        "title": "Drought hits farms along the lower river",
        "url": "https://daily.test/world/2026/11/28/drought-hits-farms",
    }
    assert arabic["language"] == "ar"
    assert arabic["title"] == "افتتاح معرض الكتاب الدولي بمشاركة 40 دولة"
    assert remote["title"] == "A page over HTTP"


def test_sources_add_finds_the_feed_or_reads_the_page(
    tmp_path: Path, news_site: NewsSite, env: dict
) -> None:
    publish_world(news_site)
    announce = '<link rel="alternate" type="application/rss+xml" href="/world.xml">'
    news_site.put("/", f"<html><head><title>Test News</title>{announce}</head><body></body></html>")
    added = run_cli("sources", "add", news_site.url("/"), cwd=tmp_path, env=env)
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == (f"added 'Test feed': feed {news_site.url('/world.xml')} (en)")
    again = run_cli("sources", "add", news_site.url("/world.xml"), cwd=tmp_path, env=env)
    assert again.returncode == 2
    assert "already a source, named 'Test feed'" in again.stderr

    news_site.put("/ar/", "<html><head><title>أخبار</title></head><body><main>" + "".join(
        f'<h2><a href="/ar/2026/11/29/{n}">خبر عاجل رقم {n} من العاصمة اليوم</a></h2>'
        for n in range(5)) + "</main></body></html>")  # fmt: skip
    unzoned = run_cli("sources", "add", news_site.url("/ar/"), "--timezone", "Mars/Base",
                      cwd=tmp_path, env=env)  # fmt: skip
    assert unzoned.returncode == 2
    assert "'Mars/Base' is not an IANA time zone name such as Asia/Riyadh" in unzoned.stderr
    listing = run_cli("sources", "add", news_site.url("/ar/"), "--name", "Arabic page",
                      "--timezone", "Africa/Cairo", cwd=tmp_path, env=env)  # fmt: skip
    assert listing.stdout.strip() == (
        f"added 'Arabic page': listing {news_site.url('/ar/')} (ar, times in Africa/Cairo)"
    )

    news_site.put("/nothing", "<html><body><p>Just a page.</p></body></html>")
    nothing = run_cli("sources", "add", news_site.url("/nothing"), cwd=tmp_path, env=env)
    assert nothing.returncode == 2
    assert "no feed and no list of article links" in nothing.stderr


def test_sources_add_refuses_private_addresses_by_default(tmp_path: Path, env: dict) -> None:
    strict = {**env, "ALLOW_PRIVATE_SOURCES": "false"}
    refused = run_cli("sources", "add", "http://127.0.0.1:9/feed", cwd=tmp_path, env=strict)
    assert refused.returncode == 2
    assert "private address" in refused.stderr
    assert "ALLOW_PRIVATE_SOURCES=true" in refused.stderr


def test_remove_opml_export_and_import(tmp_path: Path, news_site: NewsSite, env: dict) -> None:
    news_site.put("/a.xml", rss([]))
    (tmp_path / "sources.toml").write_text(
        '[[source]]\nname = "Alpha"\nurl = "https://alpha.test/rss"\nlanguage = "en"\n'
        '[[source]]\nname = "بيتا"\nurl = "https://beta.test/ar"\nkind = "listing"\n'
    )
    exported = run_cli("sources", "export-opml", cwd=tmp_path, env=env)
    assert exported.returncode == 0, exported.stderr
    assert 'xmlUrl="https://alpha.test/rss"' in exported.stdout
    assert 'newsbotKind="listing"' in exported.stdout
    removed = run_cli("sources", "remove", "Alpha", cwd=tmp_path, env=env)
    assert removed.returncode == 0
    listed = run_cli("sources", "list", cwd=tmp_path, env=env).stdout
    assert next(line for line in listed.splitlines() if line.startswith("Alpha")).split()[3] == (
        "removed"
    )
    other = tmp_path / "other"
    other.mkdir()
    (other / "in.opml").write_text(exported.stdout.replace("alpha.test", "gamma.test").replace(
        '"Alpha"', '"Gamma"') + "\n")  # fmt: skip
    (other / "bad.opml").write_text("<opml><body><outline")
    empty = other / "sources.toml"
    empty.write_text("")
    other_env = {**env, "SOURCES_FILE": str(empty)}
    imported = run_cli("sources", "import-opml", "in.opml", cwd=other, env=other_env)
    assert imported.stdout.strip() == "imported 2 sources, skipped 0 (already there or refused)"
    names = run_cli("sources", "list", cwd=other, env=other_env).stdout
    assert "Gamma" in names and "بيتا" in names
    broken = run_cli("sources", "import-opml", "bad.opml", cwd=other, env=other_env)
    assert broken.returncode == 2
    assert broken.stderr.startswith("newsbot: cannot read bad.opml:")


def test_digest_preview_prints_what_would_be_sent(tmp_path: Path, news_site: NewsSite,
                                                  env: dict) -> None:  # fmt: skip
    picture = '<meta property="og:image" content="/img/oil.jpg"></head>'
    news_site.put(
        "/e/oil.html",
        article_page("Oil prices jump after OPEC cuts output", words("oil markets")).replace(
            "</head>", picture
        ),
    )
    news_site.put("/e.xml", rss([("e1", news_site.url("/e/oil.html"), "Oil")]))
    (tmp_path / "sources.toml").write_text(
        f'[[source]]\nname = "Energy wire"\nurl = "{news_site.url("/e.xml")}"\nlanguage = "en"\n'
    )
    run_cli("poll", "--once", cwd=tmp_path, env=env)
    preview = run_cli("digest", "--preview", "--topics", "energy", "--language", "ar",
                      "--news-languages", "both", cwd=tmp_path, env=env)  # fmt: skip
    assert preview.returncode == 0, preview.stderr
    # What Telegram gets with the message: the top story's page, its picture large above.
    assert preview.stdout.startswith(
        '--- message 1 of 1 ---\nlink_preview_options: {"prefer_large_media": true, '
        f'"show_above_text": true, "url": "{news_site.url("/e/oil.html")}"}}\n'
        "\u200f📰 موجز الأخبار – "
    )
    assert "Oil prices jump after OPEC cuts output" in preview.stdout
    assert "\u200f\u2068Energy wire\u2069 · " in preview.stdout, "in an Arabic line"
    arabic = run_cli("digest", "--preview", "--topics", "energy", "--language", "ar",
                     cwd=tmp_path, env=env)  # fmt: skip
    assert "nothing new" in arabic.stdout, "an Arabic reader's news: in Arabic unless asked"
    html = run_cli("digest", "--preview", "--topics", "energy", "--language", "en",
                   "--html", cwd=tmp_path, env=env)  # fmt: skip
    assert f'<a href="{news_site.url("/e/oil.html")}">Energy wire</a>' in html.stdout
    klingon = run_cli("digest", "--preview", "--news-languages", "klingon", cwd=tmp_path, env=env)
    assert klingon.returncode == 2 and "'klingon' is not ar, en or both" in klingon.stderr
    mars = run_cli("digest", "--preview", "--timezone", "Mars/Base", cwd=tmp_path, env=env)
    assert mars.returncode == 2
    assert "Traceback" not in mars.stderr
    assert mars.stderr.splitlines()[-1] == (
        "newsbot digest: error: argument --timezone: 'Mars/Base' is not an IANA time zone "
        "name such as Asia/Riyadh"
    )
    none = run_cli("digest", "--preview", "--topics", "sports", cwd=tmp_path, env=env)
    assert "nothing new" in none.stdout
    bad = run_cli("digest", "--preview", "--topics", "knitting", cwd=tmp_path, env=env)
    assert bad.returncode == 2
    assert "unknown topic(s) knitting" in bad.stderr
    missing = run_cli("digest", "--chat", "42", cwd=tmp_path, env=env)
    assert missing.returncode == 2

    # A chat's digest counts its keywords and mutes, as the daily digest does.
    engine = db.make_engine(f"sqlite:///{tmp_path / 'data' / 'newsbot.db'}")
    with db.session(engine) as s:
        s.add(Chat(id=42, kind="private", language="en", timezone="UTC", digest_time="08:00"))
        s.flush()
        subscriptions.toggle_topic(42, "sports", session=s)
        subscriptions.follow_keyword(42, "OPEC", session=s)
    engine.dispose()
    keyword = run_cli("digest", "--chat", "42", cwd=tmp_path, env=env)
    assert "Oil prices jump after OPEC cuts output" in keyword.stdout, keyword.stdout
    with db.session(engine) as s:
        chat = s.get(Chat, 42)
        assert chat is not None
        chat.muted = ["Energy wire"]
        s.add(chat)
    engine.dispose()
    muted = run_cli("digest", "--chat", "42", cwd=tmp_path, env=env)
    assert "nothing new" in muted.stdout
