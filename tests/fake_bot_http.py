"""HTTP plumbing of the fake Bot API: request parsing, client liveness, message entities."""

from __future__ import annotations

import email.parser
import email.policy
import json
import re
import select
import socket
import time
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs

from fake_bot_html import utf16_len

JSON_KEYS = {
    "reply_markup",
    "results",
    "entities",
    "caption_entities",
    "commands",
    "allowed_updates",
    "reply_parameters",
    "link_preview_options",
    "scope",
    "media",
    "button",
}
INT_KEYS = {
    "chat_id",
    "message_id",
    "offset",
    "timeout",
    "limit",
    "user_id",
    "reply_to_message_id",
    "cache_time",
    "from_chat_id",
}


def read_request(handler: BaseHTTPRequestHandler) -> tuple[dict[str, Any], dict[str, bytes]]:
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length) if length else b""
    ctype = handler.headers.get("Content-Type", "")
    raw: dict[str, str] = {}
    files: dict[str, bytes] = {}
    if ctype.startswith("multipart/form-data"):
        msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body
        )
        for part in msg.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            if part.get_filename():
                files[str(name)] = data
            else:
                raw[str(name)] = data.decode("utf-8")
    elif ctype.startswith("application/json") and body:
        return json.loads(body), files
    elif body:
        raw = {k: v[-1] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
    params: dict[str, Any] = {}
    for key, value in raw.items():
        if key in JSON_KEYS or value in ("true", "false"):
            params[key] = json.loads(value)
        elif key in INT_KEYS and re.fullmatch(r"-?\d+", value):
            params[key] = int(value)
        else:
            params[key] = value
    return params, files


def client_alive_after(handler: BaseHTTPRequestHandler, seconds: float) -> bool:
    """Sleep, then report whether the client still holds the connection (EOF = it went away)."""
    time.sleep(seconds)
    sock = handler.connection
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return True
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except OSError:
        return False


def entities(text: str) -> list[dict[str, Any]]:
    """bot_command at the start and @mentions, with offsets in UTF-16 code units."""
    found = []
    for match in re.finditer(r"(?:^/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?)|(?:(?<!\w)@[A-Za-z0-9_]{5,32})", text):
        kind = "bot_command" if match.group(0).startswith("/") else "mention"
        found.append(
            {"type": kind, "offset": utf16_len(text[: match.start()]), "length": utf16_len(match.group(0))}
        )
    return found
