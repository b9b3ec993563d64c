"""What the broadcast benchmark measured in one run, read from the fake Telegram's record,
and its report."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench import report
from bench.broadcast_audience import Audience, expected_texts


@dataclass
class Round:
    """What one run measured."""

    name: str
    recipients: int
    limit: int
    received: int = 0  # sendMessage calls accepted by the server, repeats included
    served: int = 0  # distinct recipients who received the message
    missing: int = 0
    duplicates: int = 0  # recipients who received it more than once
    wrong_text: int = 0  # received a text other than their language's (or its fallback)
    refused: int = 0  # 429 answers
    sending_seconds: float = 0.0  # first to last message at the server
    steady: float = 0.0  # messages/s from the 10th to the 90th percentile of arrivals
    wall_seconds: float = 0.0  # worker start to last message
    longest_pause: float = 0.0  # seconds between two messages (the restart, in the crash run)
    peak_rss_mib: float = 0.0  # the largest VmHWM of the worker processes
    killed_after: int | None = None  # messages at the server when the worker was killed
    in_flight: int | None = None  # outbox rows left 'sending' by the killed worker
    queued_at_kill: int | None = None  # recipients the broadcaster had queued by then
    concurrency: int = 0  # the dispatcher's: the most sends in flight at once
    clock_offset: float = 0.0  # the worker's clock ahead of the system's (midday in Morocco)
    code: str = ""  # the commit under test when the run started
    progress: dict[str, object] = field(default_factory=dict)  # core.broadcasts.progress
    notes: list[str] = field(default_factory=list)

    @property
    def achieved(self) -> float:
        return (self.received - 1) / self.sending_seconds if self.sending_seconds else 0.0

    @property
    def fraction(self) -> float:
        return self.achieved / self.limit


def read_record(found: Round, record: Path, audience: Audience, started: float) -> None:
    """Reads what the fake Telegram received."""
    times: list[float] = []
    received: Counter[int] = Counter()
    expected = expected_texts()
    for line in record.read_text(encoding="utf-8").splitlines():
        status, moment, chat, *rest = line.split(" ", 3)
        if status == "429":
            found.refused += 1
            continue
        chat_id = int(chat)
        times.append(float(moment))
        received[chat_id] += 1
        if json.loads(rest[0]) != expected.get(audience.languages.get(chat_id, "")):
            found.wrong_text += 1
    found.received = len(times)
    found.served = sum(1 for chat in received if chat in audience.languages)
    found.missing = len(audience.languages) - found.served
    found.duplicates = sum(1 for n in received.values() if n > 1)
    if times:
        times.sort()
        found.sending_seconds = times[-1] - times[0]
        found.wall_seconds = times[-1] - started
        found.longest_pause = max((b - a for a, b in itertools.pairwise(times)), default=0.0)
        first, last = len(times) // 10, len(times) * 9 // 10
        if times[last] > times[first]:
            found.steady = (last - first) / (times[last] - times[first])


def log_errors(logs: Iterable[Path]) -> list[str]:
    notes = []
    for path in logs:
        try:
            lines = Path(path).read_text(errors="replace").splitlines()
        except OSError:
            continue
        errors = [line for line in lines if " ERROR " in line or line.startswith("Traceback")]
        if errors:
            notes.append(f"{len(errors)} ERROR lines in {Path(path).name}, first: "
                         f"{errors[0][:160]}")
    return notes


def render(rounds: list[Round], settings: str) -> str:
    """The report, as Markdown."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# Broadcast: {now}", "", f"Machine: {report.machine()}.", "",
             f"Settings: {settings}.", "",
             "| run | recipients | limit/s | achieved/s | of the limit | steady/s | 429 | "
             "peak RSS MiB | wall s | served | missing | duplicates | wrong text |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
             "| ---: |"]
    for r in rounds:
        lines.append(f"| {r.name} | {r.recipients} | {r.limit} | {r.achieved:.0f} | "
                     f"{r.fraction:.0%} | {r.steady:.0f} | {r.refused} | {r.peak_rss_mib:.0f} | "
                     f"{r.wall_seconds:.1f} | {r.served} | {r.missing} | {r.duplicates} | "
                     f"{r.wrong_text} |")
    lines.append("")
    for r in rounds:
        lines.append(f"- {r.name}: {verdict(r)}")
        if r.killed_after is not None:
            lines.append(f"  - killed (SIGKILL) after {r.killed_after} messages, "
                         f"{r.queued_at_kill} recipients queued by then; {r.in_flight} outbox "
                         f"rows left 'sending' (claimed, released to the restarted worker); "
                         f"{r.duplicates} recipients received it twice (allowed: at most the "
                         f"dispatcher's concurrency, {r.concurrency})")
        lines.append(f"  - code: {r.code}; longest pause between two messages: "
                     f"{r.longest_pause:.2f} s")
        lines.append(f"  - outbox, as core.broadcasts.progress counts it: "
                     f"{json.dumps(r.progress, sort_keys=True)}")
        lines += [f"  - {note}" for note in r.notes]
    return "\n".join(lines) + "\n"


def verdict(r: Round) -> str:
    goals = [f"rate {r.fraction:.1%} of the limit (goal >= 95 %)",
             f"{r.refused} answers 429 (goal 0)",
             f"{r.missing} recipients not served (goal 0)"]
    if r.killed_after is not None:
        goals.append(f"{r.duplicates} duplicates (goal <= {r.concurrency})")
    met = (r.fraction >= 0.95 and not r.refused and not r.missing and not r.wrong_text
           and (r.killed_after is None or r.duplicates <= r.concurrency))
    return "; ".join(goals) + (": goals met" if met else ": goals NOT met")


