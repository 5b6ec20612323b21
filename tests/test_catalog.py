import re
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot import catalog
from bot.config import Settings
from storage.db import session
from storage.models import Source, Topic


def test_bundled_sources_cover_arabic_and_english(settings: Settings) -> None:
    sources = catalog.load_sources(settings.sources_path)
    names = {s.name for s in sources}
    assert {"RT Arabic", "BBC Arabic", "Al Jazeera English", "The Guardian World"} <= names
    assert sum(s.language == "ar" for s in sources) >= 6
    assert sum(s.language == "en" for s in sources) >= 4
    assert all(s.verified is False for s in sources), "nothing could be checked from here"
    assert all(s.timezone for s in sources), "each newsroom's zone, for times without an offset"


def test_bundled_topics(settings: Settings) -> None:
    topics = catalog.load_topics(settings.topics_path)
    slugs = {t.slug for t in topics}
    assert len(topics) >= 20
    required = {"world", "middle-east", "economy", "sports", "technology", "science", "health",
                "culture", "ukraine-russia", "iran", "palestine-israel", "syria", "gulf", "egypt",
                "energy"}  # fmt: skip
    assert required <= slugs
    assert all(t.name_ar and t.name_en for t in topics)


def test_a_topics_places_are_read_apart_from_its_keywords(tmp_path: Path) -> None:
    path = tmp_path / "topics.toml"
    path.write_text('[[topic]]\nslug = "world"\nname_en = "World"\nname_ar = "العالم"\n'
                    'keywords_en = ["summit"]\nplaces_en = ["turkey"]\nplaces_ar = ["تركيا"]\n',
                    encoding="utf-8")  # fmt: skip
    assert [t.slug for t in catalog.load_topics(path)] == ["world"]
    [rule] = catalog.load_topic_rules(path)
    assert (rule.keywords, rule.places) == (("summit",), ("turkey", "تركيا"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[source]\n", "not valid TOML"),
        ('[[source]]\nname = "A"\n', "missing url"),
        ('[[source]]\nname = "A"\nurl = "https://a"\ncolour = 1\n', "unknown key(s) colour"),
        ('[[source]]\nname = "A"\nurl = "https://a"\nkind = "api"\n', "kind must be"),
        ('[[source]]\nname = "A"\nurl = "https://a"\ntimezone = "Mars/Base"\n',
         "timezone must be an IANA zone name such as Asia/Riyadh, not 'Mars/Base'"),
        ('[[source]]\nname = "A"\nurl = "https://a"\n[[source]]\nname = "A"\nurl = "https://b"\n',
         "used twice"),
    ],
)  # fmt: skip
def test_bad_source_catalog_says_where(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(content)
    with pytest.raises(catalog.CatalogError, match=re.escape(message)) as caught:
        catalog.load_sources(path)
    assert str(path) in str(caught.value)


def test_sync_keeps_fetch_state_and_hand_added_sources(
    tmp_path: Path, settings: Settings, any_engine: Engine
) -> None:
    sources = tmp_path / "s.toml"
    sources.write_text('[[source]]\nname = "A"\nurl = "https://a/feed"\n')
    with session(any_engine) as db:
        catalog.sync(
            catalog.load(sources_path=sources, topics_path=settings.topics_path), session=db
        )
        db.add(Source(name="Mine", url="https://mine/feed", origin="cli"))
    with session(any_engine) as db:
        row = db.exec(select(Source).where(Source.name == "A")).one()
        row.etag, row.error_count = '"v1"', 3
        db.add(row)
    sources.write_text('[[source]]\nname = "A"\nurl = "https://a/rss"\nlanguage = "en"\n')
    with session(any_engine) as db:
        catalog.sync(
            catalog.load(sources_path=sources, topics_path=settings.topics_path), session=db
        )
    with session(any_engine) as db:
        rows = {s.name: s for s in db.exec(select(Source))}
        topics = db.exec(select(Topic)).all()
    assert rows["A"].url == "https://a/rss" and rows["A"].language == "en"
    assert (rows["A"].etag, rows["A"].error_count) == ('"v1"', 3)
    assert "Mine" in rows
    assert len(topics) == len(catalog.load_topics(settings.topics_path))
