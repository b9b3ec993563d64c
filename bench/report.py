"""The machine, the results table, and bench/results/latest.md."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.load import LoadResult, percentile
from bench.stores import Processing

RESULTS = Path(__file__).resolve().parent / "results"
GOAL_RATIO, GOAL_P99_MS = 0.40, 50.0


def machine() -> str:
    """nproc, CPU model, kernel and Python, in one line."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores (nproc), {model}, Linux {platform.release()}, "
            f"Python {platform.python_version()}; shared and noisy (other work runs on "
            f"it): figures move by tens of percent from run to run")


def code_state() -> str:
    """The commit under test, and the app files changed but not committed (others' work)."""
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=RESULTS.parent.parent, text=True,
                                  capture_output=True, timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    status = git("status", "--porcelain", "--", ".", ":!bench", ":!docs/benchmarks.md")
    changed = [line.split(maxsplit=1)[-1] for line in status.splitlines()]
    return commit + (f" + uncommitted changes in {', '.join(changed)}" if changed else "")


@dataclass
class Phase:
    """One load run on one target, with what the server and the database saw."""

    load: LoadResult
    cpu_during_load: float  # server CPU seconds while the load ran
    cpu_total: float  # ... until every message of the phase was processed
    processing: Processing | None = None


@dataclass
class Outcome:
    """Everything measured on one target."""

    name: str
    skipped: str = ""
    phases: dict[str, Phase] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


PHASES = {"raw": "closed loop, raw-socket client", "httpx": "closed loop, httpx client",
          "open": "open loop, raw-socket client"}


def _ms(seconds: float) -> str:
    return "n/a" if seconds != seconds else f"{seconds * 1000:.1f}"


def _errors(outcome: Outcome) -> str:
    found: dict[str, int] = {}
    for phase in outcome.phases.values():
        for kind, n in phase.load.errors.items():
            found[kind] = found.get(kind, 0) + n
    return ", ".join(f"{kind}: {n}" for kind, n in sorted(found.items())) or "0"


def _rate(outcome: Outcome, bare: Outcome | None, key: str) -> tuple[str, str]:
    phase = outcome.phases.get(key)
    if phase is None:
        return "n/a", ""
    base = bare.phases.get(key) if bare and bare is not outcome else None
    ratio = f"{phase.load.rate / base.load.rate:.0%}" if base and base.load.rate else ""
    return f"{phase.load.rate:.0f}", ratio


def webhook_table(outcomes: list[Outcome], clients: int, rate: float) -> list[str]:
    bare = next((o for o in outcomes if o.name == "bare" and not o.skipped), None)
    lines = [f"| target | msgs/s, raw client ({clients}) | ours/bare | msgs/s, httpx client "
             f"({clients}) | ours/bare | server CPU ms/msg | p50 ms @{rate:.0f}/s | "
             f"p99 ms @{rate:.0f}/s | achieved/s | errors |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for o in outcomes:
        if o.skipped:
            lines.append(f"| {o.name} | skipped: {o.skipped} | | | | | | | | |")
            continue
        raw, raw_ratio = _rate(o, bare, "raw")
        hx, hx_ratio = _rate(o, bare, "httpx")
        closed = o.phases.get("raw")
        cost = (f"{closed.cpu_total / closed.load.ok * 1000:.2f}"
                if closed and closed.load.ok else "n/a")
        open_ = o.phases.get("open")
        p50, p99, got = ((_ms(open_.load.pct(50)), _ms(open_.load.pct(99)),
                          f"{open_.load.rate:.0f}") if open_ else ("n/a", "n/a", "n/a"))
        lines.append(f"| {o.name} | {raw} | {raw_ratio} | {hx} | {hx_ratio} | {cost} | "
                     f"{p50} | {p99} | {got} | {_errors(o)} |")
    return lines


def processing_table(outcomes: list[Outcome]) -> list[str]:
    lines = ["| target | phase | recorded | left unprocessed | all processed "
             "after s | processed/s | lag p50 ms | lag p99 ms | steps retried |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for o in outcomes:
        for key, phase in o.phases.items():
            done = phase.processing
            if done is None:
                continue
            if done.drained_at is not None:
                took = done.drained_at - phase.load.started_wall
                after, per_s = f"{took:.1f}", f"{done.recorded / took:.0f}"
            else:
                after, per_s = "timeout", "n/a"
            lines.append(
                f"| {o.name} | {PHASES[key]} | {done.recorded} | {done.pending} | {after} | "
                f"{per_s} | {_ms(percentile(done.lags, 50))} | "
                f"{_ms(percentile(done.lags, 99))} | {done.retried} |")
    return lines


def verdicts(outcomes: list[Outcome], rate: float) -> list[str]:
    bare = next((o for o in outcomes if o.name == "bare" and not o.skipped), None)
    lines = []
    for o in outcomes:
        if bare is None or o is bare or o.skipped or not {"raw", "open"} <= set(o.phases):
            continue
        ratio = o.phases["raw"].load.rate / bare.phases["raw"].load.rate
        latency = o.phases["open"].load
        p99 = latency.pct(99) * 1000
        ok = ratio >= GOAL_RATIO and p99 < GOAL_P99_MS and not latency.errors
        lines.append(f"- {o.name}: throughput {ratio:.0%} of bare with the raw client "
                     f"(goal >= 40 %), webhook p99 {p99:.1f} ms at {rate:.0f}/s offered "
                     f"(goal < 50 ms): {'goal met' if ok else 'goal NOT met'}")
    return lines


def render(outcomes: list[Outcome], settings: str, clients: int, rate: float) -> str:
    """The whole report, as Markdown (printed as is, and written to latest.md)."""
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"# Inbound message path: {now}", "", f"Machine: {machine()}.", "",
             f"Settings: {settings}.", "", "## Webhook", "",
             *webhook_table(outcomes, clients, rate), "", *verdicts(outcomes, rate), "",
             "## Processing (our app, from the database)", "", *processing_table(outcomes)]
    notes = [f"- {o.name}: {note}" for o in outcomes for note in o.notes]
    if notes:
        parts += ["", "## Notes", "", *notes]
    return "\n".join(parts) + "\n"


def write(text: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "latest.md"
    path.write_text(text, encoding="utf-8")
    return path
