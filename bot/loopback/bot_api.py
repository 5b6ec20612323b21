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
"""

from __future__ import annotations

import copy
import html
import itertools
import json
import re
import select
import socket
import threading
import time
import urllib.request
from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from bot.loopback.server import LoopbackServer, serve
from bot.loopback.telegram_html import EntityParseError, parse_html, utf16_len

MAX_TEXT = 4096
# Who `from` says wrote a message an anonymous group admin sent (Telegram's own account).
GROUP_ANONYMOUS_BOT = {"id": 1087968824, "is_bot": True, "first_name": "Group",
                       "username": "GroupAnonymousBot"}  # fmt: skip
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel",
               "username": "Channel_Bot"}  # fmt: skip
MAX_CALLBACK_DATA = 64
MAX_ENTITIES = 100
# Parameters that arrive as plain strings even when they look like JSON.
_STRING_PARAMS = {
    "text", "parse_mode", "callback_query_id", "language_code", "url", "description",
    "short_description", "inline_message_id", "caption", "name", "emoji",
}  # fmt: skip

Json = dict[str, Any]


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: Json | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


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


class FakeBotAPI:
    """Start with `with FakeBotAPI() as api:`; point the bot at `api.base_url`."""

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

    # ---- acting as users --------------------------------------------------
    @staticmethod
    def user(user_id: int, first_name: str = "Test", language_code: str | None = "en") -> Json:
        user: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            user["language_code"] = language_code
        return user

    @staticmethod
    def private_chat(user: Json) -> Json:
        return {"id": user["id"], "type": "private", "first_name": user["first_name"]}

    @staticmethod
    def group(chat_id: int, title: str = "Group", *, forum: bool = False) -> Json:
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        chat: Json = {"id": chat_id, "type": kind, "title": title}
        if forum:
            chat["is_forum"] = True
        return chat

    @staticmethod
    def channel(chat_id: int, title: str = "Channel", username: str | None = None) -> Json:
        chat: Json = {"id": chat_id, "type": "channel", "title": title}
        if username:
            chat["username"] = username
        return chat

    def register(self, chat: Json) -> None:
        """Makes a chat known (as if its user had written once), without an update."""
        with self._cond:
            self._state.chats[chat["id"]] = chat

    def send(
        self, user: Json, text: str, *, chat: Json | None = None, thread_id: int | None = None
    ) -> Json:
        """A user writes `text` (a /command gets its bot_command entity)."""
        chat = chat or self.private_chat(user)
        message = self._user_message(chat, text, sender=user)
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        self._push({"message": message})
        return message

    def migrate_group(
        self, group: Json, new_id: int, by: Json, *, announce: tuple[str, ...] = ("to", "from")
    ) -> Json:
        """A group becomes a supergroup (a new chat). Telegram says so twice: a service
        message in the old group (migrate_to_chat_id) and the supergroup's first message
        (migrate_from_chat_id). The two chats' updates are not ordered between them:
        `announce` is the order they come in, or () to send them later with
        `announce_migration`. Sending to the old group is refused from now on, with 400
        and migrate_to_chat_id, as Telegram refuses it."""
        supergroup = {"id": new_id, "type": "supergroup", "title": group.get("title", "")}
        with self._cond:
            self._state.chats[new_id] = supergroup
            self._state.migrated[group["id"]] = new_id
            for (chat_id, user_id), status in list(self._state.members.items()):
                if chat_id == group["id"]:
                    self._state.members[(new_id, user_id)] = status
        for side in announce:
            self.announce_migration(group, supergroup, by, side)
        return supergroup

    def announce_migration(self, group: Json, supergroup: Json, by: Json, side: str) -> Json:
        """One of a migration's two service messages: "to" in the old group, "from" in
        the new supergroup."""
        chat = group if side == "to" else supergroup
        with self._cond:
            message: Json = {
                "message_id": next(self._message_ids[chat["id"]]),
                "date": int(time.time()), "chat": chat, "from": by,
            }  # fmt: skip
            if side == "to":
                message["migrate_to_chat_id"] = supergroup["id"]
            else:
                message["migrate_from_chat_id"] = group["id"]
        self._push({"message": message})
        return message

    def send_anonymously(self, group: Json, text: str) -> Json:
        """An anonymous admin writes: Telegram shows the group as the sender (sender_chat)
        and gives GroupAnonymousBot as `from`, a user that is no member of the group."""
        message = self._user_message(group, text, sender=None)
        with self._cond:
            message.update({"from": dict(GROUP_ANONYMOUS_BOT), "sender_chat": group})
        self._push({"message": message})
        return message

    def send_as_channel(self, group: Json, channel: Json, text: str) -> Json:
        """Someone writes in a group as their channel: `sender_chat` is the channel and
        `from` Telegram's Channel_Bot account."""
        message = self._user_message(group, text, sender=None)
        with self._cond:
            message.update({"from": dict(CHANNEL_BOT), "sender_chat": channel})
        self._push({"message": message})
        return message

    def remove_bot(self, chat: Json, by: Json, *, status: str = "left") -> None:
        """`by` removes the bot from a group or channel ("left"; "kicked": banned, or a
        private chat's user blocked it). Sending there is refused with 403 until `add_bot`."""
        with self._cond:
            old = self._state.members.get((chat["id"], self.bot_user["id"]), "member")
            self._state.members[(chat["id"], self.bot_user["id"])] = status
        event = {
            "chat": chat,
            "from": by,
            "date": int(time.time()),
            "old_chat_member": _member(self.bot_user, old),
            "new_chat_member": _member(self.bot_user, status),
        }
        self._push({"my_chat_member": event})

    def post_to_channel(self, channel: Json, text: str) -> Json:
        message = self._user_message(channel, text, sender=None)
        message["sender_chat"] = channel
        self._push({"channel_post": message})
        return message

    def press(
        self, user: Json, message: Json, *, text: str | None = None, data: str | None = None
    ) -> str:
        """A user presses the inline button shown with `text` (or carrying `data`)."""
        with self._cond:
            current = self._find_message(message["chat"]["id"], message["message_id"])
            buttons = [
                button
                for row in (current.get("reply_markup") or {}).get("inline_keyboard", [])
                for button in row
            ]
            chosen = [b for b in buttons if b.get("text") == text or b.get("callback_data") == data]
            if not chosen or "callback_data" not in chosen[0]:
                shown = [b.get("text") for b in buttons]
                raise AssertionError(f"no such button {text or data!r} on the message: {shown}")
            query_id = str(next(self._ids) + 10_000)
            query = {
                "id": query_id,
                "from": user,
                "message": copy.deepcopy(current),
                "chat_instance": str(current["chat"]["id"]),
                "data": chosen[0]["callback_data"],
            }
            self._state.callbacks[query_id] = {"answered": False}
        self._push({"callback_query": query})
        return query_id

    def press_data(self, user: Json, message: Json, data: str) -> str:
        """A press whose callback_data no button of the message carries: Telegram passes
        on what a client sends ("a bad client can send arbitrary data in this field")."""
        with self._cond:
            current = self._find_message(message["chat"]["id"], message["message_id"])
            query_id = str(next(self._ids) + 10_000)
            query = {"id": query_id, "from": user, "message": copy.deepcopy(current),
                     "chat_instance": str(current["chat"]["id"]), "data": data}  # fmt: skip
            self._state.callbacks[query_id] = {"answered": False}
        self._push({"callback_query": query})
        return query_id

    def add_bot(self, chat: Json, by: Json, *, status: str = "member") -> None:
        """`by` adds the bot to a group or channel with `status` (member, administrator)."""
        with self._cond:
            self._state.chats[chat["id"]] = chat
            self._state.members[(chat["id"], self.bot_user["id"])] = status
            self._state.members.setdefault((chat["id"], by["id"]), "creator")
        event = {
            "chat": chat,
            "from": by,
            "date": int(time.time()),
            "old_chat_member": {"status": "left", "user": self.bot_user},
            "new_chat_member": _member(self.bot_user, status),
        }
        self._push({"my_chat_member": event})

    def set_member(self, chat_id: int, user: Json, status: str) -> None:
        """Sets what getChatMember says of `user` (creator, administrator, member, left)."""
        with self._cond:
            self._state.members[(chat_id, user["id"])] = status

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
            "image": _page_image(url),
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

    # ---- the server side -------------------------------------------------------
    def _push(self, payload: Json) -> None:
        with self._cond:
            payload["update_id"] = next(self._ids)
            self._state.updates.append(payload)
            self._cond.notify_all()

    def _user_message(self, chat: Json, text: str, *, sender: Json | None) -> Json:
        with self._cond:
            self._state.chats[chat["id"]] = chat
            message: Json = {
                "message_id": next(self._message_ids[chat["id"]]),
                "date": int(time.time()),
                "chat": chat,
                "text": text,
            }
            if sender is not None:
                message["from"] = sender
                self._state.members.setdefault((chat["id"], sender["id"]), "member")
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
                ]
            self._state.messages[chat["id"]].append(message)
            return message

    def handle(
        self, token: str, method: str, params: Json, gone: Callable[[], bool] = lambda: False
    ) -> tuple[int, Json]:
        """Answers one Bot API call (run on the HTTP server's threads); `gone()` says
        whether the client has hung up (a long poll of a process that died)."""
        if token != self.token:
            with self._cond:  # recorded too: a test sees that a rejected bot stops asking
                self._state.calls.append(Call(method, params, False, 401, time.time()))
                self._cond.notify_all()
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        canonical = _METHODS.get(method.lower())
        delay = 0.0
        try:
            with self._cond:
                failure = self._take_failure(method, params)
                if failure and failure.code is not None:
                    raise _failure_error(failure)
                delay = failure.delay if failure else 0.0
            if canonical is None:
                raise ApiError(404, "Not Found")
            if canonical == "getUpdates":
                result: Any = self._get_updates(params, gone)
            else:
                with self._cond:
                    result = getattr(self, "_m_" + canonical)(params)
            code, body = 200, {"ok": True, "result": result}
        except ApiError as error:
            code = error.code
            body = {"ok": False, "error_code": error.code, "description": error.description}
            if error.parameters:
                body["parameters"] = error.parameters
        with self._cond:
            self._state.calls.append(Call(method, params, code == 200, code, time.time()))
            self._cond.notify_all()
        if delay:
            time.sleep(delay)
        return code, body

    def _take_failure(self, method: str, params: Json) -> Failure | None:
        for failure in self._state.failures:
            if failure.method.lower() != method.lower():
                continue
            if failure.chat_id is not None and _chat_id(params) != failure.chat_id:
                continue
            if failure.times is not None:
                failure.times -= 1
                if failure.times <= 0:
                    self._state.failures.remove(failure)
            return failure
        return None

    def _get_updates(self, params: Json, gone: Callable[[], bool]) -> list[Json]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        allowed = params.get("allowed_updates") or None
        with self._cond:
            # As Telegram: a newer getUpdates ends one still waiting with 409 Conflict.
            self._state.polls += 1
            mine = self._state.polls
            self._cond.notify_all()
            if offset:
                self._state.updates = [u for u in self._state.updates if u["update_id"] >= offset]
            while True:
                if gone():  # its client died or let go: no poller is waiting any more
                    return []
                if self._state.polls != mine:
                    self._state.conflicts += 1
                    raise ApiError(409, _CONFLICT)
                ready = [u for u in self._state.updates if u["update_id"] >= offset]
                if allowed:
                    ready = [u for u in ready if any(k in u for k in allowed)]
                remaining = deadline - time.monotonic()
                if ready or remaining <= 0 or self._stopping:
                    return copy.deepcopy(ready[:limit])
                self._cond.wait(min(remaining, 0.2))

    # Each _m_ method runs with the lock held.
    def _m_getMe(self, params: Json) -> Json:
        return self.bot_user

    def _m_deleteWebhook(self, params: Json) -> bool:
        if params.get("drop_pending_updates"):
            self._state.updates.clear()
        return True

    def _m_getWebhookInfo(self, params: Json) -> Json:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    def _m_close(self, params: Json) -> bool:
        return True

    def _m_setMyCommands(self, params: Json) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands must be a list of at most 100")
        for command in commands:
            name = str(command.get("command", ""))
            if not (1 <= len(name) <= 32) or not all(
                c.islower() or c.isdigit() or c == "_" for c in name
            ):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not (1 <= len(str(command.get("description", ""))) <= 256):
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        scope = (params.get("scope") or {}).get("type", "default")
        self._state.commands[(scope, params.get("language_code") or "")] = commands
        return True

    def _m_getMyCommands(self, params: Json) -> list[Json]:
        scope = (params.get("scope") or {}).get("type", "default")
        return self._state.commands.get((scope, params.get("language_code") or ""), [])

    def _m_deleteMyCommands(self, params: Json) -> bool:
        scope = (params.get("scope") or {}).get("type", "default")
        self._state.commands.pop((scope, params.get("language_code") or ""), None)
        return True

    def _m_sendChatAction(self, params: Json) -> bool:
        self._known_chat(params)
        return True

    def _m_sendMessage(self, params: Json) -> Json:
        chat = self._known_chat(params)
        self._check_reachable(chat)
        text, entities = _message_text(params)
        markup = _checked_markup(params.get("reply_markup"))
        self._check_rate(chat)
        message: Json = {
            "message_id": next(self._message_ids[chat["id"]]),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
            "text": text,
        }
        if entities:
            message["entities"] = entities
        if markup:
            message["reply_markup"] = markup
        if params.get("message_thread_id"):
            message["message_thread_id"] = int(params["message_thread_id"])
        options = _preview_options(params)
        if options is not None:
            message["link_preview_options"] = options
        self._state.messages[chat["id"]].append(message)
        return message

    def _m_editMessageText(self, params: Json) -> Json:
        """As Telegram: the message's link preview is drawn anew from the options given
        with the edit; an edit without them gets the default preview (the first link of
        the text, below it), whatever the message had."""
        message = self._own_message(params)
        text, entities = _message_text(params)
        markup = _checked_markup(params.get("reply_markup"))
        options = _preview_options(params)
        if (
            text == message.get("text")
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
            and options == message.get("link_preview_options")
        ):
            raise ApiError(400, _NOT_MODIFIED)
        message.update(text=text, edit_date=int(time.time()))
        _set_optional(message, "entities", entities)
        _set_optional(message, "reply_markup", markup)
        _set_optional(message, "link_preview_options", options)
        return message

    def _m_editMessageReplyMarkup(self, params: Json) -> Json:
        message = self._own_message(params)
        markup = _checked_markup(params.get("reply_markup"))
        if markup == message.get("reply_markup"):
            raise ApiError(400, _NOT_MODIFIED)
        _set_optional(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        return message

    def _m_deleteMessage(self, params: Json) -> bool:
        message = self._find_message(_chat_id(params), int(params.get("message_id", 0)))
        message["_deleted"] = True
        return True

    def _m_forwardMessage(self, params: Json) -> Json:
        """A copy of any message of a chat the bot is in, posted in another chat; the
        original stays as it was."""
        target = self._known_chat(params)
        source = int(params.get("from_chat_id", 0))
        try:
            original = self._find_message(source, int(params.get("message_id", 0)))
        except ApiError:
            raise ApiError(400, "Bad Request: message to forward not found") from None
        if "text" not in original:
            raise ApiError(400, "Bad Request: message can't be forwarded")
        self._check_rate(target)
        message: Json = {
            "message_id": next(self._message_ids[target["id"]]),
            "date": int(time.time()),
            "chat": target,
            "from": self.bot_user,
            "text": original["text"],
            "forward_origin": _origin(original),
        }
        if original.get("entities"):
            message["entities"] = copy.deepcopy(original["entities"])
        self._state.messages[target["id"]].append(message)
        return message

    def _m_answerCallbackQuery(self, params: Json) -> bool:
        query = self._state.callbacks.get(str(params.get("callback_query_id")))
        if query is None or query["answered"]:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired "
                                "or query ID is invalid")  # fmt: skip
        if len(str(params.get("text") or "")) > 200:  # Telegram's limit for the popup
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        query.update(answered=True, text=params.get("text"),
                     show_alert=params.get("show_alert") in (True, "true", "True"))  # fmt: skip
        return True

    def _m_getChat(self, params: Json) -> Json:
        chat = self._known_chat(params)
        return {**chat, "accent_color_id": 0, "max_reaction_count": 11}

    def _m_getChatMember(self, params: Json) -> Json:
        chat = self._known_chat(params)
        user_id = int(params.get("user_id", 0))
        status = self._state.members.get((chat["id"], user_id))
        if status is None:
            if chat["type"] == "private" and user_id == chat["id"]:
                status = "member"
            else:
                raise ApiError(400, "Bad Request: user not found")
        return _member(self._user_for(chat, user_id), status)

    def _m_getChatAdministrators(self, params: Json) -> list[Json]:
        chat = self._known_chat(params)
        return [
            _member(self._user_for(chat, user_id), status)
            for (chat_id, user_id), status in self._state.members.items()
            if chat_id == chat["id"] and status in ("creator", "administrator")
        ]

    # ---- helpers (lock held) ------------------------------------------------------
    def _known_chat(self, params: Json) -> Json:
        wanted = str(params.get("chat_id", ""))
        if wanted.startswith("@"):
            for known in self._state.chats.values():
                if "@" + str(known.get("username", "")).lower() == wanted.lower():
                    return known
            raise ApiError(400, "Bad Request: chat not found")
        chat = self._state.chats.get(_chat_id(params))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _find_message(self, chat_id: int, message_id: int) -> Json:
        for message in self._state.messages.get(chat_id, []):
            if message["message_id"] == message_id and not message.get("_deleted"):
                return message
        raise ApiError(400, "Bad Request: message to edit not found")

    def _own_message(self, params: Json) -> Json:
        """A message the bot may edit: one it sent itself."""
        message = self._find_message(_chat_id(params), int(params.get("message_id", 0)))
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _user_for(self, chat: Json, user_id: int) -> Json:
        if user_id == self.bot_user["id"]:
            return self.bot_user
        for message in self._state.messages.get(chat["id"], []):
            if message.get("from", {}).get("id") == user_id:
                return dict(message["from"])
        return self.user(user_id)

    def _check_reachable(self, chat: Json) -> None:
        """A migrated group, or a chat the bot was removed from (or blocked in), takes no
        messages: Telegram's 400 with migrate_to_chat_id, or its 403."""
        new_id = self._state.migrated.get(chat["id"])
        if new_id is not None:
            raise ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat",
                           {"migrate_to_chat_id": new_id})  # fmt: skip
        status = self._state.members.get((chat["id"], self.bot_user["id"]))
        if chat["type"] == "private" and status == "kicked":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat["type"] != "private" and status in ("left", "kicked"):
            verb = "was kicked from" if status == "kicked" else "is not a member of"
            raise ApiError(403, f"Forbidden: bot {verb} the {chat['type']} chat")

    def _check_rate(self, chat: Json) -> None:
        now = time.monotonic()
        limits = self.limits
        checks: list[tuple[deque[float], int | None, float]] = [
            (self._state.sends, limits.per_second, 1.0)
        ]
        if chat["type"] == "private":
            checks.append((self._state.chat_sends[chat["id"]], limits.per_chat_per_second, 1.0))
        else:
            checks.append((self._state.chat_sends[chat["id"]], limits.per_group_per_minute, 60.0))
        for window, limit, span in checks:
            while window and window[0] <= now - 60.0:
                window.popleft()
            if limit is None:
                continue
            recent = [t for t in window if t > now - span]
            if len(recent) >= limit:
                retry_after = max(1, int(recent[-limit] + span - now + 0.999))
                self._state.rate_limited += 1
                raise ApiError(
                    429,
                    f"Too Many Requests: retry after {retry_after}",
                    {"retry_after": retry_after},
                )
        for window, _, _ in checks:
            window.append(now)


