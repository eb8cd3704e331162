"""Auditing stored password hashes against current recommendations.

An audit parses hashes only (no KDF runs), so a million-row table takes seconds.
Recommendations follow the OWASP Password Storage Cheat Sheet (2023 onwards);
argon2id rows that meet RFC 9106's second recommendation (64 MiB, t=3, p=4)
also meet OWASP's.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from ferroauth import _core

# OWASP: (minimum memory KiB, minimum passes) pairs for argon2id with p=1.
ARGON2ID_MINIMUMS = ((47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5))
# OWASP: (minimum n, minimum p) pairs for scrypt with r=8.
SCRYPT_MINIMUMS = ((2**17, 1), (2**16, 2), (2**15, 3), (2**14, 5), (2**13, 10))
PBKDF2_MINIMUMS = {"sha256": 600_000, "sha512": 210_000, "sha1": 1_300_000}
BCRYPT_MIN_COST = 10


def assess(scheme: str, params: dict[str, Any]) -> str | None:
    """``None`` when the parameters meet the recommendation, otherwise why not."""
    if scheme in ("argon2id", "django_argon2") and params.get("type") == "argon2id":
        m, t = params["memory_cost"], params["time_cost"]
        if any(m >= m0 and t >= t0 for m0, t0 in ARGON2ID_MINIMUMS):
            return None
        return f"argon2id m={m} KiB, t={t} is below OWASP's minimum (m=19456 KiB with t=2, …)"
    if "argon2" in scheme:
        return f"{params.get('type')} is not recommended for passwords: use argon2id"
    if "scrypt" in scheme:
        n, r, p = params["n"], params["r"], params["p"]
        if r >= 8 and any(n >= n0 and p >= p0 for n0, p0 in SCRYPT_MINIMUMS):
            return None
        return f"scrypt n={n}, r={r}, p={p} is below OWASP's minimum (n=2^17, r=8, p=1, …)"
    if "pbkdf2" in scheme:
        digest, iterations = params["digest"], params["iterations"]
        minimum = PBKDF2_MINIMUMS.get(digest)
        if minimum is None:
            return f"PBKDF2-HMAC-{digest.upper()} is not recommended: use SHA-256 or SHA-512"
        if iterations >= minimum:
            return None
        return f"PBKDF2-HMAC-{digest.upper()} with {iterations:,} iterations is below {minimum:,}"
    if "bcrypt" in scheme:
        if params["rounds"] >= BCRYPT_MIN_COST:
            return None
        return f"bcrypt cost {params['rounds']} is below {BCRYPT_MIN_COST}"
    return f"{scheme} is a legacy scheme: rehash on next login"


@dataclass
class Group:
    scheme: str
    params: dict[str, Any]
    count: int
    problem: str | None

    @property
    def meets_recommendation(self) -> bool:
        return self.problem is None


@dataclass
class Unparsed:
    message: str
    count: int
    first_lines: list[int]


@dataclass
class Report:
    total: int = 0
    groups: list[Group] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)

    @property
    def below_recommendation(self) -> int:
        return sum(g.count for g in self.groups if g.problem)

    @property
    def unparsed_count(self) -> int:
        return sum(u.count for u in self.unparsed)

    def to_json(self) -> str:
        data = {
            "total": self.total,
            "below_recommendation": self.below_recommendation,
            "unparsed": self.unparsed_count,
            "groups": [
                asdict(g) | {"meets_recommendation": g.meets_recommendation} for g in self.groups
            ],
            "errors": [asdict(u) for u in self.unparsed],
        }
        return json.dumps(data, indent=2)


def audit(hashes: Iterable[str], *, chunk_size: int = 200_000, progress=None) -> Report:
    """Count ``hashes`` by scheme and parameters and assess each group.

    ``progress``, if given, is called with the number of hashes done after each chunk.
    Line numbers in the report count from 1.
    """
    counts: dict[tuple[str, str], tuple[dict[str, Any], int]] = {}
    errors: dict[str, tuple[int, list[int]]] = {}
    total = 0
    for chunk in _chunks(hashes, chunk_size):
        groups, chunk_errors = _core.census(chunk)
        for scheme, params, n in groups:
            key = (scheme, json.dumps(params, sort_keys=True))
            previous = counts.get(key, (params, 0))[1]
            counts[key] = (params, previous + n)
        for message, n, first in chunk_errors:
            seen, lines = errors.get(message, (0, []))
            lines = sorted(lines + [total + i + 1 for i in first])[:10]
            errors[message] = (seen + n, lines)
        total += len(chunk)
        if progress is not None:
            progress(total)
    report = Report(total=total)
    for (scheme, _), (params, n) in sorted(counts.items(), key=lambda item: -item[1][1]):
        report.groups.append(Group(scheme, params, n, assess(scheme, params)))
    for message, (n, lines) in sorted(errors.items(), key=lambda item: -item[1][0]):
        report.unparsed.append(Unparsed(message, n, lines))
    return report


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
