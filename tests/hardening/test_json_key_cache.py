"""The JSON loaders reuse `str` objects for object keys across documents
(src/py/key_cache.rs). Sharing must never change a result: keys that collide
in the cache, long keys, non-ASCII keys and keys that differ only in their
last byte all load as json.loads loads them."""

from __future__ import annotations

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from ferroauth import _core


def loads(doc: bytes):
    found = _core.django_json_loads(doc)
    assert found is not None, doc
    return found[0]


def test_repeated_keys_are_the_same_object() -> None:
    doc = b'{"user_id":1,"csrf":"x","roles":["a"],"_fresh":true}'
    first, second = loads(doc), loads(doc)
    assert first == second == json.loads(doc)
    assert all(a is b for a, b in zip(first, second, strict=True))


def test_many_distinct_keys_in_turn_load_exactly() -> None:
    # Far more keys than cache slots: every slot is replaced many times over.
    rng = random.Random(7)
    alphabet = "abcdefghijklmnopqrstuvwxyz_0123456789é"
    keys = [
        "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))) for _ in range(3000)
    ]
    keys += ["k" * 23 + c for c in "abc"] + ["k" * 24 + c for c in "abc"]  # last byte differs
    for _ in range(3):
        rng.shuffle(keys)
        for i in range(0, len(keys), 5):
            obj = {k: n for n, k in enumerate(keys[i : i + 5])}
            doc = json.dumps(obj).encode("latin-1", "replace")
            assert loads(doc) == json.loads(doc.decode("latin-1"))


@settings(max_examples=300)
@given(st.lists(st.dictionaries(st.text(max_size=30), st.integers(), max_size=6), max_size=8))
def test_sequences_of_documents_match_json_loads(objs: list[dict[str, int]]) -> None:
    for obj in objs:
        doc = json.dumps(obj)  # ASCII: \\u escapes for everything else
        assert loads(doc.encode()) == json.loads(doc)
