"""Matching benchmark: the index's top 20 against a brute-force scan, side by side.

Synthetic pools of experts with a realistic skill distribution (a few skills are common, most
are rare: Zipf over the taxonomy), 1 to 3 skills each, languages, hours, modes, visits and
origins drawn the same way; needs drawn from the same distribution. Both paths must return
the same top 20 for every need; the report gives median and p95 times per need, their ratio,
the index's build time and its memory (the process's resident memory it added, and the bytes
of its numpy columns).

    python -m bench.matching [--sizes 100000 1000000] [--needs 30] [--seed 7]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from datetime import date

from core.domain.experts import Period
from core.domain.matching import Expert, Need, brute_force
from core.index import Index
from core.skills import default_index

LANGUAGES = ["ar", "darija", "zgh", "fr", "en", "es", "de", "nl", "it"]
WORDS = ["irrigation", "pompe", "solaire", "argan", "comptable", "couture", "tourisme",
         "apiculture", "safran", "plomberie"]


def pool(size: int, rng: random.Random) -> tuple[list[Expert], list[str], dict[str, str]]:
    """Builds `size` experts; returns them, the skill codes by popularity and categories."""
    skills = [s for s in default_index().taxonomy.skills]
    rng.shuffle(skills)
    codes = [s.code for s in skills]
    category = {s.code: s.category for s in skills}
    weights = [1 / (rank + 1) for rank in range(len(codes))]  # Zipf: s = 1
    experts = []
    for id_ in range(1, size + 1):
        chosen = set(rng.choices(codes, weights, k=rng.choice((1, 1, 2, 3))))
        visit = rng.random() < 0.3
        month = rng.randint(6, 9)
        experts.append(Expert(
            id_, {c: rng.choice(("learning", "practised", "expert")) for c in chosen},
            frozenset(category[c] for c in chosen),
            frozenset(rng.sample(WORDS, 1)) if rng.random() < 0.1 else frozenset(),
            frozenset(rng.sample(LANGUAGES, rng.randint(1, 3))), rng.choice((0, 4, 10, 20)),
            rng.choice(("remote", "on_site", "both")),
            (Period(date(2027, month, 1), date(2027, month, 28)),) if visit else (),
            rng.choice((None, "09", "09.581", "09.581.01.05", "01.001")), frozenset(),
            rng.choice((0, 0, 0, 1, 2)), 2, rng.choice((0, 0, 1)), rng.random() < 0.8))
    return experts, codes, category


def needs(count: int, codes: list[str], category: dict[str, str], rng: random.Random
          ) -> list[Need]:
    weights = [1 / (rank + 1) for rank in range(len(codes))]
    found = []
    for id_ in range(count):
        code = rng.choices(codes, weights)[0]
        found.append(Need(id_, code, category[code], frozenset(rng.sample(WORDS, 1)),
                          frozenset(rng.sample(LANGUAGES, 2)), 8,
                          rng.choice(("remote", "on_site", "either")), date(2027, 8, 1),
                          date(2027, 8, 20), "09.581.01.05"))
    return found


def resident() -> int:
    """The process's resident memory in bytes (Linux), 0 where it cannot be read."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def timed(run: object) -> tuple[float, object]:
    started = time.perf_counter()
    result = run()  # type: ignore[operator]
    return time.perf_counter() - started, result


def measure(size: int, count: int, brute_count: int, seed: int) -> None:
    rng = random.Random(seed)
    built, (experts, codes, category) = timed(lambda: pool(size, rng))
    before = resident()
    indexed, index = timed(lambda: Index(experts))
    added = (resident() - before) / 2**20
    asked = needs(count, codes, category, rng)
    ours = []
    for need in asked:
        seconds, top = timed(lambda need=need: index.top(need, 20))  # type: ignore[misc]
        ours.append((seconds, top))
    brute = []
    for need, (_seconds, top) in zip(asked[:brute_count], ours, strict=False):
        seconds, expected = timed(lambda need=need: brute_force(need, experts, 20))  # type: ignore[misc]
        assert expected == top, f"need {need.id}: the index's top 20 differs from brute force"
        brute.append(seconds)
    our_median = statistics.median(s for s, _ in ours) * 1000
    our_p95 = sorted(s for s, _ in ours)[int(0.95 * (len(ours) - 1))] * 1000
    brute_median = statistics.median(brute) * 1000
    print(f"{size:>9,} profiles: built in {built:.1f} s, indexed in {indexed:.1f} s "
          f"(+{added:.0f} MiB resident, columns {index.nbytes() / 2**20:.0f} MiB); "  # type: ignore[attr-defined]
          f"index top 20: median {our_median:.2f} ms, p95 {our_p95:.2f} ms "
          f"({len(ours)} needs); brute force: median {brute_median:.0f} ms "
          f"({len(brute)} needs, same top 20); brute force / index = "
          f"{brute_median / our_median:.0f}x")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--needs", type=int, default=30)
    parser.add_argument("--brute", type=int, default=5, help="needs also scanned by brute force")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"matching benchmark on {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, one core used")
    for size in args.sizes:
        measure(size, args.needs, args.brute, args.seed)


if __name__ == "__main__":
    main()
