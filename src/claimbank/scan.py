"""The suites compiled to scans: each expectation as a count of suspect rows, one aggregate query per table.

The suites of ``schema/suites/`` stay Great Expectations suites, and every failure reported is
a Great Expectations result. What this module adds is a way not to run most of them: each
expectation is translated into SQL that counts the rows that *could* make it fail (its
suspects), all of a table's expectations in one aggregate query over the table and its
derived columns (``derived.frame_sql``), on DuckDB or on Spark SQL. An expectation without
suspects passes; only those with suspects go to Great Expectations, which decides.

The translation is conservative: wherever the SQL engine and Great Expectations on pandas
could disagree, the rows are suspects.

- A regular expression runs on RE2 (DuckDB) or java.util.regex (Spark), which differ from
  Python's ``re`` on non-ASCII text, control characters and line ends (``$`` before a final
  newline): every value the engine's regex rejects is a suspect, and so is every value with a
  character outside printable ASCII, unless a match of the engine implies a match of Python's
  (``Dialect.regex_match_implies_python``: RE2 on a pattern without negated classes). A
  pattern with anything beyond plain classes, groups, alternatives and counted repeats is not
  translated.
- Pair checks: a row with a null in either column is a suspect unless the expectation
  ignores it (``ignore_row_if: either_value_is_missing``, or both null under the default).
- A date equal to a bound of a range is a suspect (the bounds are text to Great Expectations).
- A list column is handed to Great Expectations as joined text, which is null when an
  element is null: such rows are suspects of its null checks; any other check of a list
  column is not translated.
- Uniqueness: suspect when the non-null values (tuples) are fewer than the rows holding them,
  and any row with a null in a compound key.
- Column lists and types are decided from the table's structure (names, Arrow types); a table
  whose structure differs from the schema is not scanned at all.
- Any other expectation type, any argument not listed here (``mostly``, ``row_condition``,
  ``strict_min``, ...), any value of a type the column does not hold: not translated, so
  the expectation always runs in Great Expectations.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .derived import Dialect
from .suites import GX_TYPE

GX = "gx"      # always run in Great Expectations
PASS = "pass"  # decided without suspects (the table's structure)
ROWS = "rows"  # SQL condition: the row is a suspect
COUNT = "count"  # SQL aggregate: the number of suspects

DERIVED_KIND = {"string": "string", "int64": "integer", "bool": "boolean"}
COMPARABLE = {"string", "integer", "boolean", "date"}
_KWARGS = {
    "expect_table_columns_to_match_ordered_list": ({"column_list"}, set()),
    "expect_column_values_to_be_of_type": ({"column", "type_"}, set()),
    "expect_column_values_to_not_be_null": ({"column"}, set()),
    "expect_column_values_to_be_null": ({"column"}, set()),
    "expect_column_values_to_be_unique": ({"column"}, set()),
    "expect_compound_columns_to_be_unique": ({"column_list"}, set()),
    "expect_column_values_to_be_in_set": ({"column", "value_set"}, set()),
    "expect_column_values_to_match_regex": ({"column", "regex"}, set()),
    "expect_column_values_to_be_between": ({"column"}, {"min_value", "max_value"}),
    "expect_column_value_lengths_to_be_between": ({"column"}, {"min_value", "max_value"}),
    "expect_column_pair_values_to_be_equal": ({"column_A", "column_B"}, {"ignore_row_if"}),
    "expect_column_pair_values_a_to_be_greater_than_b": ({"column_A", "column_B"}, {"or_equal", "ignore_row_if"}),
}
IGNORE_ROW_IF = ("both_values_are_missing", "either_value_is_missing", "neither")
# what a translated regular expression may hold: literal characters, classes, anchors, groups, alternatives,
# counted repeats; escapes only of these classes and of punctuation
_SAFE_REGEX = re.compile(r"^(?:[A-Za-z0-9 \-_:/.,;@#%&=~!'\"<>^$|()\[\]{}*+?]|\\[sSdDwW./\-\\()\[\]{}*+?|^$:])*$")
PRINTABLE = r"^[ -~]*\z"  # printable ASCII throughout, on RE2 and java.util.regex alike
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Compiled:
    """One expectation of a suite, translated: ``kind`` is GX, PASS, ROWS or COUNT; ``sql`` for ROWS and COUNT."""

    kind: str
    sql: str | None = None


def _col(name: str) -> str:
    return f"f.{name}"


def _safe_regex(pattern) -> bool:
    if not isinstance(pattern, str) or "(?" in pattern or not _SAFE_REGEX.match(pattern):
        return False
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _bounds(kind: str, lo, hi, d: Dialect) -> tuple[str | None, str | None] | None:
    """SQL literals for the bounds of a between check on a column of ``kind``; None where not translated."""
    out = []
    for v in (lo, hi):
        if v is None:
            out.append(None)
        elif kind == "integer" and isinstance(v, int) and not isinstance(v, bool):
            out.append(str(v))
        elif kind == "date" and isinstance(v, str) and _DATE.match(v):
            try:
                dt.date.fromisoformat(v)
            except ValueError:
                return None
            out.append(f"DATE '{v}'")
        else:
            return None
    return out[0], out[1]


def compile_expectation(e: dict, kinds: dict[str, str], columns: list[str], d: Dialect) -> Compiled:
    """Translate one expectation (GX JSON) over a frame whose columns are ``columns`` with ``kinds``
    (column -> string, integer, boolean, date or array) and whose Arrow types are the schema's."""
    etype, kw = e.get("type"), dict(e.get("kwargs") or {})
    if etype not in _KWARGS:
        return Compiled(GX)
    required, optional = _KWARGS[etype]
    if not required <= set(kw) or not set(kw) <= required | optional:
        return Compiled(GX)
    if etype == "expect_table_columns_to_match_ordered_list":
        return Compiled(PASS) if kw["column_list"] == columns else Compiled(GX)
    if etype == "expect_compound_columns_to_be_unique":
        cols = kw["column_list"]
        if not isinstance(cols, list) or not cols or any(kinds.get(c) not in COMPARABLE for c in cols):
            return Compiled(GX)
        cs = [_col(c) for c in cols]
        nulls = f"coalesce(sum(CASE WHEN {' OR '.join(f'{c} IS NULL' for c in cs)} THEN 1 ELSE 0 END), 0)"
        return Compiled(COUNT, f"{nulls} + (count(*) - {nulls} - {d.count_distinct(cs)})")
    if "column" in required:
        column = kw["column"]
        kind = kinds.get(column)
        if kind is None:
            return Compiled(GX)
        c = _col(column)
        if etype == "expect_column_values_to_be_of_type":
            return Compiled(PASS) if kind != "array" and kw["type_"] == GX_TYPE.get(kind) and not column.startswith("_") \
                else Compiled(GX)
        if etype == "expect_column_values_to_not_be_null":
            return Compiled(ROWS, f"{c} IS NULL OR {d.list_has_null(c)}" if kind == "array" else f"{c} IS NULL")
        if kind == "array":
            return Compiled(GX)
        if etype == "expect_column_values_to_be_null":
            return Compiled(ROWS, f"{c} IS NOT NULL")
        if etype == "expect_column_values_to_be_unique":
            return Compiled(COUNT, f"count({c}) - {d.count_distinct([c])}")
        if etype == "expect_column_values_to_be_in_set":
            values = kw["value_set"]
            ok = {"string": lambda v: isinstance(v, str), "boolean": lambda v: isinstance(v, bool),
                  "integer": lambda v: isinstance(v, int) and not isinstance(v, bool)}.get(kind)
            if not isinstance(values, list) or ok is None or not all(ok(v) for v in values):
                return Compiled(GX)
            if not values:
                return Compiled(ROWS, f"{c} IS NOT NULL")
            return Compiled(ROWS, f"{c} IS NOT NULL AND NOT ({c} IN ({', '.join(d.literal(v) for v in values)}))")
        if etype == "expect_column_values_to_match_regex":
            if kind != "string" or not _safe_regex(kw["regex"]):
                return Compiled(GX)
            fails = f"NOT {d.regex_search(c, kw['regex'])}"
            if not d.regex_match_implies_python(kw["regex"]):
                fails = f"NOT {d.regex_search(c, PRINTABLE)} OR {fails}"
            return Compiled(ROWS, f"{c} IS NOT NULL AND ({fails})")
        if etype == "expect_column_values_to_be_between":
            bounds = _bounds(kind, kw.get("min_value"), kw.get("max_value"), d)
            if bounds is None or bounds == (None, None):
                return Compiled(GX)
            # whole numbers compare exactly; a date equal to a bound is a suspect (GX compares it with the text of the bound)
            lo, hi = ("<=", ">=") if kind == "date" else ("<", ">")
            parts = [p for p in (bounds[0] and f"{c} {lo} {bounds[0]}", bounds[1] and f"{c} {hi} {bounds[1]}") if p]
            return Compiled(ROWS, f"{c} IS NOT NULL AND ({' OR '.join(parts)})")
        if etype == "expect_column_value_lengths_to_be_between":
            lo, hi = kw.get("min_value"), kw.get("max_value")
            if kind != "string" or (lo is None and hi is None) or \
                    any(v is not None and (not isinstance(v, int) or isinstance(v, bool)) for v in (lo, hi)):
                return Compiled(GX)
            parts = [p for p in (lo is not None and f"length({c}) < {lo}", hi is not None and f"length({c}) > {hi}") if p]
            return Compiled(ROWS, f"{c} IS NOT NULL AND ({' OR '.join(parts)})")
        return Compiled(GX)
    # the pair checks
    a, b = kw["column_A"], kw["column_B"]
    ka, kb = kinds.get(a), kinds.get(b)
    ignore = kw.get("ignore_row_if", "both_values_are_missing")
    if ka is None or ka != kb or ka not in COMPARABLE or ignore not in IGNORE_ROW_IF:
        return Compiled(GX)
    ca, cb = _col(a), _col(b)
    if etype == "expect_column_pair_values_to_be_equal":
        differ = f"{ca} <> {cb}"
    else:
        or_equal = kw.get("or_equal")
        if or_equal not in (None, True, False) or ka == "boolean":
            return Compiled(GX)
        differ = f"NOT ({ca} >= {cb})" if or_equal else f"NOT ({ca} > {cb})"
    if ignore == "either_value_is_missing":
        cond = f"{ca} IS NOT NULL AND {cb} IS NOT NULL AND {differ}"
    elif ignore == "both_values_are_missing":
        cond = f"NOT ({ca} IS NULL AND {cb} IS NULL) AND ({ca} IS NULL OR {cb} IS NULL OR {differ})"
    else:
        cond = f"{ca} IS NULL OR {cb} IS NULL OR {differ}"
    return Compiled(ROWS, cond)