_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot "
    "instance is running"
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a current content and reply markup of the message"
)
_METHODS = {
    name.lower(): name
    for name in (
        "getMe", "getUpdates", "deleteWebhook", "getWebhookInfo", "close", "setMyCommands",
        "getMyCommands", "deleteMyCommands", "sendChatAction", "sendMessage", "editMessageText",
        "editMessageReplyMarkup", "deleteMessage", "forwardMessage", "answerCallbackQuery",
        "getChat",
        "getChatMember", "getChatAdministrators",
    )
}  # fmt: skip


def _origin(original: Json) -> Json:
    """Where a forwarded message came from, as Telegram says it (MessageOrigin)."""
    if original["chat"]["type"] == "channel":
        return {"type": "channel", "chat": original["chat"], "date": original["date"],
                "message_id": original["message_id"]}  # fmt: skip
    if "from" in original:
        return {"type": "user", "sender_user": original["from"], "date": original["date"]}
    return {"type": "chat", "sender_chat": original["chat"], "date": original["date"]}


def _member(user: Json, status: str) -> Json:
    member: Json = {"status": status, "user": user}
    if status == "administrator":
        member.update(
            can_be_edited=False, is_anonymous=False, can_manage_chat=True,
            can_delete_messages=True, can_manage_video_chats=True, can_restrict_members=True,
            can_promote_members=False, can_change_info=True, can_invite_users=True,
            can_post_stories=False, can_edit_stories=False, can_delete_stories=False,
        )  # fmt: skip
    elif status == "creator":
        member["is_anonymous"] = False
    elif status == "restricted":
        member.update(is_member=True, until_date=0)
    elif status == "kicked":
        member["until_date"] = 0
    return member


