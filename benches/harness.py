"""Side-by-side timing: ours and the peer in one process, reported as a ratio."""

from __future__ import annotations

# One timer for the package's `ferroauth bench` and these scripts.
from ferroauth.bench import best_time, human  # noqa: F401


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
