"""The loopback Bot API's other side: a test acting as Telegram's users (sending,
pressing buttons, adding and removing the bot, migrating a group), each act an
update the bot polls for."""

from __future__ import annotations

import copy
import time

from bot.loopback.bot_api_state import Core
from bot.loopback.telegram_html import utf16_len
from bot.loopback.telegram_rules import CHANNEL_BOT, GROUP_ANONYMOUS_BOT, Json, a_user, chat_member


class ActingAsUsers(Core):
    @staticmethod
    def user(user_id: int, first_name: str = "Test", language_code: str | None = "en") -> Json:
        return a_user(user_id, first_name, language_code)

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
            message = self._new_message(chat, by)
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
            "old_chat_member": chat_member(self.bot_user, old),
            "new_chat_member": chat_member(self.bot_user, status),
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
            "new_chat_member": chat_member(self.bot_user, status),
        }
        self._push({"my_chat_member": event})

    def set_member(self, chat_id: int, user: Json, status: str) -> None:
        """Sets what getChatMember says of `user` (creator, administrator, member, left)."""
        with self._cond:
            self._state.members[(chat_id, user["id"])] = status

    def _push(self, payload: Json) -> None:
        with self._cond:
            payload["update_id"] = next(self._ids)
            self._state.updates.append(payload)
            self._cond.notify_all()

    def _user_message(self, chat: Json, text: str, *, sender: Json | None) -> Json:
        with self._cond:
            self._state.chats[chat["id"]] = chat
            message = self._new_message(chat, sender, text=text)
            if sender is not None:
                self._state.members.setdefault((chat["id"], sender["id"]), "member")
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [
                    {"type": "bot_command", "offset": 0, "length": utf16_len(command)}
                ]
            self._state.messages[chat["id"]].append(message)
            return message
