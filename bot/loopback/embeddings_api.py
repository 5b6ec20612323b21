"""An OpenAI-compatible /v1/embeddings endpoint on 127.0.0.1, for tests.

Answers as OpenAI does ({"object": "list", "data": [{"object": "embedding",
"index", "embedding"}], "model", "usage"}), refuses what OpenAI refuses (no
input, an empty string, a wrong key when one is set) with 400 or 401, and
misbehaves as told: `status`, `delay`, `trickle`. The vectors are bags of hashed words, so
texts that share words come out close, as a real model's would for them; and, as a
multilingual model puts a text and its translation close, a text holding one of
`translations` (text -> the same in another language) is embedded as if it held
the other.
Every request is recorded in `requests`.
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from bot.loopback.server import FakeOpenAIAPI, JsonHandler

Json = dict[str, Any]
DIM = 64


def vector(text: str, translations: dict[str, str] | None = None) -> list[float]:
    for said, meant in (translations or {}).items():
        text = text.replace(said, meant)
    counts = [0.0] * DIM
    for word in re.findall(r"\w+", text.lower()):
        counts[int(hashlib.sha1(word.encode()).hexdigest(), 16) % DIM] += 1.0
    norm = math.sqrt(sum(c * c for c in counts)) or 1.0
    return [c / norm for c in counts]


class FakeEmbeddingsAPI(FakeOpenAIAPI):
    def __init__(self, key: str | None = None, translations: dict[str, str] | None = None) -> None:
        super().__init__()
        self.key = key
        self.translations = translations or {}

    def handler(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)


def _handler_for(api: FakeEmbeddingsAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        def do_POST(self) -> None:
            request = self.read_json()
            api.requests.append(request)
            if api.delay:
                time.sleep(api.delay)
            given = request.get("input")
            texts = [given] if isinstance(given, str) else given
            if self.path.rstrip("/") != "/v1/embeddings":
                self._send(404, {"error": {"message": "not found"}})
            elif api.key and self.headers.get("Authorization") != f"Bearer {api.key}":
                self._send(401, {"error": {"message": "Incorrect API key provided"}})
            elif api.status != 200:
                self._send(api.status, {"error": {"message": "failure injected by the test"}})
            elif not texts or not all(isinstance(t, str) and t for t in texts):
                self._send(400, {"error": {"message": "'input' is empty or not strings"}})
            else:
                self._send(200, {
                    "object": "list", "model": request.get("model", ""),
                    "data": [{"object": "embedding", "index": i,
                              "embedding": vector(t, api.translations)}
                             for i, t in enumerate(texts)],
                    "usage": {"prompt_tokens": 0, "total_tokens": 0},
                }, api.trickle, padding=api.padding, declared=api.declared)  # fmt: skip

    return Handler
