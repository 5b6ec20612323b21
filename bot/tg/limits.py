"""Telegram's sending limits, kept by ourselves rather than learnt from 429s.

Sends to all chats are evenly paced, within three sliding windows: all chats
together (30 a second by default), each private chat (1 a second), each group
or channel (20 a minute). `acquire`
waits until a message may go to a chat and books its slot; a 429 pauses a
chat, or everything, for exactly the time Telegram asked.
"""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass

from telegram.error import RetryAfter


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asked us to wait: retry_after is an int or, with PTB_TIMEDELTA,
    a timedelta."""
    wait = error.retry_after
    return float(wait.total_seconds()) if hasattr(wait, "total_seconds") else float(wait)


@dataclass(frozen=True)
class Limits:
    per_second: int = 30
    private_per_second: int = 1
    group_per_minute: int = 20


class Limiter:
    def __init__(
        self, limits: Limits = Limits(), *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = limits
        self.clock = clock
        self._all: deque[float] = deque()
        self._chats: dict[int, deque[float]] = defaultdict(deque)
        self._paused_until: dict[int, float] = {}
        self._global_pause = 0.0
        self._lock = asyncio.Lock()

    async def acquire(self, chat_id: int, *, group: bool) -> None:
        """Waits for the chat's next slot within every limit, then books it.

        A chat's own wait is slept alone; the overall pace is waited holding the lock,
        so senders take the overall slots in turn (asyncio.Lock is first come, first
        served) instead of all waking for each slot and all but one sleeping again."""
        while True:
            own = self._chat_wait(chat_id, group)
            if own > 0:
                await asyncio.sleep(own)
                continue
            async with self._lock:
                while self._chat_wait(chat_id, group) <= 0:
                    wait = self._overall_wait()
                    if wait <= 0:
                        now = self.clock()
                        self._all.append(now)
                        self._chats[chat_id].append(now)
                        return
                    await asyncio.sleep(wait)

    def pause(self, chat_id: int | None, seconds: float) -> None:
        """After a 429: that chat (or, with None, everything) waits `seconds`."""
        until = self.clock() + seconds
        if chat_id is None:
            self._global_pause = max(self._global_pause, until)
        else:
            self._paused_until[chat_id] = max(self._paused_until.get(chat_id, 0.0), until)

    def busy(self) -> bool:
        """Whether the last second used most of the overall limit (a 429 then is global)."""
        now = self.clock()
        return sum(1 for t in self._all if t > now - 1.0) >= 0.9 * self.limits.per_second

    def _overall_wait(self) -> float:
        """How long until any message may go: a global pause, the overall window, and
        the even pace."""
        now = self.clock()
        waits = [
            self._global_pause - now,
            _window_wait(self._all, self.limits.per_second, 1.0, now),
        ]
        # Evenly paced rather than in bursts: a burst's requests reach Telegram spread
        # out, and the tail of one burst can meet the head of the next in its window.
        if self._all:
            waits.append(self._all[-1] + (1.0 + PACE_MARGIN) / self.limits.per_second - now)
        return max(waits)

    def _chat_wait(self, chat_id: int, group: bool) -> float:
        """How long until this chat may get a message: its pause and its own window."""
        now = self.clock()
        if group:
            window = _window_wait(self._chats[chat_id], self.limits.group_per_minute, 60.0, now)
        else:
            window = _window_wait(self._chats[chat_id], self.limits.private_per_second, 1.0, now)
        return max(self._paused_until.get(chat_id, 0.0) - now, window)


# Our windows are a little longer than Telegram's, so that a request's travel time
# never makes two of our windows look like one of theirs.
MARGIN = 0.02
PACE_MARGIN = 0.005


def _window_wait(window: deque[float], limit: int, span: float, now: float) -> float:
    """How long until `window` has room for one more within `limit` per `span`."""
    span += MARGIN
    while window and window[0] <= now - span:
        window.popleft()
    if len(window) < limit:
        return 0.0
    return window[-limit] + span - now + 0.001
