"""Runs the inbound-path benchmark: bare endpoint vs our app on SQLite and on PostgreSQL."""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import re
import shutil
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import load, report, stores
from bench.servers import Server

WARMUP = 40
EXCEPTION = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Timeout)\b")
DRAIN_TIMEOUT = 180.0  # longest wait for the app to process one phase's messages


@dataclass
class Target:
    """A server under test, and, for our app, the probe on its database."""

    server: Server
    traffic: load.Traffic
    outcome: report.Outcome
    probe: stores.Probe | None = None
    companion: Server | None = None  # the `comdev worker` of a scaled target


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a short smoke run")
    parser.add_argument("--clients", type=int, default=32, help="closed-loop concurrency")
    parser.add_argument("--count", type=int, default=3000, help="closed-loop posts per target")
    parser.add_argument("--rate", type=float, default=200.0, help="open-loop offered msg/s")
    parser.add_argument("--seconds", type=float, default=10.0, help="open-loop duration")
    parser.add_argument("--senders", type=int, default=2000, help="distinct WhatsApp numbers")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL target")
    args = parser.parse_args(argv)
    if args.quick:
        args.count, args.seconds, args.senders = min(args.count, 300), min(args.seconds, 2), 200
    return args


def app_env(url: str, redis_url: str, server: Server, twilio: Server) -> dict[str, str]:
    return {"DATABASE_URL": url, "REDIS_URL": redis_url, "PUBLIC_BASE_URL": server.url,
            "TWILIO_ACCOUNT_SID": load.ACCOUNT_SID, "TWILIO_AUTH_TOKEN": load.AUTH_TOKEN,
            "TWILIO_WHATSAPP_FROM": load.TO, "TWILIO_API_BASE_URL": twilio.url,
            "TELEGRAM_BOT_TOKEN": "", "TELEGRAM_WEBHOOK_SECRET": "", "ANIMATORS": "",
            "LOG_LEVEL": "WARNING"}


def targets(args: argparse.Namespace, folder: Path, logs: Path,
            twilio: Server) -> list[Target]:
    """Prepares the stores and declares the servers (not started yet)."""
    found: list[Target] = []
    bare = Server("bare", "bench.bare:app", logs / "bare.log")
    found.append(Target(bare, load.Traffic(bare.url, args.senders), report.Outcome("bare")))
    plan: list[tuple[str, object]] = [("ours-sqlite", lambda: (stores.sqlite_database(folder), ""))]
    if not args.no_postgres:
        plan.append(("ours-postgres",
                     lambda: (stores.postgres_database(), stores.flush_redis())))
        plan.append(("ours-scaled",
                     lambda: (stores.postgres_database(stores.PG_DATABASE + "_scaled"),
                              stores.flush_redis(stores.REDIS_SCALED_URL))))
    for name, prepare in plan:
        app = "bench.ours:create_web_only" if name == "ours-scaled" else "bench.ours:create"
        server = Server(name, app, logs / f"{name}.log", factory=True)
        outcome = report.Outcome(name)
        try:
            url, redis_url = prepare()  # type: ignore[operator]
        except stores.Unavailable as reason:
            print(f"skipping {name}: {reason}")
            outcome.skipped = str(reason)
            found.append(Target(server, load.Traffic(server.url), outcome))
            continue
        server.env = app_env(url, redis_url, server, twilio)
        companion = None
        if name == "ours-scaled":  # web-only server + one worker process, as in production
            companion = Server("ours-scaled-worker", "", logs / "ours-scaled-worker.log",
                               env=server.env,
                               command=[sys.executable, "-m", "admin_cli", "worker"])
        found.append(Target(server, load.Traffic(server.url, args.senders), outcome,
                            stores.Probe(url), companion))
    return found


def measure(target: Target, key: str, posts: list[load.Post],
            send: Callable[..., Awaitable[load.LoadResult]]) -> report.Phase:
    """Runs one load against a target; for our app, waits until it has processed it all."""
    after = target.probe.last_id() if target.probe else 0
    cpu = target.server.cpu_seconds()
    result = asyncio.run(send(target.traffic.url, posts))
    during = target.server.cpu_seconds() - cpu
    processing = (target.probe.wait_processed(after, DRAIN_TIMEOUT)
                  if target.probe else None)
    phase = report.Phase(result, during, target.server.cpu_seconds() - cpu, processing)
    target.outcome.phases[key] = phase
    line = (f"  {report.PHASES[key]}: {result.ok}/{result.sent} answered 200 in "
            f"{result.elapsed:.1f} s = {result.rate:.0f}/s, p50 {result.pct(50) * 1000:.1f} ms, "
            f"p99 {result.pct(99) * 1000:.1f} ms; server CPU {during / result.elapsed:.0%}, "
            f"bench client CPU {result.client_cpu / result.elapsed:.0%}")
    if processing is not None:
        line += (f"; all processed {processing.drained_at - result.started_wall:.1f} s "
                 f"after the start" if processing.drained_at is not None
                 else f"; {processing.pending} still unprocessed after {DRAIN_TIMEOUT:.0f} s")
    print(line, flush=True)
    return phase


