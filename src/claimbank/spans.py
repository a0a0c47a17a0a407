"""Finding a curator's verbatim quote in a stored text.

Offsets count Unicode code points of the stored text, exactly as Python slices a ``str``:
``text[span_start:span_end] == quote``. The stored text is never altered. A quote that
matches only once typographic quotes, dashes and whitespace are folded is rejected, with
the passage it probably means, so the curator can copy it exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Typographic variants folded to one ASCII form, for near-miss hints only.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\t": " ", "\n": " ", "\r": " ",
})
_SPACES = re.compile(r" {2,}")
_SPACE_RUNS = re.compile("[ \t\n\r\u00a0\u2009\u202f\u2007]{2,}")  # the runs that fold to one space

# Hints stay short whatever the quote and the text: a few occurrences, a bounded excerpt.
SHOWN_OCCURRENCES = 3
SHOWN_CHARS = 200
CONTEXT = 30


def show(s: str, limit: int = SHOWN_CHARS) -> str:
    """``repr(s)``, cut to its first ``limit`` characters (with the length) when longer."""
    if len(s) <= limit:
        return repr(s)
    return f"{s[:limit]!r}... ({len(s)} characters)"


def fold(s: str) -> str:
    """``s`` with typographic quotes, dashes and spaces folded to ASCII and runs of spaces to one.

    Time and memory are linear: two strings the size of ``s`` at most.
    """
    return _SPACES.sub(" ", s.translate(_FOLD))


def _unfold_index(s: str, j: int) -> int:
    """The index in ``s`` of the character at index ``j`` of ``fold(s)``."""
    removed = 0  # characters of s dropped by the fold before the current run of spaces
    for m in _SPACE_RUNS.finditer(s):
        a = m.start()
        if j <= a - removed:  # at or before the one space this run folds to
            break
        removed += m.end() - a - 1
    return j + removed


def occurrences(text: str, quote: str) -> list[int]:
    """Start offsets of every (possibly overlapping) occurrence of ``quote`` in ``text``."""
    starts = []
    i = text.find(quote)
    while i != -1:
        starts.append(i)
        i = text.find(quote, i + 1)
    return starts


def _scan(text: str, quote: str, *, stop_at: int | None = None, keep: int = SHOWN_OCCURRENCES):
    """(count, the first ``keep`` starts) of the occurrences of ``quote``; stop at the ``stop_at``-th.

    Memory stays bounded however often the quote occurs.
    """
    first: list[int] = []
    n = 0
    i = text.find(quote)
    while i != -1:
        n += 1
        if len(first) < keep:
            first.append(i)
        if stop_at is not None and n == stop_at:
            return n, first, i
        i = text.find(quote, i + 1)
    return n, first, None


def near_miss_span(text: str, quote: str) -> tuple[int, int] | None:
    """(start, end) of the passage of ``text`` that ``quote`` matches once typography is folded, if any."""
    fq = fold(quote).strip()
    if not fq:
        return None
    ft = fold(text)
    j = ft.find(fq)
    del ft
    if j == -1:
        return None
    return _unfold_index(text, j), _unfold_index(text, j + len(fq) - 1) + 1


def near_miss(text: str, quote: str) -> str | None:
    """The exact passage of ``text`` that ``quote`` matches once typography is folded, if any."""
    span = near_miss_span(text, quote)
    return text[span[0]:span[1]] if span else None


def _longest_prefix(text: str, quote: str) -> tuple[int, int]:
    """(k, offset): the longest proper prefix of ``quote`` that occurs in ``text``, and where it first does.

    A binary search over the prefix length (a prefix of an occurring prefix occurs): O(log m)
    searches of the text, each linear.
    """
    lo, hi = 0, len(quote) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text.find(quote[:mid]) != -1:
            lo = mid
        else:
            hi = mid - 1
    return lo, text.find(quote[:lo]) if lo else -1


def _longest_suffix(text: str, quote: str) -> tuple[int, int]:
    """(k, offset): the longest proper suffix of ``quote`` that occurs in ``text``, and where it first does."""
    m = len(quote)
    lo, hi = 0, m - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if text.find(quote[m - mid:]) != -1:
            lo = mid
        else:
            hi = mid - 1
    return lo, text.find(quote[m - lo:]) if lo else -1


def first_difference(text: str, quote: str) -> str:
    """Where ``quote`` (which does not occur in ``text``) parts from the text, in words, with the passage.

    The longest beginning or end of the quote found in the text is extended until the first
    character that differs; the passage around it is shown with that character in brackets.
    """
    k, p = _longest_prefix(text, quote)
    ks, ps = _longest_suffix(text, quote)
    if k == 0 and ks == 0:
        return "neither its first nor its last character occurs in the text"
    if k >= ks:
        d = p + k
        if d >= len(text):
            return (f"the text ends with its first {k} characters (from offset {p}) and has nothing where the quote "
                    f"goes on with {quote[k]!r}: {context(text, p, len(text))}")
        return (f"its first {k} character{'s' if k != 1 else ''} occur at offset {p}, then the text has {text[d]!r} "
                f"(offset {d}) where the quote has {quote[k]!r}: {context(text, d, d + 1)}")
    d = ps - 1
    if d < 0:
        return (f"the text begins with its last {ks} characters and has nothing where the quote has {quote[-ks - 1]!r} "
                f"before them: {context(text, 0, ps + ks)}")
    return (f"its last {ks} character{'s' if ks != 1 else ''} occur at offset {ps}, preceded in the text by {text[d]!r} "
            f"(offset {d}) where the quote has {quote[-ks - 1]!r}: {context(text, d, d + 1)}")


def context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    """The passage ``text[start:end]`` in brackets with ``width`` characters either side (a long passage cut in the middle)."""
    left = text[max(0, start - width): start].replace("\n", " ")
    right = text[end: end + width].replace("\n", " ")
    middle = text[start:end]
    if len(middle) > 2 * width:
        middle = f"{middle[:width]}...{middle[-width:]}"
    return f"...{left}[{middle}]{right}..."


@dataclass(frozen=True)
class Located:
    start: int
    end: int


class SpanError(Exception):
    def __init__(self, slug: str, message: str, expected: str, fix: str):
        self.slug, self.message, self.expected, self.fix = slug, message, expected, fix
        super().__init__(message)


def _where(first: list[int], n: int) -> str:
    where = ", ".join(str(s) for s in first)
    return where if n <= len(first) else f"{where} and {n - len(first)} more"


def locate(text: str, quote: str, *, occurrence: int | None = None, start: int | None = None,
           occurrence_key: str = "occurrence", start_key: str = "span_start") -> Located:
    """Find ``quote`` in ``text``; ``occurrence`` (1-based) or ``start`` disambiguates.

    ``occurrence_key`` and ``start_key`` are the names the curator writes, used in hints.

    Raises SpanError with a hint when the quote is absent, ambiguous or the stated
    position does not match. Time is near-linear in the sizes of the text and the quote,
    memory bounded by them, and each message is a few hundred characters at most.
    """
    q = show(quote)
    if text.find(quote) == -1:
        span = near_miss_span(text, quote)
        if span is not None:
            at, end = span
            passage = text[at:end]
            if len(passage) <= SHOWN_CHARS:
                raise SpanError(
                    "quote-near-miss",
                    f"{q} is not in the text verbatim; it differs only by typographic quotes, dashes or whitespace from {passage!r}",
                    "the exact characters of the text",
                    f"copy the passage exactly: {passage!r}",
                )
            i = next((i for i, (a, b) in enumerate(zip(quote, passage)) if a != b), min(len(quote), len(passage)))
            d = at + i
            raise SpanError(
                "quote-near-miss",
                f"{q} is not in the text verbatim; it differs only by typographic quotes, dashes or whitespace from the "
                f"passage at offsets {at} to {end}, first at offset {d}: {context(text, d, d + 1)}",
                "the exact characters of the text",
                f"copy the passage from offset {at} to {end} of the stored text exactly",
            )
        raise SpanError(
            "quote-not-found",
            f"{q} does not occur in the text; {first_difference(text, quote)}",
            "a verbatim passage of the text",
            "copy the passage from the stored text exactly",
        )
    if start is not None:
        if not (0 <= start <= len(text) - len(quote) and text.startswith(quote, start)):
            n, first, _ = _scan(text, quote)
            where = _where(first, n)
            raise SpanError(
                "offset-mismatch",
                f"{start_key} {start} does not match: {q} occurs at {where}",
                f"one of {where}",
                f"set {start_key}: {first[0]}" if n == 1 else f"set {start_key} to the offset of the occurrence you mean",
            )
        if occurrence is not None:
            index = _scan(text[: start + len(quote)], quote)[0]  # occurrences up to and including this one
            if index != occurrence:
                raise SpanError(
                    "offset-mismatch",
                    f"{start_key} {start} is occurrence {index}, not {occurrence_key} {occurrence}",
                    f"{start_key} and {occurrence_key} naming the same place",
                    f"give only one of {start_key} and {occurrence_key}",
                )
        return Located(start, start + len(quote))
    if occurrence is not None:
        n, _, s = _scan(text, quote, stop_at=occurrence if occurrence >= 1 else None, keep=0)
        if s is None:
            raise SpanError(
                "offset-mismatch",
                f"{occurrence_key} {occurrence} does not exist: {q} occurs {n} time{'s' if n != 1 else ''}",
                f"{occurrence_key} from 1 to {n}",
                f"set {occurrence_key}: 1 or remove it" if n == 1 else f"set {occurrence_key} to a number from 1 to {n}",
            )
        return Located(s, s + len(quote))
    n, first, _ = _scan(text, quote)
    if n > 1:
        options = "; ".join(f"{occurrence_key} {k} at {s}: {context(text, s, s + len(quote))}" for k, s in enumerate(first, 1))
        if n > len(first):
            options += f"; and {n - len(first)} more"
        raise SpanError(
            "quote-ambiguous",
            f"{q} occurs {n} times ({options})",
            "a quote that occurs once, or a disambiguator",
            f"add '{occurrence_key}: N' (1-based, in text order) or '{start_key}: OFFSET', or quote a longer passage",
        )
    return Located(first[0], first[0] + len(quote))
