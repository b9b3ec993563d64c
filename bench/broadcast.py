"""Broadcast benchmark: a news broadcast to 100,000 Telegram recipients, sent by the real
worker through a fake Telegram that enforces a rate, then the same with a kill -9 halfway.

Each run: a fresh SQLite file with the recipients (consented, one language mix) and a NEWS
broadcast to all, scheduled now; the fake Telegram (bench/fake_telegram.py) accepting at most
`rate` messages in any sliding second and answering 429 beyond; the worker
(bench/broadcast_worker.py: `comdev worker`'s container, TELEGRAM_RATE_PER_SECOND = the
server's rate). Measured from the server's record: the rate achieved over the sending, as a
fraction of the limit, the 429 answers, every recipient served with the text of their
language, duplicates; the worker's peak resident memory (VmHWM); the wall time from the
worker's start to the last message. The crash run kills the worker (SIGKILL) once half the
messages reached the server and restarts it; the only duplicates allowed are the messages in
flight at the kill (at most the dispatcher's concurrency).

    python -m bench.broadcast [--recipients 100000] [--rate 2000] [--reachable-rate 150]
        [--reachable-recipients 30000] [--no-crash] [--quick] [--limiter fixed|window]
        [--runs clean,kill,reachable]
"""

from __future__ import annotations

import argparse
import fcntl
import inspect
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from bench import report
from bench.broadcast_audience import Audience, create_broadcast, seed
from bench.broadcast_report import Round, log_errors, read_record, render, verdict
from bench.broadcast_worker import CLOCK_OFFSET, LIMITER
from bench.servers import Server
from bot.dispatcher import Dispatcher

#: bot.dispatcher.Dispatcher's default, which bootstrap.build keeps: the most sends at once.
CONCURRENCY = inspect.signature(Dispatcher.__init__).parameters["concurrency"].default
STALL = 60.0  # seconds without a new message before a run is given up


@dataclass
class Worker:
    """One worker process and the highest VmHWM read from it."""

    server: Server
    peak_kib: int = 0

    def watch(self) -> None:
        process = self.server.process
        if process is None or process.poll() is not None:
            return
        try:
            for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    self.peak_kib = max(self.peak_kib, int(line.split()[1]))
        except (OSError, ValueError):
            pass

    def alive(self) -> bool:
        return self.server.process is not None and self.server.process.poll() is None


def midday_offset(now: datetime) -> float:
    """Seconds to add to `now` to be at 12:00 in Morocco, where nobody has quiet hours."""
    local = now.astimezone(ZoneInfo("Africa/Casablanca"))
    noon = local.replace(hour=12, minute=0, second=0, microsecond=0)
    return (noon - local).total_seconds()


def worker_env(url: str, telegram: Server, rate: int, offset: float, limiter: str
               ) -> dict[str, str]:
    return {"DATABASE_URL": url, "REDIS_URL": "", "TELEGRAM_BOT_TOKEN": "123456:bench",
            "TELEGRAM_WEBHOOK_SECRET": "bench", "TELEGRAM_API_BASE_URL": telegram.url + "/bot",
            "TELEGRAM_RATE_PER_SECOND": str(rate), "TWILIO_ACCOUNT_SID": "",
            "TWILIO_AUTH_TOKEN": "", "ANIMATORS": "", "LOG_LEVEL": "WARNING",
            "WHATSAPP_TEMPLATES_FILE": "", CLOCK_OFFSET: f"{offset:.3f}", LIMITER: limiter}


def sent_so_far(client: httpx.Client) -> int:
    try:
        return int(client.get("/healthz").json()["sent"])
    except (httpx.HTTPError, ValueError, KeyError):
        return -1


def wait_for(telegram: Server, worker: Worker, done: Callable[[int], bool],
             poll: float = 0.2) -> int:
    """Polls the server until `done(sent)`, the worker dies, or nothing moves for STALL s."""
    last, moved = -1, time.monotonic()
    with httpx.Client(base_url=telegram.url, timeout=5) as client:
        while True:
            worker.watch()
            sent = sent_so_far(client)
            if done(sent):
                return sent
            if sent != last:
                last, moved = sent, time.monotonic()
            if not worker.alive():
                raise RuntimeError(f"the worker exited; see {worker.server.log}")
            if time.monotonic() - moved > STALL:
                return sent
            time.sleep(poll)