def _chat_id(params: Json) -> int:
    try:
        return int(params.get("chat_id", 0))
    except (TypeError, ValueError):
        raise ApiError(400, "Bad Request: chat not found") from None


def _message_text(params: Json) -> tuple[str, list[Json]]:
    source = params.get("text")
    if not isinstance(source, str) or not source.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    mode = str(params.get("parse_mode") or "").lower()
    if mode == "html":
        try:
            parsed = parse_html(source)
        except EntityParseError as error:
            raise ApiError(400, f"Bad Request: {error}") from None
        text, entities = parsed.text, parsed.entities
    elif mode:
        raise ApiError(400, f"Bad Request: unsupported parse_mode {mode!r} in this fake")
    else:
        text, entities = source, list(params.get("entities") or [])
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text) > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    return text, entities[:MAX_ENTITIES]  # Telegram ignores those past the hundredth


# LinkPreviewOptions, as Telegram documents them: each field's JSON type.
_PREVIEW_FIELDS = {"is_disabled": bool, "url": str, "prefer_small_media": bool,
                   "prefer_large_media": bool, "show_above_text": bool}  # fmt: skip
_OG_IMAGE = re.compile(
    r"""<meta\s[^>]*?(?:property|name)=["'](?:og:image|twitter:image)["'][^>]*?"""
    r"""content=["']([^"']+)["']""",
    re.I,
)


