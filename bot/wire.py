"""The Bot API's HTTP: every request to Telegram, and the instant its bytes go out.

Telegram offers no idempotency key and no way to read a chat, so whether a
message arrived is known only from Telegram's answer. What can be known for
sure is whether Telegram could have received it: a request that never went out
whole cannot have been delivered. So each request is watched (httpcore's trace
events, a documented extension of httpx):

- `watch(on_wire)`: `on_wire()` runs the instant before the request's last bytes
  (its body) are written, with nothing in between that could let other work run;
  Telegram acts on no request it has not had whole. The sender records "handed
  over" there. If it raises, the request stops and Telegram never gets it whole.
- afterwards the `Wire` says whether the whole request went out (`sent`) and
  whether an answer began (`answered`). A failure after `sent` and before
  `answered` is `Unconfirmed`: the message most likely arrived (Telegram got all
  of it; its answer is what was lost), and it is never sent again.

`telegram_request()` builds the python-telegram-bot request object that does
this, for the bot that answers commands and for the one that sends digests.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpx
from telegram.error import NetworkError, TimedOut
from telegram.request import HTTPXRequest


class Unconfirmed(TimedOut):
    """The whole request reached Telegram and no answer came (a timeout, a dropped
    connection): it most likely arrived, and must not be sent again."""


class Withdrawn(Exception):
    """Raised by an `on_wire` callback: the request must not go out after all
    (another process took the message)."""


@dataclass
class Wire:
    """What became of one request."""

    on_wire: Callable[[], None] | None = None
    handed: bool = False  # on_wire ran: the first byte was about to go
    withdrawn: bool = False  # on_wire refused: nothing was sent
    sent: bool = False  # the whole request was written
    answered: bool = False  # Telegram's answer began to arrive


_CURRENT: ContextVar[Wire | None] = ContextVar("newsbot_wire", default=None)


@contextmanager
def watch(on_wire: Callable[[], None] | None = None) -> Iterator[Wire]:
    """Watches the Bot API request made inside the block (one at a time)."""
    wire = Wire(on_wire)
    token = _CURRENT.set(wire)
    try:
        yield wire
    finally:
        _CURRENT.reset(token)


def _tracer(wire: Wire) -> Callable[[str, dict[str, Any]], Any]:
    async def trace(event: str, info: dict[str, Any]) -> None:
        # Events are "http11.send_request_body.started" and the like (http2 too). The
        # headers went before, and the event loop may have run other work since; the
        # body (one write, a message's request is small) follows at once: Telegram gets
        # no request until its last byte, so "handed over" is marked here.
        if event.endswith("send_request_body.started") and not wire.handed:
            if wire.on_wire is not None:
                try:
                    wire.on_wire()
                except Withdrawn:
                    wire.withdrawn = True
                    raise
            wire.handed = True
        elif event.endswith("send_request_body.complete"):
            wire.sent = True
        elif event.endswith("receive_response_headers.complete"):
            wire.answered = True

    return trace


class _WatchingTransport(httpx.AsyncBaseTransport):
    """httpx's own transport, with the watch of the current request added. The pool
    is made anew after a close: python-telegram-bot may start a closed bot again."""

    def __init__(self, limits: httpx.Limits) -> None:
        self._limits = limits
        self._inner: httpx.AsyncHTTPTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._inner is None:
            self._inner = httpx.AsyncHTTPTransport(limits=self._limits)
        wire = _CURRENT.get()
        if wire is not None:
            request.extensions = {**request.extensions, "trace": _tracer(wire)}
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        inner, self._inner = self._inner, None
        if inner is not None:
            await inner.aclose()


class TelegramRequest(HTTPXRequest):
    """HTTPXRequest whose failures say whether Telegram got the request: `Unconfirmed`
    when all of it went out and no answer came."""

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        wire = _CURRENT.get()
        token = _CURRENT.set(Wire()) if wire is None else None  # a request no one watches
        current = _CURRENT.get()
        assert current is not None
        try:
            return await super().do_request(*args, **kwargs)
        except (TimedOut, NetworkError) as error:
            if current.sent and not current.answered:
                raise Unconfirmed(
                    f"no answer from Telegram after the request went out: {error}"
                ) from error
            raise
        finally:
            if token is not None:
                _CURRENT.reset(token)


def telegram_request(*, timeout: float, connections: int = 64) -> TelegramRequest:
    """The request object for a python-telegram-bot Bot: `timeout` seconds to connect,
    write and read (a long poll adds its own wait), `connections` at once."""
    return TelegramRequest(
        connection_pool_size=connections, read_timeout=timeout, write_timeout=timeout,
        connect_timeout=timeout, pool_timeout=timeout,
        httpx_kwargs={"transport": _WatchingTransport(httpx.Limits(max_connections=connections))},
    )  # fmt: skip
