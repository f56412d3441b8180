"""The Bot API methods of the fake server (a mixin of FakeBotAPI): state in, JSON result out."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any

from fake_bot_html import HtmlError, parse_telegram_html, utf16_len


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.code, self.description, self.parameters = code, description, parameters


class DropConnection(Exception):
    """Close the socket without sending any response (a dropped connection)."""


def _admin_member(user: dict[str, Any], status: str = "administrator") -> dict[str, Any]:
    if status != "administrator":
        return {"status": status, "user": user, "is_anonymous": False}
    rights = [
        "can_be_edited",
        "is_anonymous",
        "can_manage_chat",
        "can_delete_messages",
        "can_manage_video_chats",
        "can_restrict_members",
        "can_promote_members",
        "can_change_info",
        "can_invite_users",
        "can_post_stories",
        "can_edit_stories",
        "can_delete_stories",
    ]
    member: dict[str, Any] = {"status": status, "user": user, **{r: False for r in rights}}
    member.update(can_manage_chat=True, can_post_messages=True, can_edit_messages=True)
    return member


class BotMethods:
    """getUpdates, sendMessage/sendPhoto, edits, getFile, getChat, getChatMember and the rest."""

    token: str
    bot_user: dict[str, Any]
    updates: list[dict[str, Any]]
    files: dict[str, tuple[str, bytes]]
    chats: dict[str, dict[str, Any]]
    members: dict[tuple[int, int], str]
    sent: dict[tuple[int, int], dict[str, Any]]
    faults: dict[str, list[tuple[int, int]]]
    _ids: itertools.count[int]
    _cond: threading.Condition
    _server: Any

    @staticmethod
    def user(user_id: int = 501, lang: str = "en", name: str = "Ann") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": name, "language_code": lang}

    def _call(self, method: str, p: dict[str, Any], files: dict[str, bytes]) -> Any:
        with self._cond:
            queue = self.faults.get(method)
            fault = queue.pop(0) if queue else None
        if fault is not None:
            status, retry_after = fault
            if status == 0:
                raise DropConnection(method)
            if status == 429:
                raise ApiError(
                    429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
                )
            raise ApiError(status, "Internal Server Error")
        if method == "getUpdates":
            return self._get_updates(p)
        if method == "getMe":
            return {
                **self.bot_user,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": True,
            }
        if method in ("sendMessage", "sendPhoto"):
            return self._send_message(method, p, files)
        if method in ("editMessageText", "editMessageReplyMarkup"):
            return self._edit(method, p)
        if method == "answerInlineQuery":
            for result in p.get("results", []):
                content = result.get("input_message_content", {})
                self._check_text(content.get("message_text", ""), content.get("parse_mode"), 4096, "message")
            return True
        if method == "getFile":
            entry = self.files.get(str(p.get("file_id")))
            if entry is None:
                raise ApiError(400, "Bad Request: invalid file_id")
            return {
                "file_id": p["file_id"],
                "file_unique_id": "u" + str(p["file_id"]),
                "file_size": len(entry[1]),
                "file_path": entry[0],
            }
        if method == "getChat":
            chat = self.chats.get(str(p.get("chat_id")).lower())
            if chat is None:
                raise ApiError(400, "Bad Request: chat not found")
            return {"accent_color_id": 0, "max_reaction_count": 11, **chat}
        if method == "getChatMember":
            member_status = self.members.get((int(p["chat_id"]), int(p["user_id"])), "member")
            user = self.bot_user if int(p["user_id"]) == self.bot_user["id"] else self.user(int(p["user_id"]))
            return _admin_member(user, member_status)
        if method == "getMyCommands":
            return []
        return True  # setMyCommands, deleteWebhook, sendChatAction, answerCallbackQuery, ...

    def _get_updates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        offset, timeout, limit = (
            int(p.get("offset") or 0),
            float(p.get("timeout") or 0),
            int(p.get("limit") or 100),
        )
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if offset:
                    self.updates = [u for u in self.updates if u["update_id"] >= offset]
                ready = self.updates[:limit]
                remaining = deadline - time.monotonic()
                if ready or remaining <= 0 or self._server is None:
                    return ready
                self._cond.wait(min(remaining, 0.2))

    def _check_text(self, text: str, parse_mode: str | None, limit: int, what: str) -> str:
        plain = text
        if parse_mode and parse_mode.upper() == "HTML":
            try:
                plain = parse_telegram_html(text)
            except HtmlError as err:
                raise ApiError(400, f"Bad Request: can't parse entities: {err}") from err
        if what == "message" and not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if utf16_len(plain.strip()) > limit:
            raise ApiError(400, f"Bad Request: {what} is too long")
        return plain

    def _send_message(self, method: str, p: dict[str, Any], files: dict[str, bytes]) -> dict[str, Any]:
        chat_id = int(p["chat_id"])
        chat = self.chats.get(str(chat_id)) or {
            "id": chat_id,
            "type": "private" if int(chat_id) > 0 else "supergroup",
            "first_name": "x",
            "title": "x",
        }
        msg: dict[str, Any] = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
        }
        if method == "sendMessage":
            msg["text"] = self._check_text(str(p.get("text", "")), p.get("parse_mode"), 4096, "message")
        else:
            if "photo" not in files:
                raise ApiError(400, "Bad Request: there is no photo in the request")
            msg["photo"] = [
                {"file_id": f"photo-{msg['message_id']}", "file_unique_id": "p", "width": 1, "height": 1}
            ]
            caption = str(p.get("caption", ""))
            msg["caption"] = self._check_text(caption, p.get("parse_mode"), 1024, "message caption")
        if "reply_markup" in p:
            msg["reply_markup"] = p["reply_markup"]
        with self._cond:
            self.sent[(int(chat_id), msg["message_id"])] = msg
        return msg

    def _edit(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        key = (int(p["chat_id"]), int(p["message_id"]))
        with self._cond:
            msg = self.sent.get(key)
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        new = dict(msg)
        if method == "editMessageText":
            new["text"] = self._check_text(str(p.get("text", "")), p.get("parse_mode"), 4096, "message")
        new["reply_markup"] = p.get("reply_markup")
        if new.get("text") == msg.get("text") and new.get("reply_markup") == msg.get("reply_markup"):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup",
            )
        with self._cond:
            self.sent[key] = new
        return new
