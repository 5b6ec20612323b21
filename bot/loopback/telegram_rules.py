"""What the Telegram Bot API accepts and how it answers, for the loopback fake
(bot/loopback/bot_api.py): its limits, its errors, how parameters arrive, message
texts and their entities, link preview options, inline keyboards, members."""

from __future__ import annotations

import html
import json
import re
import select
import socket
import urllib.request
from typing import Any
from urllib.parse import urljoin, urlsplit

from bot.loopback.telegram_html import EntityParseError, parse_html

MAX_TEXT = 4096
# Who `from` says wrote a message an anonymous group admin sent (Telegram's own account).
GROUP_ANONYMOUS_BOT = {"id": 1087968824, "is_bot": True, "first_name": "Group",
                       "username": "GroupAnonymousBot"}  # fmt: skip
CHANNEL_BOT = {"id": 136817688, "is_bot": True, "first_name": "Channel",
               "username": "Channel_Bot"}  # fmt: skip
MAX_CALLBACK_DATA = 64
MAX_ENTITIES = 100
# Parameters that arrive as plain strings even when they look like JSON.
STRING_PARAMS = {
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


CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot "
    "instance is running"
)
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply "
    "markup are exactly the same as a current content and reply markup of the message"
)


def forward_origin(original: Json) -> Json:
    """Where a forwarded message came from, as Telegram says it (MessageOrigin)."""
    if original["chat"]["type"] == "channel":
        return {"type": "channel", "chat": original["chat"], "date": original["date"],
                "message_id": original["message_id"]}  # fmt: skip
    if "from" in original:
        return {"type": "user", "sender_user": original["from"], "date": original["date"]}
    return {"type": "chat", "sender_chat": original["chat"], "date": original["date"]}


def a_user(user_id: int, first_name: str = "Test", language_code: str | None = "en") -> Json:
    """A Telegram User who is not a bot."""
    user: Json = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        user["language_code"] = language_code
    return user


def chat_member(user: Json, status: str) -> Json:
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


def chat_id_of(params: Json) -> int:
    try:
        return int(params.get("chat_id", 0))
    except (TypeError, ValueError):
        raise ApiError(400, "Bad Request: chat not found") from None


def message_text(params: Json) -> tuple[str, list[Json]]:
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
PREVIEW_FIELDS = {"is_disabled": bool, "url": str, "prefer_small_media": bool,
                   "prefer_large_media": bool, "show_above_text": bool}  # fmt: skip
OG_IMAGE = re.compile(
    r"""<meta\s[^>]*?(?:property|name)=["'](?:og:image|twitter:image)["'][^>]*?"""
    r"""content=["']([^"']+)["']""",
    re.I,
)


def preview_options(params: Json) -> Json | None:
    """The message's link preview options, checked as Telegram checks them (an object
    whose fields have their documented types; fields it does not know are ignored);
    disable_web_page_preview, the older parameter, as is_disabled."""
    options = params.get("link_preview_options")
    if options is None or options == "":
        return {"is_disabled": True} if params.get("disable_web_page_preview") else None
    if not isinstance(options, dict):
        raise ApiError(400, "Bad Request: can't parse link preview options JSON object")
    checked: Json = {}
    for name, kind in PREVIEW_FIELDS.items():
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


def page_image(url: str) -> str | None:
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
    found = OG_IMAGE.search(page)
    return urljoin(url, html.unescape(found[1])) if found else None


def checked_markup(markup: Any) -> Json | None:
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


def set_optional(message: Json, key: str, value: Any) -> None:
    if value:
        message[key] = value
    else:
        message.pop(key, None)


def decode_params(pairs: list[tuple[str, str]]) -> Json:
    params: Json = {}
    for key, value in pairs:
        if key in STRING_PARAMS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def hung_up(connection: socket.socket) -> bool:
    """Whether the client closed its end (reading would give nothing, at once)."""
    try:
        poller = select.poll()
        poller.register(connection, select.POLLIN)
        return bool(poller.poll(0)) and connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True
