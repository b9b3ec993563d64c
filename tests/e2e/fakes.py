"""Fake Telegram Bot API and Twilio REST servers on 127.0.0.1 that record every call."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote


@dataclass
class Call:
    method: str  # Bot API method, or "Messages" for Twilio
    params: dict[str, Any]
    status: int


@dataclass
class Canned:
    status: int
    body: dict[str, Any]


class FakeServer:
    """A threaded HTTP server; subclasses answer, every call is recorded."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, list[Canned]] = {}
        self.files: dict[str, tuple[bytes, str]] = {}  # path → (body, content type) for GET
        self.downloads: list[str] = []
        self.lock = threading.RLock()
        self.cond = threading.Condition(self.lock)
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                path = unquote(self.path.partition("?")[0])
                if path not in server.files:
                    self.do_POST()
                    return
                body, content_type = server.files[path]
                with server.cond:
                    server.downloads.append(path)
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                method, params = server.decode(self.path, self.headers.get("Content-Type", ""),
                                               raw)
                status, body = server.answer(method, params)
                with server.cond:
                    server.calls.append(Call(method, params, status))
                    server.cond.notify_all()
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                return None

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def fail_next(self, method: str, status: int, body: dict[str, Any], times: int = 1) -> None:
        """Answers the next `times` calls of `method` with an error."""
        with self.lock:
            self.failures.setdefault(method, []).extend([Canned(status, body)] * times)

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            queue = self.failures.get(method)
            if queue:
                canned = queue.pop(0)
                return canned.status, canned.body
        return self.success(method, params)

    def wait_for(self, predicate: Callable[[list[Call]], bool], timeout: float = 10.0) -> None:
        """Waits until the recorded calls satisfy `predicate`."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate(self.calls):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; calls so far: {self.calls}")
                self.cond.wait(left)

    def decode(self, path: str, content_type: str, raw: bytes) -> tuple[str, dict[str, Any]]:
        raise NotImplementedError

    def success(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        raise NotImplementedError


class FakeTelegram(FakeServer):
    """Answers Bot API calls at /bot<token>/<method>."""

    def __init__(self) -> None:
        super().__init__()
        self.next_id = 100

    def decode(self, path: str, content_type: str, raw: bytes) -> tuple[str, dict[str, Any]]:
        method = path.rsplit("/", 1)[-1]
        if "json" in content_type:
            return method, json.loads(raw or b"{}")
        fields = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        for key in ("reply_markup", "allowed_updates"):
            if key in fields:
                fields[key] = json.loads(fields[key])
        return method, fields

    def success(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "ComDev",
                                                "username": "comdev_bot"}}
        if method == "getFile":
            file_id = str(params.get("file_id"))
            return 200, {"ok": True, "result": {"file_id": file_id, "file_unique_id": file_id,
                                                "file_size": 5, "file_path": f"voice/{file_id}"}}
        if method in ("sendMessage", "sendPhoto", "sendVoice", "sendAudio", "sendVideo",
                      "sendDocument"):
            with self.lock:
                self.next_id += 1
                message_id = self.next_id
            return 200, {"ok": True, "result": {
                "message_id": message_id, "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": params.get("text", "")}}
        if method == "getUpdates":
            return 200, {"ok": True, "result": []}
        return 200, {"ok": True, "result": True}

    def add_file(self, token: str, file_id: str, body: bytes) -> None:
        """Makes a file a person sent downloadable, the way getFile then /file/ serve it."""
        self.files[f"/file/bot{token}/voice/{file_id}"] = (body, "application/octet-stream")

    def media_sent(self, chat_id: int) -> list[Call]:
        """The photos, voice notes... sent to a chat."""
        with self.lock:
            return [c for c in self.calls if c.method in ("sendPhoto", "sendVoice", "sendAudio",
                                                          "sendVideo", "sendDocument")
                    and c.status == 200 and int(c.params["chat_id"]) == chat_id]

    def messages(self, chat_id: int) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == "sendMessage" and c.status == 200
                    and int(c.params["chat_id"]) == chat_id]


class FakeTwilio(FakeServer):
    """Answers POST /2010-04-01/Accounts/<sid>/Messages.json."""

    def __init__(self) -> None:
        super().__init__()
        self.next_id = 0

    def decode(self, path: str, content_type: str, raw: bytes) -> tuple[str, dict[str, Any]]:
        fields = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(raw.decode()).items()}
        return ("Messages" if path.endswith("/Messages.json") else path), fields

    def success(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.lock:
            self.next_id += 1
            sid = f"SM{self.next_id:032x}"
        return 201, {"sid": sid, "status": "queued", "to": params.get("To"),
                     "from": params.get("From"), "body": params.get("Body")}

    def messages(self, to: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == "Messages" and c.status == 201
                    and c.params.get("To") == to]