def _preview_options(params: Json) -> Json | None:
    """The message's link preview options, checked as Telegram checks them (an object
    whose fields have their documented types; fields it does not know are ignored);
    disable_web_page_preview, the older parameter, as is_disabled."""
    options = params.get("link_preview_options")
    if options is None or options == "":
        return {"is_disabled": True} if params.get("disable_web_page_preview") else None
    if not isinstance(options, dict):
        raise ApiError(400, "Bad Request: can't parse link preview options JSON object")
    checked: Json = {}
    for name, kind in _PREVIEW_FIELDS.items():
        if name not in options:
            continue
        if not isinstance(options[name], kind):
            type_name = "Boolean" if kind is bool else "String"
            raise ApiError(400, f"Bad Request: can't parse link preview options: Field "
                                f'"{name}" must be of type {type_name}')  # fmt: skip
        checked[name] = options[name]
    if "url" in checked and not re.match(r"^https?://", checked["url"]):
        raise ApiError(400, "Bad Request: link preview URL is invalid")
    return checked


def _page_image(url: str) -> str | None:
    """The picture of a page on loopback (its og:image, made absolute), as Telegram's
    preview shows it; None for a page without one, or one the fake cannot reach."""
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        return None
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # loopback only (above)
            page = answer.read(1_000_000).decode("utf-8", "replace")
    except (OSError, ValueError):
        return None
    found = _OG_IMAGE.search(page)
    return urljoin(url, html.unescape(found[1])) if found else None


