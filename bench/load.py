"""Signed Twilio form posts, sent in a closed loop (max throughput) or an open loop
(a fixed offered rate, latency measured from the scheduled send time)."""

from __future__ import annotations

import asyncio
import functools
import random
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import httpx
from twilio.request_validator import RequestValidator

PATH = "/webhooks/twilio"
ACCOUNT_SID = "ACbench" + "0" * 27
AUTH_TOKEN = "bench-auth-token-not-a-secret"
TO = "whatsapp:+14155238886"
#: What a person types, message after message: a greeting (the language menu), English,
#: consent, a role, the main menu, "see my data", help. Nothing in it erases a person even
#: when two posts of one sender overtake each other ("2" at the consent question would),
#: and no BACK (see docs/benchmarks.md: BACK at the first question fails the step).
SCRIPT = ("Salam", "4", "yes", "3", "menu", "1", "help", "menu")
REQUEST_TIMEOUT = 10.0


@dataclass(frozen=True)
class Post:
    body: bytes
    headers: dict[str, str]
    raw: bytes  # the whole HTTP/1.1 request, for the raw-socket client


class Traffic:
    """Makes correctly signed, unique posts from many senders; conversations advance."""

    def __init__(self, base_url: str, senders: int = 2000, seed: int = 7) -> None:
        self.url = base_url.rstrip("/") + PATH
        self.netloc = urlsplit(self.url).netloc
        self.validator = RequestValidator(AUTH_TOKEN)
        self.senders = senders
        self.rng = random.Random(seed)
        self.sent_by: list[int] = [0] * senders
        self.serial = 0

    def make(self, count: int) -> list[Post]:
        """Prepares `count` posts ahead of time, so signing costs nothing while measuring."""
        return [self._next() for _ in range(count)]

    def _next(self) -> Post:
        self.serial += 1
        who = self.rng.randrange(self.senders)
        text = SCRIPT[self.sent_by[who] % len(SCRIPT)]
        self.sent_by[who] += 1
        number = f"+2126{who:08d}"
        sid = f"SM{self.serial:032x}"
        params = {
            "SmsMessageSid": sid, "NumMedia": "0", "ProfileName": f"Bench {who}",
            "MessageType": "text", "SmsSid": sid, "WaId": number[1:], "SmsStatus": "received",
            "Body": text, "To": TO, "NumSegments": "1", "ReferralNumMedia": "0",
            "MessageSid": sid, "AccountSid": ACCOUNT_SID, "From": f"whatsapp:{number}",
            "ApiVersion": "2010-04-01",
        }
        signature = self.validator.compute_signature(self.url, params)
        body = urlencode(params).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded",
                   "X-Twilio-Signature": signature, "User-Agent": "TwilioProxy/1.1"}
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        raw = (f"POST {PATH} HTTP/1.1\r\nHost: {self.netloc}\r\n{head}"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
        return Post(body, headers, raw)


@dataclass
class LoadResult:
    """What one load run saw from the client side."""

    sent: int = 0
    ok: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0
    started_wall: float = 0.0
    client_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.ok / self.elapsed if self.elapsed else 0.0

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    def pct(self, q: float) -> float:
        return percentile(self.latencies, q)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


async def _post(client: httpx.AsyncClient, url: str, post: Post, result: LoadResult,
                since: float) -> None:
    try:
        response = await client.post(url, content=post.body, headers=post.headers)
    except httpx.HTTPError as error:
        result.error(type(error).__name__)
        return
    if response.status_code == 200:
        result.ok += 1
        result.latencies.append(time.perf_counter() - since)
    else:
        result.error(f"HTTP {response.status_code}")


async def closed_loop(url: str, posts: list[Post], clients: int, raw: bool = False,
                      max_seconds: float = 300.0) -> LoadResult:
    """Sends every post with `clients` concurrent users, each on its own keep-alive
    connection and waiting for its answer before the next post. `raw` uses plain asyncio
    sockets instead of httpx.AsyncClient, which costs the load generator far less CPU."""
    result = LoadResult()
    queue: Iterator[Post] = iter(posts)  # shared: each post is sent once
    deadline = time.perf_counter() + max_seconds
    user = _raw_user if raw else _httpx_user
    cpu, result.started_wall, started = time.process_time(), time.time(), time.perf_counter()
    await asyncio.gather(*(user(url, queue, result, deadline) for _ in range(clients)))
    result.elapsed = time.perf_counter() - started
    result.client_cpu = time.process_time() - cpu
    return result


async def _httpx_user(url: str, queue: Iterator[Post], result: LoadResult,
                      deadline: float) -> None:
    # One client per user: a shared pool of 32 connections costs httpx several times more
    # CPU per request (measured: 150 vs 450 posts/s against the bare endpoint).
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT,
                                 verify=_tls()) as client:
        for post in queue:
            if time.perf_counter() > deadline:
                return
            result.sent += 1
            await _post(client, url, post, result, time.perf_counter())


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client (unused on http://, but costly to build each time)."""
    return ssl.create_default_context()


async def _raw_user(url: str, queue: Iterator[Post], result: LoadResult,
                    deadline: float) -> None:
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        for post in queue:
            if time.perf_counter() > deadline:
                return
            result.sent += 1
            since = time.perf_counter()
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    writer.write(post.raw)
                    status = await _raw_response(reader)
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
                result.error(type(error).__name__)
                return  # the connection is in an unknown state: this user stops
            if status == 200:
                result.ok += 1
                result.latencies.append(time.perf_counter() - since)
            else:
                result.error(f"HTTP {status}")
    finally:
        writer.close()


async def _raw_response(reader: asyncio.StreamReader) -> int:
    """Reads one HTTP/1.1 response with a Content-Length; returns its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    if length:
        await reader.readexactly(length)
    return int(head[9:12])


async def open_loop(url: str, posts: list[Post], rate: float, raw: bool = True,
                    max_in_flight: int = 500) -> LoadResult:
    """Sends the posts at a fixed offered rate, whatever the answers' pace (no coordinated
    omission: latency counts from when the post was due, not from when it left). Each post
    takes an idle keep-alive connection, or opens one while fewer than `max_in_flight` are
    busy; beyond that the post is dropped and counted as an error."""
    result = LoadResult()
    send = _RawSender(url) if raw else _HttpxSender(url, max_in_flight)
    tasks: set[asyncio.Task[None]] = set()
    try:
        cpu, result.started_wall, started = time.process_time(), time.time(), time.perf_counter()
        for i, post in enumerate(posts):
            due = started + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if len(tasks) >= max_in_flight:
                result.error("dropped: too many in flight")
                continue
            result.sent += 1
            task = asyncio.create_task(send(post, result, due))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        if tasks:
            await asyncio.wait(set(tasks), timeout=REQUEST_TIMEOUT + 5)
        result.elapsed = time.perf_counter() - started
        result.client_cpu = time.process_time() - cpu
    finally:
        await send.close()
    return result


class _RawSender:
    """Raw HTTP/1.1 over a pool of keep-alive connections that grows on demand."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname, parts.port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.all: list[asyncio.StreamWriter] = []

    async def __call__(self, post: Post, result: LoadResult, since: float) -> None:
        try:
            async with asyncio.timeout(REQUEST_TIMEOUT):
                status = await self._exchange(post)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
            result.error(type(error).__name__)
            return
        if status == 200:
            result.ok += 1
            result.latencies.append(time.perf_counter() - since)
        else:
            result.error(f"HTTP {status}")

    async def _exchange(self, post: Post) -> int:
        while self.idle:  # the server closes connections idle for 5 s: skip those
            reader, writer = self.idle.pop()
            try:
                writer.write(post.raw)
                status = await _raw_response(reader)
            except (OSError, asyncio.IncompleteReadError) as error:
                if isinstance(error, asyncio.IncompleteReadError) and error.partial:
                    raise
                writer.close()
                continue
            self.idle.append((reader, writer))
            return status
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self.all.append(writer)
        writer.write(post.raw)
        status = await _raw_response(reader)
        self.idle.append((reader, writer))
        return status

    async def close(self) -> None:
        for writer in self.all:
            writer.close()


class _HttpxSender:
    def __init__(self, url: str, connections: int) -> None:
        self.url = url
        limits = httpx.Limits(max_connections=connections,
                              max_keepalive_connections=connections)
        self.client = httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT)

    async def __call__(self, post: Post, result: LoadResult, since: float) -> None:
        await _post(self.client, self.url, post, result, since)

    async def close(self) -> None:
        await self.client.aclose()
