"""Replies to users wait out a 429 instead of being lost.

A command's answer goes straight from its handler through python-telegram-bot;
without this, a 429 (flood control) would drop it. The Sender keeps its own
limits and handles 429s itself, so it runs on a Bot without this limiter.
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
    """Retries a request refused with 429 after exactly the wait Telegram asked for."""

    def __init__(self, max_retries: int = 3) -> None:
        self.max_retries = max_retries

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
        for attempt in range(self.max_retries + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                if attempt == self.max_retries:
                    raise
                seconds = retry_seconds(error)
                log.warning("429 on %s chat_id=%s, retrying in %.0f s", endpoint,
                            data.get("chat_id"), seconds)  # fmt: skip
                await asyncio.sleep(seconds)
        raise AssertionError("unreachable")
