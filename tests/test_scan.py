"""The compiled scans against Great Expectations: the suspects cover every expectation GX fails.

Validation runs in Great Expectations only the expectations whose scan found suspects
(``claimbank.scan``). These tests run the full suites in GX (``full=True``) beside the scans on
the same tables and check that every expectation GX fails is one the scans sent to GX, and
that the failures reported are the same, word for word: on every corruption of
tests/test_validation.py, and on defects injected at random (Hypothesis) into the tables of
the curation's build: nulls, duplicates, values just outside a bound, text with non-ASCII
characters, newlines or control characters, dropped and repeated rows, lists holding nulls.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import test_validation as corruptions
from claimbank.build import build
from claimbank.derived import DUCKDB, SPARK
from claimbank.folders import read_table
from claimbank.scan import GX, PASS, ROWS, compile_expectation
from claimbank.schema import load_schema
from claimbank.suites import load_suite_dicts
from claimbank.validate import frame_kinds, validate_folder, validate_tables
from conftest import REPO, curation_copy

SCHEMA = load_schema()
SUITES = load_suite_dicts(SCHEMA)


def _failing(report) -> dict[str, set[int]]:
    """Per table, the suite positions of the expectations that failed."""
    out: dict[str, set[int]] = {}
    for f in report.failures:
        if f.table not in SUITES or f.check in ("arrow-type", "table-present", "table-readable"):
            continue
        for i, e in enumerate(SUITES[f.table]["expectations"]):
            kw, meta = e["kwargs"], e["meta"]
            if (meta["check"], meta["description"]) == (f.check, f.description) \
                    and (meta.get("column") or kw.get("column") or kw.get("column_A")) == f.column:
                out.setdefault(f.table, set()).add(i)
    return out


def _assert_covered(scanned, full) -> None:
    assert full.in_gx == {n: list(range(len(SUITES[n]["expectations"]))) for n in full.in_gx}
    for table, failed in _failing(full).items():
        assert failed <= set(scanned.in_gx.get(table, [])), (table, failed, scanned.in_gx.get(table))
    assert [str(f) for f in scanned.failures] == [str(f) for f in full.failures]
    assert scanned.checks == full.checks


@pytest.fixture(scope="module")
def seed_build(tmp_path_factory):
    return build(out=tmp_path_factory.mktemp("seed") / "out", data=REPO / "data")


@pytest.fixture(scope="module")
def seed_tables(seed_build):
    return {n: read_table(seed_build, n) for n in SCHEMA.table_names}


@pytest.fixture(scope="module")
def valid_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("valid")
    return build(out=tmp / "out", data=curation_copy(tmp / "src"))


def test_valid_build_sends_nothing_to_great_expectations(seed_build):
    report = validate_folder(seed_build)
    assert report.success, report.summary()
    assert report.in_gx == {n: [] for n in SCHEMA.table_names}
    assert report.checks == sum(len(s["expectations"]) for s in SUITES.values()) + len(SCHEMA.table_names)


# the parity tests run every expectation in GX for each defect (some 6 s each): slow, left to the full suite
@pytest.mark.slow
@pytest.mark.parametrize("defect", sorted(corruptions.DEFECTS))
def test_corruption_fails_as_in_the_full_suites(defect, valid_build, tmp_path):
    folder = tmp_path / "corrupt"
    shutil.copytree(valid_build, folder)
    table, corrupt, _ = corruptions.DEFECTS[defect]
    corruptions._rewrite(folder, table, corrupt)
    scanned, full = validate_folder(folder), validate_folder(folder, full=True)
    assert not scanned.success
    _assert_covered(scanned, full)


def test_a_table_whose_structure_differs_goes_whole_to_great_expectations(valid_build, tmp_path):
    folder = tmp_path / "corrupt"
    shutil.copytree(valid_build, folder)
    corruptions._rewrite(folder, "claims", corruptions._wrong_type)
    report = validate_folder(folder)
    assert report.in_gx["claims"] == list(range(len(SUITES["claims"]["expectations"])))
    assert report.in_gx["speakers"] == []


# -- random defects ---------------------------------------------------------------------------------

TEXT_EDITS = ["é", "\n", "\x0b", "\x1c", " ", "A", "-", "$", "€", "𝄞", "\u00a0", "\t", "0"]
DATES = [dt.date(1900, 1, 1), dt.date(2100, 12, 31), dt.date(1899, 12, 31), dt.date(2101, 1, 1), dt.date(2000, 2, 29)]


def _replace(t: pa.Table, column: str, values: list) -> pa.Table:
    i = t.schema.get_field_index(column)
    f = t.schema.field(i)
    return t.set_column(i, pa.field(column, f.type, nullable=True), pa.array(values, f.type))


@st.composite
def defect(draw, tables: dict[str, pa.Table]):
    """(table, description, mutate): one defect of one table."""
    name = draw(st.sampled_from([n for n, t in tables.items() if t.num_rows]))
    t = tables[name]
    kind = draw(st.sampled_from(["value", "value", "value", "drop_row", "repeat_row"]))
    row = draw(st.integers(0, t.num_rows - 1))
    if kind == "drop_row":
        return name, f"drop row {row}", lambda t: pa.concat_tables([t.slice(0, row), t.slice(row + 1)])
    if kind == "repeat_row":
        return name, f"repeat row {row}", lambda t: pa.concat_tables([t, t.slice(row, 1)])
    field = draw(st.sampled_from(SCHEMA[name].fields))
    values = t.column(field.name).to_pylist()
    old = values[row]
    choices: list = [None, values[draw(st.integers(0, t.num_rows - 1))]]
    if field.type == "string":
        s = old or ""
        edit = draw(st.sampled_from(TEXT_EDITS))
        at = draw(st.integers(0, len(s)))
        choices += [s[:at] + edit + s[at:], "", s.upper(), s[:-1], s + "\n"]
        if field.label_set is not None:
            choices += field.label_set.names
    elif field.type == "integer":
        v = old if isinstance(old, int) else 0
        choices += [v + 1, v - 1, -1, 0, 1, 2**31 - 1]
    elif field.type == "boolean":
        choices += [not old if old is not None else True]
    elif field.type == "date":
        choices += DATES
    elif field.type == "array":
        choices += [[], [None], (old or []) + [None], (old or []) + ["x"]]
    new = draw(st.sampled_from(choices))

    def mutate(t, column=field.name, row=row, new=new):
        vs = t.column(column).to_pylist()
        vs[row] = new
        return _replace(t, column, vs)

    return name, f"{name}.{field.name}[{row}] = {new!r}", mutate


# each example runs every expectation in GX: a dozen by default, many more with HYPOTHESIS_PROFILE=thorough
EXAMPLES = settings().max_examples if os.environ.get("HYPOTHESIS_PROFILE") == "thorough" else 12


@pytest.mark.slow
def test_random_defects_are_covered(seed_tables):
    @settings(max_examples=EXAMPLES)
    @given(st.lists(defect(seed_tables), min_size=1, max_size=3))
    def check(defects):
        tables = dict(seed_tables)
        for name, _, mutate in defects:
            tables[name] = mutate(tables[name])
        scanned = validate_tables(tables)
        full = validate_tables(tables, full=True)
        _assert_covered(scanned, full)

    check()


def _edit(table: str, column: str, change, where=None):
    """Change the value of ``column`` in the first row (the first whose value satisfies ``where``)."""
    def mutate(t):
        values = t.column(column).to_pylist()
        i = 0 if where is None else next(i for i, v in enumerate(values) if where(v))
        values[i] = change(values[i])
        return _replace(t, column, values)
    return table, mutate


# where the engines' regular expressions and Python's part ways, and where nulls meet pair checks
EDGES = {
    "url_with_a_control_character": _edit("evidence", "url", lambda v: v.replace("://", "://a\x1c", 1)),
    "id_with_a_trailing_newline": _edit("claims", "claim_id", lambda v: v + "\n"),
    "id_with_arabic_digits": _edit("documents", "doc_id", lambda v: "d\u0663\u0660\u0660"),
    "list_with_a_null": _edit("claims", "topics", lambda v: (v or []) + [None]),
    "cue_without_offsets": _edit("sourcing", "cue_start", lambda v: None, where=lambda v: v is not None),
}


@pytest.mark.slow
@pytest.mark.parametrize("edge", sorted(EDGES))
def test_edge_defects_are_covered(edge, seed_tables):
    name, mutate = EDGES[edge]
    tables = {**seed_tables, name: mutate(seed_tables[name])}
    scanned, full = validate_tables(tables), validate_tables(tables, full=True)
    _assert_covered(scanned, full)
    assert scanned.in_gx[name]


# -- the translation itself ----------------------------------------------------------------------------

def test_every_expectation_of_the_suites_is_translated():
    """No expectation of the committed suites falls back to GX on a table of the schema's structure."""
    for name, suite in SUITES.items():
        kinds, columns = frame_kinds(SCHEMA, name)
        for e in suite["expectations"]:
            for d in (DUCKDB, SPARK):
                assert compile_expectation(e, kinds, columns, d).kind != GX, (name, e)


