"""Selection for one chat: followed topics, nothing twice, and what goes under each story."""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy.engine import Engine
from sqlmodel import col
from sqlmodel import select as sql_select

from bot.digest import compose, select
from bot.digest.coverage import Reader
from bot.digest.related import Related
from storage.db import session
from storage.digests import StoryRow, recent_stories
from storage.models import Article, ArticleTopic, Source, Story, Topic

NOW = dt.datetime(2026, 11, 29, 8, tzinfo=dt.UTC)


def row(story_id: int, headline: str, terms: str, topic: str, source: str) -> StoryRow:
    return StoryRow(story_id, headline, NOW - dt.timedelta(hours=1), 1, terms.split(),
                    url=f"https://{source.lower()}.test/{story_id}", sources=[source],
                    topics={topic: 0.9})  # fmt: skip


EN = Reader("en", ("en",))
NAMES = {"economy": ("اقتصاد", "Economy")}


def related_of(row: StoryRow, rows: list[StoryRow]) -> list[tuple[str, str, str]]:
    made = compose.card("economy", row, reader=EN, now=NOW, names=NAMES, related=Related(rows))
    assert made is not None
    return [(r.title, r.url, r.source) for r in made.related]


def test_related_headlines_are_close_stories_never_the_same_storys_other_reports() -> None:
    rates = row(1, "Central bank holds rates", "central bank rate hold", "economy", "Wire")
    rates.others = [("Bank keeps rate steady", "https://daily.test/9", "Daily")]
    rates.sources.append("Daily")
    close = row(2, "Markets wait for the central bank", "central bank rate market", "economy",
                "Gazette")  # fmt: skip
    far = row(3, "Retail sales fall", "retail sale fall", "economy", "Gazette")
    elsewhere = row(4, "Football club's bank deal", "central bank rate club", "sports", "Sport")
    rows = [rates, close, far, elsewhere]
    chosen = select.select(
        {"economy"}, {2, 3}, select.candidates_by_topic(rows), NOW, limit=5
    ).chosen
    assert [r.story_id for _, r in chosen] == [1], "stories already sent are not chosen"
    assert related_of(rates, rows) == [
        ("Markets wait for the central bank", "https://gazette.test/2", "Gazette"),
    ], "not the story's own other report (its sources line links it), nor the far ones"
    made = compose.card("economy", rates, reader=EN, now=NOW, names=NAMES)
    assert made is not None and made.sources == (("Wire", "https://wire.test/1"),
                                                 ("Daily", "https://daily.test/9"))  # fmt: skip


def unit(*values: float) -> bytes:
    vector = np.array(values, dtype=np.float32)
    return (vector / np.linalg.norm(vector)).astype(np.float16).tobytes()


def test_with_meanings_the_cosine_decides_what_is_related() -> None:
    ceasefire = row(1, "Ceasefire enters its third day", "ceasefire third day", "economy", "A")
    talks = row(2, "Envoys meet in Cairo over the truce", "envoy cairo truce", "economy", "B")
    words_only = row(3, "Third day of the ceasefire fair", "ceasefire third day fair",
                     "economy", "C")  # fmt: skip
    ceasefire.vector, talks.vector = unit(1, 0.2, 0), unit(0.9, 0.3, 0.1)
    words_only.vector = unit(0, 0, 1)  # the same words, and another meaning altogether
    rows = [ceasefire, talks, words_only]
    assert [url for _, url, _ in related_of(ceasefire, rows)] == ["https://b.test/2"]
    no_meaning = row(4, "Ceasefire holds on third day", "ceasefire third day hold", "economy", "D")
    assert "https://a.test/1" in [url for _, url, _ in related_of(no_meaning, rows)], (
        "without a meaning of its own, words decide"
    )


def test_stories_the_digest_shows_are_not_related_to_each_other() -> None:
    one = row(1, "Central bank holds rates", "central bank rate hold", "economy", "Wire")
    two = row(2, "Markets wait for the central bank", "central bank rate market", "economy", "G")
    made = compose.card("economy", one, reader=EN, now=NOW, names=NAMES,
                        related=Related([one, two]), shown=frozenset({1, 2}))  # fmt: skip
    assert made is not None and made.related == ()


