"""An OpenAI-compatible chat completions endpoint on 127.0.0.1, for tests and the demo.

POST /v1/chat/completions answers with `reply` (a function of the request), or
misbehaves as told: `status` (an HTTP error), `delay` (seconds), `trickle`, an empty
answer. Every request body is recorded in `requests`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any

from bot.loopback.server import FakeOpenAIAPI, JsonHandler

Json = dict[str, Any]


class FakeChatAPI(FakeOpenAIAPI):
    def __init__(self, reply: Callable[[Json], str] | None = None) -> None:
        super().__init__()
        self.reply = reply or (lambda request: "A short summary.")

    def handler(self) -> type[BaseHTTPRequestHandler]:
        return _handler_for(self)


def _handler_for(api: FakeChatAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        def do_POST(self) -> None:
            request = self.read_json()
            request["_authorization"] = self.headers.get("Authorization")
            api.requests.append(request)
            if api.delay:
                time.sleep(api.delay)
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(404, {"error": {"message": "not found"}})
            elif api.status != 200:
                self._send(api.status, {"error": {"message": "failure injected by the test"}})
            else:
                content = api.reply(request)
                self._send(200, {
                    "id": "chatcmpl-test", "object": "chat.completion",
                    "model": request.get("model", ""),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": content}}],
                }, api.trickle, padding=api.padding, declared=api.declared)  # fmt: skip

    return Handler
