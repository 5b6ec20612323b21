"""The loopback Bot API's state: what Telegram holds (chats, messages, members,
updates, calls) and the switches a test sets, behind one lock. The fake's parts
(bot_api_users, bot_api_methods, bot_api) all build on `Core`."""

from __future__ import annotations

import itertools
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.loopback.server import LoopbackServer
from bot.loopback.telegram_rules import ApiError, Json


@dataclass(frozen=True)
class RateLimits:
    """Sends allowed before a 429; None means no limit."""

    per_second: int | None = None  # all chats together
    per_chat_per_second: int | None = None  # each private chat
    per_group_per_minute: int | None = None  # each group, supergroup or channel


@dataclass
class Failure:
    """An injected answer for `method` (and `chat_id` if given), `times` times."""

    method: str
    chat_id: int | None
    code: int | None  # None: answer normally, after `delay`
    description: str
    times: int | None
    retry_after: int | None = None
    migrate_to_chat_id: int | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class Call:
    method: str
    params: Json
    ok: bool
    code: int
    at: float


@dataclass
class _State:
    updates: list[Json] = field(default_factory=list)
    chats: dict[int, Json] = field(default_factory=dict)
    messages: dict[int, list[Json]] = field(default_factory=lambda: defaultdict(list))
    members: dict[tuple[int, int], str] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[Json]] = field(default_factory=dict)
    callbacks: dict[str, Json] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    sends: deque[float] = field(default_factory=deque)
    chat_sends: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    rate_limited: int = 0
    polls: int = 0  # getUpdates calls so far
    conflicts: int = 0  # getUpdates ended by a newer one (two pollers at once)
    migrated: dict[int, int] = field(default_factory=dict)  # old group id -> supergroup id


class Core:
    """The state and its lock; what the users' side and the methods' side share."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        *,
        bot_id: int = 123456,
        username: str = "newsbot_test_bot",
        limits: RateLimits | None = None,
        port: int = 0,
    ) -> None:
        self.token = token
        self.port = port  # 0: a free one; a test that starts "Telegram" late picks its own
        self.bot_user: Json = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "newsbot",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.limits = limits or RateLimits()
        self._state = _State()
        self._cond = threading.Condition()
        self._ids = itertools.count(1)
        self._message_ids: dict[int, Iterator[int]] = defaultdict(lambda: itertools.count(1))
        self._server: LoopbackServer | None = None
        self._stopping = False

    def _new_message(self, chat: Json, sender: Json | None, **fields: object) -> Json:
        """A new message of `chat`: its next id, the time now, `from` the sender (none
        for None), then `fields`. Call it holding the lock; the caller stores it."""
        message: Json = {"message_id": next(self._message_ids[chat["id"]]),
                         "date": int(time.time()), "chat": chat}  # fmt: skip
        if sender is not None:
            message["from"] = sender
        message.update(fields)
        return message

    def _find_message(self, chat_id: int, message_id: int) -> Json:
        for message in self._state.messages.get(chat_id, []):
            if message["message_id"] == message_id and not message.get("_deleted"):
                return message
        raise ApiError(400, "Bad Request: message to edit not found")
