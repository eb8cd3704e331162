"""Side-by-side timing: ours and the peer in one process, reported as a ratio."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def best_time(fn: Callable[[], object], *, repeat: int = 5, number: int = 1) -> float:
    """Median seconds per call over ``repeat`` rounds of ``number`` calls."""
    fn()  # warm up (page faults, lazy imports, caches)
    rounds = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        rounds.append((time.perf_counter() - start) / number)
    return statistics.median(rounds)


def human(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.2f} µs"


class Table:
    """Rows of (case, peer time, ours time) printed as a Markdown table with ratios."""

    def __init__(self, title: str, peer_label: str = "peer") -> None:
        self.title = title
        self.peer_label = peer_label
        self.rows: list[tuple[str, float | None, float, str]] = []

    def add(self, case: str, peer: float | None, ours: float, note: str = "") -> None:
        self.rows.append((case, peer, ours, note))
        speedup = f"{peer / ours:.2f}x" if peer else "—"
        print(
            f"  {case}: {self.peer_label} {human(peer) if peer else '—'}, "
            f"ferroauth {human(ours)}, {speedup}",
            flush=True,
        )

    def markdown(self) -> str:
        lines = [
            f"### {self.title}",
            "",
            f"| case | {self.peer_label} | ferroauth | speed-up (peer ÷ ours) |",
            "|---|---:|---:|---:|",
        ]
        for case, peer, ours, note in self.rows:
            speedup = f"**{peer / ours:.2f}x**" if peer else note or "—"
            lines.append(f"| {case} | {human(peer) if peer else '—'} | {human(ours)} | {speedup} |")
        return "\n".join(lines)