def test_the_pages_own_related_links_come_last_and_only_when_on_topic(engine: Engine) -> None:
    with session(engine) as db:
        source = Source(name="Wire", url="https://wire.test/rss", origin="cli", language="en")
        topic = Topic(slug="economy", name_ar="اقتصاد", name_en="Economy")
        story = Story(headline="Inflation slows", first_seen_at=NOW, last_seen_at=NOW)
        db.add_all([source, topic, story])
        db.flush()
        article = Article(source_id=source.id, url="https://wire.test/1", url_key="wire.test/1",
                          title="Inflation slows", story_id=story.id, fetched_at=NOW,
                          related=[{"title": "What inflation means for savers",
                                    "url": "https://wire.test/2", "on_topic": True},
                                   {"title": "Your stars this week",
                                    "url": "https://wire.test/3", "on_topic": False}])  # fmt: skip
        db.add(article)
        db.flush()
        db.add(ArticleTopic(article_id=article.id, topic_id=topic.id, score=0.9))
    with session(engine) as db:
        rows = recent_stories(NOW - dt.timedelta(hours=1), session=db)
    assert related_of(rows[0], rows) == [
        ("What inflation means for savers", "https://wire.test/2", "Wire")
    ]


def test_recent_stories_reads_the_first_article_and_all_sources(engine: Engine) -> None:
    with session(engine) as db:
        wire = Source(name="Wire", url="https://wire.test/rss", origin="cli")
        daily = Source(name="Daily", url="https://daily.test/rss", origin="cli")
        topic = Topic(slug="economy", name_ar="اقتصاد", name_en="Economy")
        db.add_all([wire, daily, topic])
        db.flush()
        # More stories than one read of first articles takes (500), each told twice.
        stories = [Story(headline=f"Story {n}", first_seen_at=NOW, last_seen_at=NOW)
                   for n in range(520)]  # fmt: skip
        db.add_all(stories)
        db.flush()
        for story in stories:
            for source, terms in ((wire, " rate bank "), (daily, " rate hold ")):
                db.add(Article(source_id=source.id, url=f"https://{source.name}.test/{story.id}",
                               url_key=f"{source.name}.test/{story.id}", title=f"{source.name} "
                               f"on {story.headline}", summary=f"Summary by {source.name}",
                               search_terms=terms, story_id=story.id, fetched_at=NOW,
                               related=[{"title": "Rates explained", "url": "https://x.test/r",
                                         "on_topic": True}]))  # fmt: skip
        db.flush()
        first = db.exec(
            sql_select(Article).where(Article.story_id == stories[0].id).order_by(col(Article.id))
        ).first()
        assert first is not None
        db.add(ArticleTopic(article_id=first.id, topic_id=topic.id, score=0.7))
    with session(engine) as db:
        rows = {r.story_id: r for r in recent_stories(NOW - dt.timedelta(hours=1), session=db)}
        lean = {r.story_id: r for r in recent_stories(NOW - dt.timedelta(hours=1), session=db,
                                                       words=False)}  # fmt: skip
    assert len(rows) == 520
    assert all(r.summary == "Summary by Wire" for r in rows.values())
    one = rows[stories[0].id]
    assert (one.url, one.sources) == (f"https://Wire.test/{one.story_id}", ["Wire", "Daily"])
    assert one.others == [("Daily on Story 0", f"https://Daily.test/{one.story_id}", "Daily")]
    assert one.page_links == [("Rates explained", "https://x.test/r", "Wire")]
    assert one.topics == {"economy": 0.7}
    assert one.words == {"rate", "bank", "hold"}
    assert lean[one.story_id].words == set()
    assert lean[one.story_id].summary == one.summary and lean[one.story_id].others == one.others


def test_a_keyword_that_names_a_followed_topics_subject_does_not_double_a_story() -> None:
    from bot.language import stems

    derby = row(1, "Real Madrid win the derby", " ".join(stems("Real Madrid win the derby")),
                "sports", "Wire")  # fmt: skip
    derby.words = set(stems("Real Madrid win the derby"))
    other = row(2, "Cup final tonight", "cup final tonight", "sports", "Daily")
    rows = [derby, other]
    keywords = {"ريال مدريد": set(stems("Real Madrid")), "Real Madrid": set(stems("Real Madrid"))}
    chosen = select.select({"sports"}, set(), select.candidates_by_topic(rows), NOW, limit=5,
                           keywords=keywords, rows=rows).chosen  # fmt: skip
    assert sorted(r.story_id for _, r in chosen) == [1, 2], "the derby once, not three times"
    alone = select.select(set(), set(), {}, NOW, limit=5, keywords=keywords, rows=rows).chosen
    assert [r.story_id for _, r in alone] == [1], "the keyword finds it on its own"
