"""A site that trickles one byte a second holds nobody but itself, and never past the
fetch's deadline (HTTP_TIMEOUT_SECONDS: connecting, every read and the whole body)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.ingest.fetch import make_client
from bot.ingest.pipeline import Pipeline
from bot.loopback.bot_api import FakeBotAPI
from bot.loopback.news_site import NewsSite
from tests.conftest import bot_running, make_settings, wait
from tests.ingest.sample_site import publish_world, rss
from tests.ingest.test_pipeline import add_source, stored

OPERATOR = FakeBotAPI.user(9999, "Operator", "en")


def trickling_feed(site: NewsSite) -> str:
    url = site.put("/slow.xml", rss([("s-1", site.url("/slow/1"), "A slow story")]))
    site.rule("/slow.xml", trickle=1.0)  # a byte a second: a few minutes for the feed
    return url


async def test_a_trickling_site_fails_at_its_deadline_and_the_healthy_one_is_stored(
    tmp_path: Path, news_site: NewsSite, engine: Engine
) -> None:
    settings = make_settings(tmp_path, http_timeout_seconds=2.0)
    healthy = add_source(engine, "Healthy", news_site.url("/world.xml"))
    publish_world(news_site)
    add_source(engine, "Trickle", trickling_feed(news_site))
    async with make_client(settings) as client:
        # A guard against hanging, far above the deadline; not a measure of speed.
        outcomes = await asyncio.wait_for(Pipeline(settings, engine, client).poll_due(), 60)
    by_name = {o.source: o for o in outcomes}
    assert by_name["Healthy"].status == "new" and len(by_name["Healthy"].new_ids) == 3
    assert by_name["Trickle"].status == "failed"
    assert "timed out" in (by_name["Trickle"].error or "")
    assert "within 2s" in (by_name["Trickle"].error or ""), "the whole answer had its deadline"
    assert {a.source_id for a in stored(engine)} == {healthy}


async def test_a_slow_poll_never_holds_the_next_tick(
    tmp_path: Path, news_site: NewsSite, engine: Engine
) -> None:
    settings = make_settings(tmp_path, http_timeout_seconds=30.0)
    add_source(engine, "Trickle", trickling_feed(news_site))
    async with make_client(settings) as client:
        pipeline = Pipeline(settings, engine, client)
        pipeline.poll_in_background()  # the trickling source: held for its deadline
        await wait(news_site.requests_to, "/slow.xml")
        healthy = add_source(engine, "Healthy", news_site.url("/world.xml"))
        publish_world(news_site)
        pipeline.poll_in_background()  # the next tick: only what is due and unclaimed
        for _ in range(200):
            if any(a.source_id == healthy for a in stored(engine)):
                break
            await asyncio.sleep(0.05)
        assert {a.source_id for a in stored(engine)} == {healthy}
        assert len(news_site.requests_to("/slow.xml")) == 1, "claimed: not fetched twice"
        await pipeline.aclose()


async def test_adding_a_trickling_site_from_the_chat_gets_a_clear_answer(
    tmp_path: Path, bot_api: FakeBotAPI, engine: Engine, news_site: NewsSite
) -> None:
    url = trickling_feed(news_site)
    async with bot_running(tmp_path, bot_api, engine, http_timeout_seconds=2.0):
        bot_api.send(OPERATOR, f"/addsource {url}")
        [answer] = await wait(bot_api.wait_for_messages, OPERATOR["id"], 1, 30.0)
    assert answer["text"].startswith(f"Could not add {url}: ")
    assert "time" in answer["text"].lower(), answer["text"]
