"""Abstractive summaries against a loopback OpenAI-compatible endpoint."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.config import Settings
from bot.curation.abstractive import Summarizer
from bot.ingest.fetch import make_client
from bot.ingest.pipeline import Pipeline
from bot.loopback.chat_api import FakeChatAPI
from bot.loopback.news_site import NewsSite
from storage.db import session
from storage.models import Article, Source
from tests.conftest import make_settings
from tests.ingest.sample_site import publish_world


@pytest.fixture
def chat() -> Iterator[FakeChatAPI]:
    with FakeChatAPI(reply=lambda request: "  A model's summary of the story.  ") as api:
        yield api


@pytest.fixture
def chat_settings(tmp_path: Path, chat: FakeChatAPI) -> Settings:
    return make_settings(tmp_path, summary_api_url=chat.url, summary_api_key="sk-test",
                         summary_model="tiny", summary_timeout_seconds=0.5)  # fmt: skip


@pytest.fixture
async def summarizer(chat_settings: Settings) -> AsyncIterator[Summarizer]:
    summarizer = Summarizer(chat_settings)
    yield summarizer
    await summarizer.aclose()


async def test_the_model_answers(summarizer: Summarizer, chat: FakeChatAPI) -> None:
    assert await summarizer.summarize("Title", "Body of the story.", "ar") == (
        "A model's summary of the story."
    )
    [request] = chat.requests
    assert request["model"] == "tiny"
    assert request["_authorization"] == "Bearer sk-test"
    assert "بالعربية" in request["messages"][0]["content"], "asked in the article's language"
    assert request["messages"][1]["content"].startswith("Title\n\nBody of the story.")


@pytest.mark.parametrize(
    ("failure", "reason"),
    [("status", "HTTPStatusError"), ("timeout", "TimeoutError"), ("trickle", "TimeoutError"),
     ("empty", None)],
)  # fmt: skip
async def test_any_failure_gives_none(
    summarizer: Summarizer, chat: FakeChatAPI, failure: str, reason: str | None,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    if failure == "status":
        chat.status = 500
    elif failure == "timeout":
        chat.delay = 1.5
    elif failure == "trickle":  # each byte within the 0.5 s timeout, the answer in 40 s
        chat.trickle = 0.2
    else:
        chat.reply = lambda request: "   "
    # A guard against hanging, far above the timeout; not a measure of speed.
    assert await asyncio.wait_for(summarizer.summarize("Title", "Body.", "en"), 20) is None
    if reason is not None:
        assert f"kept the extractive one reason={reason}" in caplog.text


async def test_an_answer_of_50_mb_is_refused_at_its_cap(
    tmp_path: Path, chat: FakeChatAPI, caplog: pytest.LogCaptureFixture
) -> None:
    """Spaces after the JSON and no length said: still an answer, read up to the cap.
    The timeout is far above what reading the cap takes, so that the cap, not the
    clock, is what refuses it, however loaded the machine."""
    chat.padding, chat.declared = 50 * 1024 * 1024, False
    summarizer = Summarizer(make_settings(
        tmp_path, summary_api_url=chat.url, summary_api_key="sk-test", summary_model="tiny",
        summary_timeout_seconds=30.0))  # fmt: skip
    try:
        assert await asyncio.wait_for(summarizer.summarize("Title", "Body.", "en"), 60) is None
    finally:
        await summarizer.aclose()
    assert "kept the extractive one reason=TooLarge" in caplog.text


async def test_off_by_default(tmp_path: Path) -> None:
    summarizer = Summarizer(make_settings(tmp_path))
    assert not summarizer.enabled
    assert await summarizer.summarize("Title", "Body.", "en") is None
    await summarizer.aclose()


@pytest.mark.parametrize("fails", [False, True])
async def test_the_pipeline_keeps_the_extractive_summary_when_the_model_fails(
    chat_settings: Settings, summarizer: Summarizer, chat: FakeChatAPI,
    news_site: NewsSite, engine: Engine, fails: bool,
) -> None:  # fmt: skip
    publish_world(news_site, count=1)
    chat.status = 503 if fails else 200
    with session(engine) as db:
        source = Source(name="World", url=news_site.url("/world.xml"), origin="cli")
        db.add(source)
    async with make_client(chat_settings) as client:
        pipeline = Pipeline(chat_settings, engine, client, summarizer=summarizer)
        await pipeline.refresh_source(source.id or 0)
    with session(engine) as db:
        [article] = db.exec(select(Article)).all()
    if fails:
        assert article.summary is not None
        assert article.summary.startswith("Paragraph 1 about world 1")
    else:
        assert article.summary == "A model's summary of the story."
