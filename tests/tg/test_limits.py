"""The Limiter's overall pace, met by many senders at once."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.tg.limits import Limiter, Limits


async def test_many_senders_take_the_overall_slots_in_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Forty senders to forty chats at 200 a second: each waits for its slot once (in
    the order they came), not once for every slot that goes to someone else."""
    limiter = Limiter(Limits(per_second=200, private_per_second=1))
    sleeps = 0
    real_sleep = asyncio.sleep

    async def counted(delay: float) -> None:
        nonlocal sleeps
        sleeps += 1
        await real_sleep(delay)

    monkeypatch.setattr(asyncio, "sleep", counted)
    order: list[int] = []

    async def send(chat: int) -> None:
        await limiter.acquire(chat, group=False)
        order.append(chat)

    started = time.monotonic()
    await asyncio.gather(*(send(chat) for chat in range(40)))
    assert order == list(range(40)), "first come, first served"
    assert sleeps <= 40, f"{sleeps} sleeps for 40 slots: the senders woke for each other's"
    assert time.monotonic() - started >= 39 / 200, "still evenly paced"
