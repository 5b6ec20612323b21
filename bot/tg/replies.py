"""Replies to users wait out a 429 instead of being lost.

A command's answer goes straight from its handler through python-telegram-bot;
without this, a 429 (flood control) would drop it, or end in the error line,
itself refused. The wait is that chat's own: updates from other chats are
handled meanwhile (bot/tg/order.py). The Sender keeps its own limits and
handles 429s itself, so it runs on a Bot without this limiter.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.tg.limits import retry_seconds

log = logging.getLogger(__name__)

Answer = bool | dict[str, Any] | list[dict[str, Any]]


class WaitOutFloodControl(BaseRateLimiter[None]):
    """Retries a request refused with 429 after exactly the wait Telegram asked for,
    as often as it asks, while the waits add up to at most `patience` seconds."""

    def __init__(self, patience: float = 300.0) -> None:
        self.patience = patience

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Answer:
        waited = 0.0
        while True:
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                seconds = retry_seconds(error)
                if waited + seconds > self.patience:
                    raise
                waited += seconds
                log.warning("429 on %s chat_id=%s, retrying in %.0f s", endpoint,
                            data.get("chat_id"), seconds)  # fmt: skip
                await asyncio.sleep(seconds)
