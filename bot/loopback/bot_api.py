"""A Telegram Bot API server on 127.0.0.1, for tests, benchmarks and the demo.

The real python-telegram-bot Application talks to it over HTTP through
`base_url` (TELEGRAM_API_BASE_URL). A test acts as the users on the other side
(`send`, `send_anonymously`, `press`, `post_to_channel`, `add_bot`, `remove_bot`,
`migrate_group`), reads what the bot sent
(`messages`, `calls`, `wait_for`, and `preview`: the link preview a reader sees)
and makes Telegram misbehave (`fail`, `RateLimits`). Validation follows
Telegram: text length after entity parsing, the HTML tags it accepts, entities
past the hundredth ignored, callback_data length, link preview options and
their types, "message is not modified".

Its parts: bot_api_state (what Telegram holds, one lock), bot_api_users (the test
acting as users), bot_api_methods (the methods served), telegram_rules (what the
Bot API accepts and how it answers); here, its life, its switches, what a test reads,
and the HTTP side.
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.loopback.bot_api_methods import BotApiMethods
from bot.loopback.bot_api_state import Call, Failure, RateLimits
from bot.loopback.bot_api_users import ActingAsUsers
from bot.loopback.server import serve
from bot.loopback.telegram_rules import Json, decode_params, hung_up, page_image

__all__ = ["Call", "FakeBotAPI", "RateLimits"]


class FakeBotAPI(ActingAsUsers, BotApiMethods):
    """Start with `with FakeBotAPI() as api:`; point the bot at `api.base_url`."""

    # ---- lifecycle -------------------------------------------------------
    def start(self) -> FakeBotAPI:
        self._server = serve(_handler_for(self), self.port)
        return self

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def go_down(self) -> None:
        """Telegram out of reach (the network, or Telegram itself): the port refuses and
        every open connection is cut. Updates sent meanwhile wait, as Telegram keeps them."""
        assert self._server, "start() the server first"
        self.port = self._server.server_address[1]  # to come back where the bot looks
        self._server.shutdown()
        self._server.cut()
        self._server.server_close()
        self._server = None

    def come_back(self) -> None:
        """Telegram in reach again, on the same port, with everything it held."""
        self.start()

    def __enter__(self) -> FakeBotAPI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server, "start() the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    @property
    def base_file_url(self) -> str:
        return self.base_url.replace("/bot", "/file/bot")

    # ---- making Telegram misbehave -----------------------------------------
    def fail(
        self,
        method: str,
        *,
        chat_id: int | None = None,
        code: int | None = 403,
        description: str = "Forbidden: bot was blocked by the user",
        times: int | None = 1,
        retry_after: int | None = None,
        migrate_to_chat_id: int | None = None,
        delay: float = 0.0,
    ) -> None:
        """The next `times` calls (None: all) of `method` answer with this error.

        With `code=None` the call succeeds but the answer comes `delay` seconds late,
        which a client with a shorter timeout sees as a timeout after delivery.
        """
        with self._cond:
            self._state.failures.append(
                Failure(method, chat_id, code, description, times, retry_after,
                        migrate_to_chat_id, delay)
            )  # fmt: skip

    # ---- observing ----------------------------------------------------------
    @property
    def calls(self) -> list[Call]:
        with self._cond:
            return list(self._state.calls)

    def calls_to(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    @property
    def rate_limited(self) -> int:
        """How many 429s the rate limits (not `fail`) answered."""
        with self._cond:
            return self._state.rate_limited

    def messages(self, chat_id: int) -> list[Json]:
        """What the bot sent to a chat and has not deleted, as it reads now (after edits)."""
        with self._cond:
            return [
                copy.deepcopy(m)
                for m in self._state.messages.get(chat_id, [])
                if not m.get("_deleted") and m["from"]["id"] == self.bot_user["id"]
            ]

    def history(self, chat_id: int) -> list[Json]:
        """Every message in a chat, the users' and the bot's, as it reads now (after edits),
        deleted ones marked `_deleted`."""
        with self._cond:
            return copy.deepcopy(self._state.messages.get(chat_id, []))

    @property
    def conflicts(self) -> int:
        """getUpdates calls that a newer one ended with 409: two pollers at once."""
        with self._cond:
            return self._state.conflicts

    def commands(self, language_code: str = "", scope: str = "default") -> list[Json]:
        with self._cond:
            return list(self._state.commands.get((scope, language_code), []))

    def preview(self, chat_id: int, message_id: int) -> Json | None:
        """The link preview a reader sees with a message, as Telegram draws it: from the
        options' url, else the text's first link; the picture is the page's og:image
        (fetched now; pages on loopback only); None when the preview is disabled or the
        message has no link. {"url", "image", "above", "large"}: enlarged media only for
        a url given explicitly, as Telegram documents."""
        with self._cond:
            message = copy.deepcopy(self._find_message(chat_id, message_id))
        options = message.get("link_preview_options") or {}
        if options.get("is_disabled"):
            return None
        url = options.get("url") or next(
            (str(e["url"]) for e in message.get("entities", []) if e.get("type") == "text_link"),
            None,
        )
        if not url:
            return None
        return {
            "url": url,
            "image": page_image(url),
            "above": bool(options.get("show_above_text")),
            "large": bool(options.get("url") and options.get("prefer_large_media")),
        }

    def callback_answered(self, query_id: str) -> bool:
        with self._cond:
            return bool(self._state.callbacks.get(query_id, {}).get("answered"))

    def callback_answer(self, query_id: str) -> Json:
        """What the bot answered a press with: its text and whether as a popup."""
        with self._cond:
            return dict(self._state.callbacks.get(query_id, {}))

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Waits until `predicate()` is truthy (checked after every call) and returns it."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = predicate()  # the lock is re-entrant: helpers may take it again
                if result:
                    return result
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the bot did not do what was awaited in time")
                self._cond.wait(remaining)

    def wait_for_messages(self, chat_id: int, count: int = 1, timeout: float = 10.0) -> list[Json]:
        return self.wait_for(  # type: ignore[no-any-return]
            lambda: (msgs := self.messages(chat_id)) and len(msgs) >= count and msgs,
            timeout,
        )


def _handler_for(api: FakeBotAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def _answer(self) -> None:
            parts = urlsplit(self.path)
            segments = parts.path.strip("/").split("/")
            if len(segments) != 2 or not segments[0].startswith("bot"):
                self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                return
            pairs = parse_qsl(parts.query, keep_blank_values=True)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            kind = self.headers.get("Content-Type", "")
            if "application/json" in kind and raw:
                params = {**decode_params(pairs), **json.loads(raw)}
            else:
                pairs += parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
                params = decode_params(pairs)
            code, body = api.handle(segments[0][3:], segments[1], params,
                                    gone=lambda: hung_up(self.connection))  # fmt: skip
            self._reply(code, body)

        def _reply(self, code: int, body: Json) -> None:
            data = json.dumps(body).encode("utf-8")
            try:
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout); nothing to tell it

        def log_message(self, format: str, *args: Any) -> None:
            pass  # calls are recorded in api.calls instead

    return Handler
