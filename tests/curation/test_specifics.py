"""Another event of the same kind: told of another day, or with other scores
(bot/curation/specifics.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.curation import specifics
from bot.curation.curate import Curator
from bot.curation.meanings import pack
from bot.curation.specifics import Pinned, Specifics
from bot.curation.stories import StoryIndex
from bot.curation.story_words import story_words
from storage.db import make_engine, session, upgrade
from storage.models import Article, Source

TUESDAY = dt.datetime(2026, 11, 24, 9, tzinfo=dt.UTC)
DIM = 8


def towards(cosine: float) -> np.ndarray:
    """A unit vector at this cosine from the first axis."""
    vector = np.zeros(DIM, dtype=np.float32)
    vector[0], vector[1] = cosine, np.sqrt(1 - cosine**2)
    return vector


def test_weekdays_and_scores_are_read_in_english_and_arabic() -> None:
    told = specifics.specifics("Napoli beat Lazio 2-1", "at the Maradona on Tuesday night.")
    assert told == Specifics(frozenset({1}), frozenset({(1, 2)}))
    arabic = specifics.specifics("نابولي يهزم لاتسيو ٢-١", "في ملعب مارادونا مساء الثلاثاء")
    assert arabic == told
    # A clitic before the day; أحد عشر (eleven) and الجمعية (a society) are no days;
    # a season is no score, a flipped score is the same one.
    assert specifics.specifics("وفي الأربعاء قتل أحد عشر", "في مقر الجمعية") == Specifics(
        frozenset({2})
    )
    assert specifics.specifics("The 2025-26 season", "they lost 1-3 in Milan").scores == {(1, 3)}


def test_only_a_weekday_named_on_its_own_day_tells_of_the_days_news() -> None:
    story = Pinned()
    story.add(specifics.specifics("Gas blast kills eight in Sfax on Tuesday", ""), TUESDAY)
    wednesday = TUESDAY + dt.timedelta(days=1)
    another = specifics.specifics("Gas blast kills three in Sousse on Wednesday", "")
    assert story.against(another, wednesday) == specifics.OTHER_DAY
    # The day after, a report of Tuesday's blast, or of a blast it does not date: no clue.
    assert story.against(specifics.specifics("Sfax mourns blast victims of Tuesday", ""),
                         wednesday) == 0.0  # fmt: skip
    assert story.against(specifics.specifics("Sfax mourns blast victims", ""), wednesday) == 0.0
    assert story.against(another, None) == 0.0
    # On Wednesday, news of Tuesday's blast told on: a follow-up, not another event.
    follow_up = specifics.specifics("Sfax blast toll rises to ten on Wednesday",
                                    "as rescuers dig through Tuesday's rubble")  # fmt: skip
    assert story.against(follow_up, wednesday) == 0.0


def test_scores_that_neither_hold_the_others_are_another_match() -> None:
    story = Pinned()
    story.add(specifics.specifics("Ruud beats Fritz 6-4, 3-6, 6-3", ""), TUESDAY)
    assert story.against(specifics.specifics("Ruud wins in three sets, 3-6 in the second",
                                             ""), TUESDAY) == 0.0  # fmt: skip
    semi_final = specifics.specifics("Ruud beats Draper 4-6, 7-6, 6-2", "")
    assert story.against(semi_final, TUESDAY) == specifics.OTHER_SCORE


def place_after(report: tuple[str, str, dt.datetime], article: tuple[str, dt.datetime],
                cosine: float) -> int | None:  # fmt: skip
    """Where an English article goes, `cosine` in meaning from a story of one report."""
    index = StoryIndex()
    headline, language, when = report
    index.add(1, 1, story_words(headline, ""), when, vector=towards(1.0), language=language,
              told=specifics.specifics(headline, ""))  # fmt: skip
    title, published = article
    return index.place(story_words(title, ""), vector=towards(cosine), language="en",
                       when=published, told=specifics.specifics(title, "")).story  # fmt: skip


def test_the_next_days_news_of_the_same_kind_starts_its_own_story(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An Arabic report of Tuesday's blast; in English, 20 hours on, as close in meaning
    # (0.68) to it: a report of Tuesday's blast joins it, Wednesday's blast does not.
    sfax = ("انفجار غاز يقتل ثمانية في صفاقس فجر الثلاثاء", "ar", TUESDAY)
    later = TUESDAY + dt.timedelta(hours=20)
    assert place_after(sfax, ("Sfax buries the victims of Tuesday's gas blast", later), 0.68) == 1
    wednesday = ("Gas blast in Sousse kills three on Wednesday", later)
    assert place_after(sfax, wednesday, 0.68) is None
    monkeypatch.setattr(specifics, "OTHER_DAY", 0.0)
    assert place_after(sfax, wednesday, 0.68) == 1


def test_a_match_with_other_scores_starts_its_own_story(monkeypatch: pytest.MonkeyPatch) -> None:
    napoli = ("نابولي يقلب تأخره إلى فوز على لاتسيو ٢-١", "ar", TUESDAY)
    assert place_after(napoli, ("Napoli beat Lazio 1-2 comeback", TUESDAY), 0.48) == 1
    draw = ("Late Zaccagni goal earns Lazio 1-1 draw in Turin", TUESDAY)
    assert place_after(napoli, draw, 0.48) is None
    monkeypatch.setattr(specifics, "OTHER_SCORE", 0.0)
    assert place_after(napoli, draw, 0.48) == 1


def curated(engine: Engine, topics: Path) -> tuple[int | None, int | None, int | None]:
    """Tuesday's blast in Arabic, then, 20 hours on, as close in meaning (0.68),
    Wednesday's in English: placed by a curator started after the first was stored (its
    index rebuilt from storage), and by the one that stored it (its index kept)."""

    def store(curator: Curator, n: int, title: str, vector: np.ndarray, when: dt.datetime,
              language: str) -> int | None:  # fmt: skip
        with session(engine) as db:
            draft = Article(source_id=source, url=f"https://nile.example/{n}",
                            url_key=f"nile.example/{n}", title=title, text=title,
                            fetched_at=when, language=language, vector=pack(vector),
                            vector_model="test-vectors")  # fmt: skip
            article, _ = curator.store(draft, now=when, session=db)
            return article.story_id

    with session(engine) as db:
        nile = Source(name="Nile Post", url="https://nile.example/feed.xml")
        db.add(nile)
        db.flush()
        source = nile.id
    later = TUESDAY + dt.timedelta(hours=20)
    first = Curator(engine, topics, clock=lambda: later, embedder_name="test-vectors")
    sfax = store(first, 1, "انفجار غاز يقتل ثمانية في صفاقس فجر الثلاثاء", towards(1.0),
                 TUESDAY, "ar")  # fmt: skip
    again = Curator(engine, topics, clock=lambda: later, embedder_name="test-vectors")
    wednesday = "Gas blast in Sousse kills three on Wednesday"
    rebuilt = store(again, 2, wednesday, towards(0.68), later, "en")
    kept = store(first, 3, f"{wednesday}, firemen say", towards(0.68), later, "en")
    return sfax, rebuilt, kept


def test_the_curator_gives_the_index_what_each_article_pins_down(
    engine: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sfax, rebuilt, kept = curated(engine, settings.topics_path)
    assert sfax is not None and rebuilt not in (sfax, None) and kept not in (sfax, None)
    monkeypatch.setattr(specifics, "OTHER_DAY", 0.0)  # without the clue, in a new database
    control = make_engine(f"sqlite:///{tmp_path / 'control.db'}")
    upgrade(control)
    sfax, rebuilt, kept = curated(control, settings.topics_path)
    control.dispose()
    assert sfax is not None and rebuilt == sfax and kept == sfax
