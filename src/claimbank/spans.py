"""Finding a curator's verbatim quote in a stored text.

Offsets count Unicode code points of the stored text, exactly as Python slices a ``str``:
``text[span_start:span_end] == quote``. The stored text is never altered. A quote that
matches only once typographic quotes, dashes and whitespace are folded is rejected, with
the passage it probably means, so the curator can copy it exactly.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# Typographic variants folded to one ASCII form, for near-miss hints only.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\t": " ", "\n": " ", "\r": " ",
})
_SPACES = re.compile(r" +")


def fold(s: str) -> tuple[str, list[int]]:
    """Fold ``s`` and return the folded string with, for each folded char, its index in ``s``."""
    t = s.translate(_FOLD)
    out: list[str] = []
    index: list[int] = []
    prev_space = False
    for i, ch in enumerate(t):
        if ch == " ":
            if prev_space:
                continue
            prev_space = True
        else:
            prev_space = False
        out.append(ch)
        index.append(i)
    return "".join(out), index


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``quote`` in ``text``."""
    starts = []
    i = text.find(quote)
    while i != -1:
        starts.append(i)
        i = text.find(quote, i + 1)
    return starts


def near_miss(text: str, quote: str) -> str | None:
    """The exact passage of ``text`` that ``quote`` matches once typography is folded, if any."""
    ft, idx = fold(text)
    fq, _ = fold(quote)
    fq = fq.strip()
    if not fq:
        return None
    j = ft.find(fq)
    if j == -1:
        return None
    start = idx[j]
    end = idx[j + len(fq) - 1] + 1
    return text[start:end]


def nearest_passage(text: str, quote: str) -> str:
    """The passage of ``text`` most like ``quote``: a hint when a quote is not found."""
    sm = difflib.SequenceMatcher(None, text, quote, autojunk=False)
    m = sm.find_longest_match(0, len(text), 0, len(quote))
    if m.size == 0:
        return text[: min(len(text), len(quote))]
    start = max(0, m.a - m.b)
    return text[start: min(len(text), start + len(quote))]


def context(text: str, start: int, end: int, width: int = 30) -> str:
    left = text[max(0, start - width): start].replace("\n", " ")
    right = text[end: end + width].replace("\n", " ")
    return f"...{left}[{text[start:end]}]{right}..."


@dataclass(frozen=True)
class Located:
    start: int
    end: int


class SpanError(Exception):
    def __init__(self, slug: str, message: str, expected: str, fix: str):
        self.slug, self.message, self.expected, self.fix = slug, message, expected, fix
        super().__init__(message)


def locate(text: str, quote: str, *, occurrence: int | None = None, start: int | None = None,
           occurrence_key: str = "occurrence", start_key: str = "span_start") -> Located:
    """Find ``quote`` in ``text``; ``occurrence`` (1-based) or ``start`` disambiguates.

    ``occurrence_key`` and ``start_key`` are the names the curator writes, used in hints.

    Raises SpanError with a hint when the quote is absent, ambiguous or the stated
    position does not match.
    """
    found = occurrences(text, quote)
    if not found:
        passage = near_miss(text, quote)
        if passage is not None:
            raise SpanError(
                "quote-near-miss",
                f"{quote!r} is not in the text verbatim; it differs only by typographic quotes, dashes or whitespace from {passage!r}",
                "the exact characters of the text",
                f"copy the passage exactly: {passage!r}",
            )
        raise SpanError(
            "quote-not-found",
            f"{quote!r} does not occur in the text; the nearest passage is {nearest_passage(text, quote)!r}",
            "a verbatim passage of the text",
            "copy the passage from the stored text exactly",
        )
    if start is not None:
        if start not in found:
            where = ", ".join(str(s) for s in found)
            raise SpanError(
                "offset-mismatch",
                f"{start_key} {start} does not match: {quote!r} occurs at {where}",
                f"one of {where}",
                f"set {start_key}: {found[0]}" if len(found) == 1 else f"set {start_key} to the offset of the occurrence you mean",
            )
        if occurrence is not None and found.index(start) + 1 != occurrence:
            raise SpanError(
                "offset-mismatch",
                f"{start_key} {start} is occurrence {found.index(start) + 1}, not {occurrence_key} {occurrence}",
                f"{start_key} and {occurrence_key} naming the same place",
                f"give only one of {start_key} and {occurrence_key}",
            )
        return Located(start, start + len(quote))
    if occurrence is not None:
        if not 1 <= occurrence <= len(found):
            raise SpanError(
                "offset-mismatch",
                f"{occurrence_key} {occurrence} does not exist: {quote!r} occurs {len(found)} time{'s' if len(found) != 1 else ''}",
                f"{occurrence_key} from 1 to {len(found)}",
                f"set {occurrence_key}: 1 or remove it" if len(found) == 1 else f"set {occurrence_key} to a number from 1 to {len(found)}",
            )
        s = found[occurrence - 1]
        return Located(s, s + len(quote))
    if len(found) > 1:
        options = "; ".join(f"{occurrence_key} {k} at {s}: {context(text, s, s + len(quote))}" for k, s in enumerate(found, 1))
        raise SpanError(
            "quote-ambiguous",
            f"{quote!r} occurs {len(found)} times ({options})",
            "a quote that occurs once, or a disambiguator",
            f"add '{occurrence_key}: N' (1-based, in text order) or '{start_key}: OFFSET', or quote a longer passage",
        )
    return Located(found[0], found[0] + len(quote))