def _checked_markup(markup: Any) -> Json | None:
    if not markup:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not str(button.get("text", "")).strip():
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not (1 <= len(str(data).encode("utf-8")) <= MAX_CALLBACK_DATA):
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def _set_optional(message: Json, key: str, value: Any) -> None:
    if value:
        message[key] = value
    else:
        message.pop(key, None)


def _failure_error(failure: Failure) -> ApiError:
    parameters: Json = {}
    if failure.retry_after is not None:
        parameters["retry_after"] = failure.retry_after
    if failure.migrate_to_chat_id is not None:
        parameters["migrate_to_chat_id"] = failure.migrate_to_chat_id
    assert failure.code is not None
    return ApiError(failure.code, failure.description, parameters or None)


def _decode_params(pairs: list[tuple[str, str]]) -> Json:
    params: Json = {}
    for key, value in pairs:
        if key in _STRING_PARAMS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def _hung_up(connection: socket.socket) -> bool:
    """Whether the client closed its end (reading would give nothing, at once)."""
    try:
        poller = select.poll()
        poller.register(connection, select.POLLIN)
        return bool(poller.poll(0)) and connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


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
                params = {**_decode_params(pairs), **json.loads(raw)}
            else:
                pairs += parse_qsl(raw.decode("utf-8"), keep_blank_values=True)
                params = _decode_params(pairs)
            code, body = api.handle(segments[0][3:], segments[1], params,
                                    gone=lambda: _hung_up(self.connection))  # fmt: skip
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