def start_worker(name: str, env: dict[str, str], logs: Path) -> Worker:
    worker = Worker(Server(name, "", logs / f"{name}.log", env=env,
                           command=[sys.executable, "-m", "bench.broadcast_worker"]))
    worker.server.start()
    return worker


def run_round(name: str, audience: Audience, rate: int, folder: Path, logs: Path,
              crash: bool, limiter: str = "fixed") -> Round:
    """One broadcast to the whole audience, on a fresh database and a fresh server."""
    url = f"sqlite:///{folder / f'{name}.db'}"
    offset = midday_offset(datetime.now(UTC))
    seed(url, audience)
    broadcast_id = create_broadcast(url, datetime.now(UTC) + timedelta(seconds=offset))
    found = Round(name, len(audience.languages), rate, concurrency=CONCURRENCY,
                  clock_offset=offset, code=report.code_state())
    record = logs / f"{name}-telegram.txt"
    record.unlink(missing_ok=True)
    telegram = Server(f"{name}-telegram", "bench.fake_telegram:create",
                      logs / f"{name}-telegram.log", factory=True,
                      env={"FAKE_TELEGRAM_RATE": str(rate), "FAKE_TELEGRAM_LOG": str(record)})
    workers: list[Worker] = []
    total = len(audience.languages)
    try:
        telegram.start()
        telegram.wait_ready()
        started = time.time()
        env = worker_env(url, telegram, rate, offset, limiter)
        workers.append(start_worker(f"{name}-worker", env, logs))
        if crash:
            workers.append(kill_and_restart(found, workers[0], telegram, url, limiter, logs))
        wait_for(telegram, workers[-1], lambda n: n >= total)
        time.sleep(0.5)  # the last results recorded, for the progress below
        workers[-1].watch()
        for worker in workers:
            worker.server.stop()
    finally:
        for worker in workers:
            worker.server.stop()
        telegram.stop()
    read_record(found, record, audience, started)
    found.peak_rss_mib = max(w.peak_kib for w in workers) / 1024
    found.progress = _progress(url, broadcast_id)
    found.notes += log_errors(w.server.log for w in workers)
    return found


