"""Selection for one chat: followed topics, nothing twice, and what goes under each story."""

from __future__ import annotations

import datetime as dt

from bot.digest import compose, select
from storage.digests import StoryRow

NOW = dt.datetime(2026, 11, 29, 8, tzinfo=dt.UTC)


def row(story_id: int, headline: str, terms: str, topic: str, source: str) -> StoryRow:
    return StoryRow(story_id, headline, NOW - dt.timedelta(hours=1), 1, terms.split(),
                    url=f"https://{source.lower()}.test/{story_id}", sources=[source],
                    topics={topic: 0.9})  # fmt: skip


def test_related_headlines_are_other_sources_then_close_stories_on_a_shared_topic() -> None:
    rates = row(1, "Central bank holds rates", "central bank rate hold", "economy", "Wire")
    rates.others = [("Bank keeps rate steady", "https://daily.test/9", "Daily")]
    rates.sources.append("Daily")
    close = row(2, "Markets wait for the central bank", "central bank rate market", "economy",
                "Gazette")  # fmt: skip
    far = row(3, "Retail sales fall", "retail sale fall", "economy", "Gazette")
    elsewhere = row(4, "Football club's bank deal", "central bank rate club", "sports", "Sport")
    rows = [rates, close, far, elsewhere]
    chosen = select.choose({"economy"}, {2, 3}, select.candidates_by_topic(rows), NOW, limit=5)
    assert [r.story_id for _, r in chosen] == [1], "stories already sent are not chosen"
    assert rates.related == [
        ("Bank keeps rate steady", "https://daily.test/9", "Daily"),
        ("Markets wait for the central bank", "https://gazette.test/2", "Gazette"),
    ], "not the unrelated story, nor the one on another topic"
    card = compose.card("economy", rates, language="en", zone="UTC",
                        names={"economy": ("اقتصاد", "Economy")})  # fmt: skip
    assert card.related[1][0] == "Markets wait for the central bank"