@pytest.mark.parametrize("expectation", [
    {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "stance", "value_set": ["supports"], "mostly": 0.9}},
    {"type": "expect_column_values_to_be_between", "kwargs": {"column": "span_start", "min_value": 0, "strict_min": True}},
    {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "doc_id", "regex": "^(?=d)d[0-9]+$"}},
    {"type": "expect_column_values_to_match_regex", "kwargs": {"column": "doc_id", "regex": "^d\\d+\\b$"}},
    {"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "span_start", "value_set": ["0"]}},
    {"type": "expect_column_pair_values_to_be_equal", "kwargs": {"column_A": "span_start", "column_B": "quote"}},
    {"type": "expect_column_values_to_be_increasing", "kwargs": {"column": "span_start"}},
    {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "topics"}},
    {"type": "expect_table_columns_to_match_ordered_list", "kwargs": {"column_list": ["claim_id"]}},
])
def test_what_is_not_known_goes_to_great_expectations(expectation):
    kinds, columns = frame_kinds(SCHEMA, "stances")
    kinds.update(frame_kinds(SCHEMA, "claims")[0])
    assert compile_expectation(expectation, kinds, columns, DUCKDB).kind == GX


def test_structure_decides_columns_and_types():
    kinds, columns = frame_kinds(SCHEMA, "claims")
    types = [e for e in SUITES["claims"]["expectations"] if e["type"] == "expect_column_values_to_be_of_type"]
    assert types and all(compile_expectation(e, kinds, columns, DUCKDB).kind == PASS for e in types)
    wrong = {**types[0], "kwargs": {**types[0]["kwargs"], "type_": "float"}}
    assert compile_expectation(wrong, kinds, columns, DUCKDB).kind == GX
    topics = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "topics"}}
    compiled = compile_expectation(topics, kinds, columns, DUCKDB)
    assert compiled.kind == ROWS and "list_count" in compiled.sql  # a null element is a suspect too


def test_data_that_does_not_read_is_reported_as_before(valid_build, tmp_path):
    """A file whose footer reads but whose data pages do not: the scan gives way to the reading of every
    table, which names the file's table as unreadable."""
    folder = tmp_path / "corrupt"
    shutil.copytree(valid_build, folder)
    path = next((folder / "data" / "evidence").glob("*.parquet"))
    raw = bytearray(path.read_bytes())
    for i in range(8, len(raw) // 2):  # the data pages, not the footer at the end
        raw[i] = 0xFF
    path.write_bytes(bytes(raw))
    report = validate_folder(folder)
    assert [(f.table, f.check) for f in report.failures] == [("evidence", "table-readable")]
    assert report.failures[0].message.startswith("cannot read: ")