def kill_and_restart(found: Round, worker: Worker, telegram: Server, url: str, limiter: str,
                     logs: Path) -> Worker:
    """Kills the worker once half the messages arrived, while it has rows claimed (between
    two dispatcher rounds nothing is in flight, and a kill would test nothing), and starts
    another one, its clock CLAIM_TIMEOUT ahead (see bench/broadcast_worker.py)."""
    from core.outbox import CLAIM_TIMEOUT

    wait_for(telegram, worker, lambda n: n >= found.recipients // 2, poll=0.05)
    _until_mid_round(telegram, url)
    assert worker.server.process is not None
    worker.watch()
    worker.server.process.send_signal(signal.SIGKILL)
    worker.server.process.wait(10)
    with httpx.Client(base_url=telegram.url, timeout=5) as client:
        found.killed_after = sent_so_far(client)
    found.in_flight, found.queued_at_kill = _at_the_kill(url)
    env = worker_env(url, telegram, found.limit, found.clock_offset
                     + CLAIM_TIMEOUT.total_seconds() + 1, limiter)
    return start_worker(f"{found.name}-restarted", env, logs)


def _until_mid_round(telegram: Server, url: str, timeout: float = 10.0) -> None:
    """Returns once the worker has rows claimed and some of them reached the server: a
    round's last message arrives when nothing else is claimed, its next claim comes before
    any send, and a kill at either moment leaves nothing in flight."""
    deadline, claimed_at = time.monotonic() + timeout, None
    with httpx.Client(base_url=telegram.url, timeout=5) as client:
        while time.monotonic() < deadline:
            sending, sent = _at_the_kill(url)[0], sent_so_far(client)
            if not sending:
                claimed_at = None
            elif claimed_at is None:
                claimed_at = sent
            elif sent > claimed_at:
                return


def _at_the_kill(url: str) -> tuple[int, int]:
    """Outbox rows left 'sending', and recipients queued by the broadcaster."""
    from sqlalchemy import func, select

    from core.db import make_engine
    from core.models import BroadcastRecipient, OutboxMessage

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            sending = connection.scalar(select(func.count()).select_from(OutboxMessage)
                                        .where(OutboxMessage.status == "sending"))
            queued = connection.scalar(select(func.count()).select_from(BroadcastRecipient))
            return int(sending or 0), int(queued or 0)
    finally:
        engine.dispose()


def _progress(url: str, broadcast_id: int) -> dict[str, object]:
    from core import broadcasts
    from core.db import make_engine
    from core.uow import UnitOfWork

    engine = make_engine(url)
    try:
        with UnitOfWork(engine) as uow:
            found = broadcasts.progress(uow, broadcast_id, datetime.now(UTC) + timedelta(days=1))
            return found.to_dict() if found else {}
    finally:
        engine.dispose()


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.broadcast", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--rate", type=int, default=2000, help="the server's limit, msg/s")
    parser.add_argument("--reachable-rate", type=int, default=150,
                        help="a lower limit the dispatcher can reach, for one more run "
                             "(0: none)")
    parser.add_argument("--reachable-recipients", type=int, default=30_000)
    parser.add_argument("--limiter", choices=("fixed", "window"), default="fixed",
                        help="window: the experiment of bench/send_window.py")
    parser.add_argument("--no-crash", action="store_true", help="skip the kill -9 run")
    parser.add_argument("--quick", action="store_true", help="3,000 recipients, 1,000 at "
                        "the reachable rate: a smoke run of about a minute")
    parser.add_argument("--runs", default="clean,kill,reachable",
                        help="which of the runs: clean, kill, reachable (comma-separated)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    args.runs = set(args.runs.split(","))
    if args.quick:
        args.recipients = min(args.recipients, 3000)
        args.reachable_recipients = min(args.reachable_recipients, 1000)
    return args


@dataclass(frozen=True)
class Plan:
    name: str
    recipients: int
    rate: int
    crash: bool


def plans(args: argparse.Namespace) -> list[Plan]:
    found = []
    if "clean" in args.runs:
        found.append(Plan(f"clean-{args.rate}", args.recipients, args.rate, False))
    if "kill" in args.runs and not args.no_crash:
        found.append(Plan(f"kill-9-{args.rate}", args.recipients, args.rate, True))
    if "reachable" in args.runs and args.reachable_rate:
        found.append(Plan(f"clean-{args.reachable_rate}", args.reachable_recipients,
                          args.reachable_rate, False))
    return found


def run(args: argparse.Namespace, folder: Path, logs: Path) -> list[Round]:
    rounds = []
    for plan in plans(args):
        name = plan.name + ("-window" if args.limiter == "window" else "")
        print(f"{name}: {plan.recipients} recipients at {plan.rate}/s ...", flush=True)
        found = run_round(name, Audience.mixed(plan.recipients, args.seed), plan.rate,
                          folder, logs, plan.crash, args.limiter)
        print(f"  {verdict(found)}; {found.achieved:.0f}/s, peak RSS "
              f"{found.peak_rss_mib:.0f} MiB, wall {found.wall_seconds:.1f} s", flush=True)
        rounds.append(found)
    return rounds


def main(argv: list[str] | None = None) -> int:
    args = options(argv)
    report.RESULTS.mkdir(exist_ok=True)
    with (report.RESULTS / ".lock").open("w") as lock:
        try:  # another bench at the same time would share the two cores
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("another benchmark is running on this machine; try again later")
            return 1
        print(report.machine(), flush=True)
        logs = report.RESULTS / "logs" / "broadcast"
        shutil.rmtree(logs, ignore_errors=True)
        logs.mkdir(parents=True)
        folder = Path(tempfile.mkdtemp(prefix="comdev-bench-broadcast-"))
        try:
            rounds = run(args, folder, logs)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    settings = (f"code at the end {report.code_state()}; SQLite (WAL) file per run; the "
                f"worker = `comdev worker`'s container (dispatcher and broadcaster with their "
                f"defaults, concurrency {CONCURRENCY}) in its own process, in-process "
                f"rate limiter (no Redis; {args.limiter}), TELEGRAM_RATE_PER_SECOND = "
                f"the server's limit; "
                f"the fake Telegram is uvicorn (uvloop, httptools) in its own process, "
                f"sliding one-second window")
    text = render(rounds, settings)
    print()
    print(text)
    path = report.RESULTS / "broadcast.md"
    path.write_text(text, encoding="utf-8")
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
