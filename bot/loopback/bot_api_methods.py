"""The Bot API methods the loopback fake serves (getUpdates, sendMessage, ...), each
checked as Telegram checks it, with the failures a test injected."""

from __future__ import annotations

import copy
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from bot.loopback.bot_api_state import Call, Core, Failure
from bot.loopback.telegram_rules import (
    CONFLICT,
    NOT_MODIFIED,
    ApiError,
    Json,
    a_user,
    chat_id_of,
    chat_member,
    checked_markup,
    forward_origin,
    message_text,
    preview_options,
    set_optional,
)


class BotApiMethods(Core):
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
            if failure.chat_id is not None and chat_id_of(params) != failure.chat_id:
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
                    raise ApiError(409, CONFLICT)
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
        text, entities = message_text(params)
        markup = checked_markup(params.get("reply_markup"))
        self._check_rate(chat)
        message = self._new_message(chat, self.bot_user, text=text)
        if entities:
            message["entities"] = entities
        if markup:
            message["reply_markup"] = markup
        if params.get("message_thread_id"):
            message["message_thread_id"] = int(params["message_thread_id"])
        options = preview_options(params)
        if options is not None:
            message["link_preview_options"] = options
        self._state.messages[chat["id"]].append(message)
        return message

    def _m_editMessageText(self, params: Json) -> Json:
        """As Telegram: the message's link preview is drawn anew from the options given
        with the edit; an edit without them gets the default preview (the first link of
        the text, below it), whatever the message had."""
        message = self._own_message(params)
        text, entities = message_text(params)
        markup = checked_markup(params.get("reply_markup"))
        options = preview_options(params)
        if (
            text == message.get("text")
            and entities == message.get("entities", [])
            and markup == message.get("reply_markup")
            and options == message.get("link_preview_options")
        ):
            raise ApiError(400, NOT_MODIFIED)
        message.update(text=text, edit_date=int(time.time()))
        set_optional(message, "entities", entities)
        set_optional(message, "reply_markup", markup)
        set_optional(message, "link_preview_options", options)
        return message

    def _m_editMessageReplyMarkup(self, params: Json) -> Json:
        message = self._own_message(params)
        markup = checked_markup(params.get("reply_markup"))
        if markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        set_optional(message, "reply_markup", markup)
        message["edit_date"] = int(time.time())
        return message

    def _m_deleteMessage(self, params: Json) -> bool:
        message = self._find_message(chat_id_of(params), int(params.get("message_id", 0)))
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
        message = self._new_message(target, self.bot_user, text=original["text"],
                                    forward_origin=forward_origin(original))  # fmt: skip
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
        return chat_member(self._user_for(chat, user_id), status)

    def _m_getChatAdministrators(self, params: Json) -> list[Json]:
        chat = self._known_chat(params)
        return [
            chat_member(self._user_for(chat, user_id), status)
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
        chat = self._state.chats.get(chat_id_of(params))
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _own_message(self, params: Json) -> Json:
        """A message the bot may edit: one it sent itself."""
        message = self._find_message(chat_id_of(params), int(params.get("message_id", 0)))
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _user_for(self, chat: Json, user_id: int) -> Json:
        if user_id == self.bot_user["id"]:
            return self.bot_user
        for message in self._state.messages.get(chat["id"], []):
            if message.get("from", {}).get("id") == user_id:
                return dict(message["from"])
        return a_user(user_id)

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


def _failure_error(failure: Failure) -> ApiError:
    parameters: Json = {}
    if failure.retry_after is not None:
        parameters["retry_after"] = failure.retry_after
    if failure.migrate_to_chat_id is not None:
        parameters["migrate_to_chat_id"] = failure.migrate_to_chat_id
    assert failure.code is not None
    return ApiError(failure.code, failure.description, parameters or None)
