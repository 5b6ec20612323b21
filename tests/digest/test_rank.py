import datetime as dt

from bot.digest.rank import Candidate, rank, score

NOW = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)


def story(story_id: int, sources: int = 1, hours: float = 1, source: str = "A",
          topic: float = 0.5, **extra: object) -> Candidate:  # fmt: skip
    return Candidate(story_id, f"Story {story_id}", sources, NOW - dt.timedelta(hours=hours),
                     topic_score=topic, lead_source=source, **extra)  # type: ignore[arg-type]  # fmt: skip


def test_more_sources_newer_and_better_matched_stories_score_higher() -> None:
    assert score(story(1, sources=5), NOW) > score(story(2, sources=1), NOW)
    assert score(story(1, hours=1), NOW) > score(story(2, hours=20), NOW)
    assert score(story(1, topic=0.9), NOW) > score(story(2, topic=0.1), NOW)
    weighted = Candidate(3, "x", 1, NOW, 0.5, source_weight=2.0)
    assert score(weighted, NOW) > score(story(4, hours=0), NOW)


def test_a_selection_is_diverse() -> None:
    stories = [story(1, 9, source="A"), story(2, 8, source="A"), story(3, 7, source="A"),
               story(1, 9, source="A"), story(4, 1, source="B")]  # fmt: skip
    assert [s.story_id for s in rank(stories, NOW, limit=3)] == [1, 2, 4]