def compile_suite(suite: dict, kinds: dict[str, str], columns: list[str], d: Dialect) -> list[Compiled]:
    return [compile_expectation(e, kinds, columns, d) for e in suite["expectations"]]


def scan_sql(frame: str, compiled: list[Compiled]) -> str | None:
    """One aggregate query over ``frame``: the row count, then the suspects of each ROWS or COUNT expectation
    (a condition that comes out NULL counts as suspect). None when nothing is to be counted."""
    parts = ["count(*) AS _rows"]
    for i, c in enumerate(compiled):
        if c.kind == ROWS:
            parts.append(f"sum(CASE WHEN coalesce(({c.sql}), TRUE) THEN 1 ELSE 0 END) AS s{i}")
        elif c.kind == COUNT:
            parts.append(f"coalesce(({c.sql}), 1) AS s{i}")
    if len(parts) == 1:
        return None
    return f"SELECT {', '.join(parts)} FROM ({frame}) f"


def to_gx(compiled: list[Compiled], counts: dict[str, int] | None) -> list[int]:
    """The positions of the expectations that go to Great Expectations: untranslated ones, and those with suspects."""
    out = []
    for i, c in enumerate(compiled):
        if c.kind == GX or (c.kind in (ROWS, COUNT) and (counts is None or (counts.get(f"s{i}") or 0) > 0)):
            out.append(i)
    return out
