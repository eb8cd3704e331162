"""Hypothesis strategies for session payloads that exercise zlib: repetitive
values that compress (so the compressed token is kept) mixed with random text
that mostly does not. Shared by the itsdangerous and Django deflate tests."""

from hypothesis import strategies as st

words = st.sampled_from(
    ["_auth_user_id", "42", "user", "id", "csrf", "a", "ab", "true", "cart", "é", "\u2603"]
    + ["x" * 7, "x" * 9]
)
repetitive = st.lists(words, max_size=30).map(" ".join)
noisy = st.text(max_size=60)
values = st.recursive(
    st.none() | st.booleans() | st.integers() | repetitive | noisy,
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(noisy | words, inner, max_size=6),
    max_leaves=40,
)
dicts = st.dictionaries(noisy | words, values, max_size=10)
