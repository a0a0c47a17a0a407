"""Offsets are code points; quotes are found exactly; near misses get a hint (property tests)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimbank.spans import SpanError, locate, near_miss

TEXTS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=200)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data())
def test_located_span_slices_back_to_the_quote(text, data):
    i = data.draw(st.integers(0, len(text) - 1))
    j = data.draw(st.integers(i + 1, len(text)))
    quote = text[i:j]
    found = [k for k in range(len(text)) if text.startswith(quote, k)]
    if len(found) == 1:
        loc = locate(text, quote)
    else:
        loc = locate(text, quote, occurrence=found.index(i) + 1)
    assert text[loc.start:loc.end] == quote
    assert loc.start == i


def test_offsets_count_code_points_not_bytes_or_utf16_units():
    text = "😀 Kozak’s deal"
    loc = locate(text, "Kozak’s")
    assert (loc.start, loc.end) == (2, 9)


@pytest.mark.parametrize("typed, stored", [
    ("Kozak's deal", "Kozak’s deal"),
    ('"absolutely no relation"', "“absolutely no relation”"),
    ("1990-2000 war", "1990–2000 war"),
    ("no  sign\nof", "no sign of"),
])
def test_typographic_near_miss_points_at_the_exact_passage(typed, stored):
    text = f"Before. {stored}. After."
    assert near_miss(text, typed) == stored
    with pytest.raises(SpanError) as exc:
        locate(text, typed)
    assert exc.value.slug == "quote-near-miss"
    assert repr(stored) in exc.value.fix
