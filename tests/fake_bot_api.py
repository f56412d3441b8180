"""A small fake Telegram Bot API on 127.0.0.1 for driving the real python-telegram-bot client.

Standard library only (ThreadingHTTPServer in a thread). It records every call, serves injected
updates through getUpdates long polling (offset/timeout semantics), serves files for getFile,
injects faults (429 with retry_after, 500, or a dropped connection: ``status=0``), can make a
method slow (``slow``; a request whose client died during the delay is never processed), and
validates HTML like Telegram does: a 400 "Bad Request: can't parse entities: ..." for malformed
markup, and the 4096 / 1024 limits measured on the text after entity parsing.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import unquote

from fake_bot_http import client_alive_after, entities, read_request
from fake_bot_methods import ApiError, BotMethods, DropConnection

TOKEN = "123456:TEST-token-abcdefghijklmnopqrstuvwxyz"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, bytes]
    status: int = 200
    result: Any = None
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status == 200


class FakeBotAPI(BotMethods):
    """Start with ``start()``; point the client at ``base_url`` / ``base_file_url``."""

    def __init__(self, token: str = TOKEN, username: str = "cca_test_bot") -> None:
        self.token = token
        self.bot_user: dict[str, Any] = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "CCA Bot",
            "username": username,
        }
        self.username = username
        self.calls: list[Call] = []
        self.in_flight: dict[str, int] = {}  # slowed requests currently on their way
        self.updates: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []  # every update ever pushed (to replay them)
        self.files: dict[str, tuple[str, bytes]] = {}
        self.chats: dict[str, dict[str, Any]] = {}
        self.members: dict[tuple[int, int], str] = {}
        self.sent: dict[tuple[int, int], dict[str, Any]] = {}
        self.faults: dict[str, list[tuple[int, int]]] = {}
        self.delays: dict[str, float] = {}
        self._ids = itertools.count(1000)
        self._update_ids = itertools.count(1)
        self._cond = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> Self:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                api._dispatch(self)

            def do_POST(self) -> None:
                api._dispatch(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            with self._cond:
                self._cond.notify_all()
            self._server.shutdown()
            self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # -- test controls ----------------------------------------------------------------------
    def fail_next(self, method: str, times: int = 1, status: int = 429, retry_after: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer ``status`` (429 carries retry_after);
        ``status=0`` closes the socket without any response (before the request is processed)."""
        with self._cond:
            self.faults.setdefault(method, []).extend([(status, retry_after)] * times)

    def replay(self, updates: list[dict[str, Any]]) -> None:
        """Serve ``updates`` again, as Telegram does when their offset was never confirmed."""
        with self._cond:
            self.updates[:0] = updates
            self._cond.notify_all()

    def slow(self, method: str, seconds: float) -> None:
        """Wait ``seconds`` before processing ``method`` (models the upload reaching Telegram)."""
        self.delays[method] = seconds

    def delivered(self, method: str, chat_id: int) -> int:
        """How many ``method`` calls to ``chat_id`` Telegram accepted (i.e. the user saw)."""
        return sum(1 for c in self.calls_of(method) if c.params.get("chat_id") == chat_id)

    def add_chat(self, chat: dict[str, Any]) -> None:
        self.chats[str(chat["id"])] = chat
        if chat.get("username"):
            self.chats["@" + chat["username"].lower()] = chat

    def set_member(self, chat_id: int, user_id: int, status: str) -> None:
        self.members[(chat_id, user_id)] = status

    def add_file(self, data: bytes, name: str) -> tuple[str, int]:
        file_id = f"file-{next(self._ids)}"
        self.files[file_id] = (f"documents/{name}", data)
        return file_id, len(data)

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            update = {"update_id": next(self._update_ids), kind: payload}
            self.updates.append(update)
            self.history.append(update)
            self._cond.notify_all()
        return payload

    def calls_of(self, method: str, ok: bool | None = True) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method and (ok is None or c.ok == ok)]

    def matching(self, method: str, where: Any = None) -> list[Call]:
        """Successful ``method`` calls that satisfy ``where`` (all of them when it is None)."""
        return [c for c in self.calls_of(method) if where is None or where(c)]

    async def wait_for(self, method: str, n: int = 1, where: Any = None, timeout: float = 20.0) -> list[Call]:
        """Wait (without blocking the event loop) until ``n`` successful calls match."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.matching(method, where)
            if len(found) >= n:
                return found
            if time.monotonic() > deadline:
                seen = [(c.method, c.status, str(c.params.get("text", ""))[:60]) for c in self.calls]
                raise AssertionError(f"waited for {n} x {method}; calls: {seen}")
            await asyncio.sleep(0.02)

    async def quiet(self, seconds: float = 0.5) -> None:
        await asyncio.sleep(seconds)

    # -- update builders --------------------------------------------------------------------
    @staticmethod
    def private_chat(user: dict[str, Any]) -> dict[str, Any]:
        return {"id": user["id"], "type": "private", "first_name": user["first_name"]}

    @staticmethod
    def group_chat(chat_id: int = -100777, title: str = "Silk Road fans") -> dict[str, Any]:
        return {"id": chat_id, "type": "supergroup", "title": title}

    def message(
        self,
        chat: dict[str, Any],
        user: dict[str, Any] | None,
        text: str | None = None,
        reply_to: dict[str, Any] | None = None,
        document: dict[str, Any] | None = None,
        sender_chat: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        msg: dict[str, Any] = {"message_id": next(self._ids), "date": int(time.time()), "chat": chat}
        if user is not None:
            msg["from"] = user
        if sender_chat is not None:
            msg["sender_chat"] = sender_chat
        if text is not None:
            msg["text"] = text
            found = entities(text)
            if found:
                msg["entities"] = found
        if reply_to is not None:
            msg["reply_to_message"] = reply_to
        if document is not None:
            msg["document"] = document
        return self.push("message", msg)

    def callback(self, user: dict[str, Any], message: dict[str, Any], data: str) -> dict[str, Any]:
        query = {
            "id": str(next(self._ids)),
            "from": user,
            "message": message,
            "chat_instance": "ci",
            "data": data,
        }
        return self.push("callback_query", query)

    def inline(self, user: dict[str, Any], query: str) -> dict[str, Any]:
        return self.push(
            "inline_query", {"id": str(next(self._ids)), "from": user, "query": query, "offset": ""}
        )

    # -- HTTP -----------------------------------------------------------------------------
    def _dispatch(self, handler: BaseHTTPRequestHandler) -> None:
        path = unquote(handler.path.split("?", 1)[0])
        file_prefix = f"/file/bot{self.token}/"
        if path.startswith(file_prefix):
            wanted = path[len(file_prefix) :]
            with self._cond:
                self.calls.append(Call("download", {"file_path": wanted}, {}))
            body = next((data for fp, data in self.files.values() if fp == wanted), None)
            self._send(
                handler, 200 if body is not None else 404, body or b"Not Found", "application/octet-stream"
            )
            return
        prefix = f"/bot{self.token}/"
        if not path.startswith(prefix):
            self._reply(handler, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        method = path[len(prefix) :]
        params, files = read_request(handler)
        call = Call(method, params, files)
        if self.delays.get(method):
            with self._cond:
                self.in_flight[method] = self.in_flight.get(method, 0) + 1
            try:
                if not client_alive_after(handler, self.delays[method]):
                    return  # the client died while its request was on the way: never processed
            finally:
                with self._cond:
                    self.in_flight[method] -= 1
        try:
            call.result = self._call(method, params, files)
            payload: dict[str, Any] = {"ok": True, "result": call.result}
        except ApiError as err:
            call.status = err.code
            payload = {"ok": False, "error_code": err.code, "description": err.description}
            if err.parameters:
                payload["parameters"] = err.parameters
        except DropConnection:
            call.status = 0
            with self._cond:
                self.calls.append(call)
            handler.close_connection = True
            with contextlib.suppress(OSError):
                handler.connection.shutdown(socket.SHUT_RDWR)
            return
        if method != "getUpdates" or call.result:
            with self._cond:
                self.calls.append(call)
        self._reply(handler, call.status, payload)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", ctype)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up
            handler.wfile.write(body)

    def _reply(self, handler: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        self._send(handler, status, json.dumps(payload).encode(), "application/json")