def warm_up(target: Target) -> None:
    after = target.probe.last_id() if target.probe else 0
    result = asyncio.run(load.closed_loop(target.traffic.url, target.traffic.make(WARMUP), 8))
    if target.probe:
        target.probe.wait_processed(after, 60.0)
    if result.ok != WARMUP:
        raise RuntimeError(f"{target.outcome.name} warm-up failed: {result.errors}")


def after_run(target: Target) -> None:
    if target.probe:
        target.outcome.notes.append(f"outbox at the end (rows by status): "
                                    f"{target.probe.outbox()}")
    try:
        lines = target.server.log.read_text(errors="replace").splitlines()
    except OSError:
        lines = []
    logged = sum(1 for line in lines if " ERROR " in line)
    kinds = Counter(line.split(":", 1)[0] for line in lines
                    if EXCEPTION.match(line) and not line.startswith(" "))
    if logged or kinds:
        summary = ", ".join(f"{kind} x{n}" for kind, n in kinds.most_common(5))
        target.outcome.notes.append(f"{logged} ERROR log lines in {target.server.log.name} "
                                    f"(exceptions: {summary or 'none'})")


def bench_one(target: Target, args: argparse.Namespace) -> None:
    """Starts one server, warms it up, runs every load against it in turn."""
    code = report.code_state()
    print(f"{target.outcome.name} (code: {code}):", flush=True)
    target.outcome.notes.append(f"code under test: {code}")
    if target.companion:
        target.companion.start()
        target.companion.wait_ready()
    target.server.start()
    target.server.wait_ready()
    warm_up(target)
    for kind in ("raw", "httpx"):
        measure(target, kind, target.traffic.make(args.count),
                lambda url, posts, raw=kind == "raw": load.closed_loop(
                    url, posts, args.clients, raw))
    measure(target, "open", target.traffic.make(int(args.rate * args.seconds)),
            lambda url, posts: load.open_loop(url, posts, args.rate))
    after_run(target)


def run(args: argparse.Namespace, folder: Path, logs: Path) -> str:
    twilio = Server("fake-twilio", "bench.fake_twilio:app", logs / "fake-twilio.log")
    running: list[Server] = [twilio]
    found: list[Target] = []
    try:
        twilio.start()
        twilio.wait_ready()
        found = targets(args, folder, logs, twilio)
        for target in (t for t in found if not t.outcome.skipped):
            running.append(target.server)
            if target.companion:
                running.append(target.companion)
            bench_one(target, args)  # one target at a time: an idle app still dispatches
            target.server.stop()
            if target.companion:
                target.companion.stop()
        sent = httpx.get(twilio.url + "/healthz", timeout=5).json()["sent"]
        print(f"the fake Twilio received {sent} messages from the dispatchers", flush=True)
    finally:
        for server in reversed(running):
            server.stop()
        for target in found:
            if target.probe:
                target.probe.close()
    settings = (f"uvicorn, 1 worker, uvloop, httptools, log level warning, each server its "
                f"own process on 127.0.0.1, one target at a time, phases in the order of "
                f"the processing table (the database grows from phase to phase); load "
                f"from the bench process, one keep-alive connection per user; "
                f"{args.senders} senders; closed loop {args.count} posts; open loop "
                f"{args.rate:.0f} msg/s for {args.seconds:.0f} s; ours-sqlite and "
                f"ours-postgres in embedded mode (steps, dispatcher and sweeper in the web "
                f"process); ours-scaled = `serve --no-worker` + one `comdev worker` process "
                f"(steps, dispatcher, sweeper), server CPU counting the web process only; "
                f"WhatsApp pacing 10 msg/s to a fake Twilio")
    return report.render([t.outcome for t in found], settings, args.clients, args.rate)


def _terminated(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # so that `finally` stops the servers


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    signal.signal(signal.SIGTERM, _terminated)
    report.RESULTS.mkdir(exist_ok=True)
    with (report.RESULTS / ".lock").open("w") as lock:
        try:  # two runs at once would share comdev_bench, Redis db 14, the logs and the CPU
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("another `python -m bench` is running on this machine; try again later")
            return 1
        return _main(args)


def _main(args: argparse.Namespace) -> int:
    print(report.machine(), flush=True)
    logs = report.RESULTS / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    folder = Path(tempfile.mkdtemp(prefix="comdev-bench-"))
    try:
        text = run(args, folder, logs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print()
    print(text)
    print(f"written to {report.write(text)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
