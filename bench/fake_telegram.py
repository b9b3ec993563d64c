"""A fake Telegram Bot API that enforces a global rate, for the broadcast benchmark.

A bare ASGI app (no framework: the server shares two cores with the worker it measures),
served by uvicorn like the other bench servers. Configured by the environment:
FAKE_TELEGRAM_RATE (messages accepted in any sliding second) and FAKE_TELEGRAM_LOG (a file
to append every sendMessage to, so the record survives the worker's kill -9: one line per
call, `ok <unix time> <chat id> <text as JSON>` or `429 <unix time> <chat id>`).
Beyond the rate it answers as Telegram does: HTTP 429 {"ok": false, "error_code": 429,
"parameters": {"retry_after": N}}.
"""

from __future__ import annotations

import json
import math
import os
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


class FakeTelegram:
    """Accepts sendMessage within a sliding one-second window, refuses with 429 beyond."""

    def __init__(self, rate: int, log_path: str,
                 now: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.now = rate, now
        self.accepted: deque[float] = deque()  # monotonic times in the last second
        self.sent = self.refused = 0
        self.log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def admit(self, now: float) -> int:
        """Returns 0 when a message may go now, else the seconds to wait (Telegram's N)."""
        while self.accepted and self.accepted[0] <= now - 1.0:
            self.accepted.popleft()
        if len(self.accepted) < self.rate:
            self.accepted.append(now)
            return 0
        return max(1, math.ceil(self.accepted[0] + 1.0 - now))

    def send_message(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = int(params["chat_id"])
        wait = self.admit(self.now())
        if wait:
            self.refused += 1
            os.write(self.log, f"429 {time.time():.6f} {chat_id}\n".encode())
            return 429, {"ok": False, "error_code": 429,
                         "description": f"Too Many Requests: retry after {wait}",
                         "parameters": {"retry_after": wait}}
        self.sent += 1
        text = str(params.get("text", ""))
        line = f"ok {time.time():.6f} {chat_id} {json.dumps(text, ensure_ascii=False)}\n"
        os.write(self.log, line.encode())  # before answering: a kill after it is a duplicate
        return 200, {"ok": True, "result": {
            "message_id": self.sent, "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"}, "text": text}}

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "sendMessage":
            return self.send_message(params)
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 1, "is_bot": True,
                                                "first_name": "ComDev", "username": "bench_bot"}}
        return 200, {"ok": True, "result": True}

    def close(self) -> None:
        os.close(self.log)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            self.close()
            return
        body = await _body(receive)
        path = scope["path"]
        if path == "/healthz":
            status, answer = 200, {"sent": self.sent, "refused": self.refused}
        else:
            status, answer = self.answer(path.rsplit("/", 1)[-1], _params(scope, body))
        data = json.dumps(answer).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(data)).encode())]})
        await send({"type": "http.response.body", "body": data})


def _params(scope: Scope, body: bytes) -> dict[str, Any]:
    headers = dict(scope["headers"])
    if b"json" in headers.get(b"content-type", b""):
        return dict(json.loads(body or b"{}"))
    return {key: values[0] for key, values in parse_qs(body.decode()).items()}


async def _body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


def create() -> FakeTelegram:
    """The app, from the environment (`uvicorn --factory bench.fake_telegram:create`)."""
    return FakeTelegram(int(os.environ.get("FAKE_TELEGRAM_RATE", "2000")),
                        os.environ["FAKE_TELEGRAM_LOG"])
