"""The derived columns: one declaration (schema/semantic.json) and one SQL definition (claimbank.derived), the same
values on DuckDB and on Spark's dialect, and the curator's list in data/README.md in the declaration's words."""

from __future__ import annotations

import re

import duckdb
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from claimbank import derived
from claimbank.schema import load_schema
from claimbank.suites import derived_columns, fk_columns, load_suite_dicts
from claimbank.validate import Source, _duckdb, derived_arrays
from conftest import REPO

SCHEMA = load_schema()


def test_every_declared_column_has_one_definition_in_both_dialects():
    for d in (derived.DUCKDB, derived.SPARK):
        for name in SCHEMA.table_names:
            sql = derived.frame_sql(SCHEMA, name, d)
            for column in derived_columns(SCHEMA)[name]:
                assert f" AS {column}" in sql, (name, column)


def test_the_suites_compare_only_declared_columns():
    for name, suite in load_suite_dicts(SCHEMA).items():
        declared = set(derived_columns(SCHEMA)[name])
        for e in suite["expectations"]:
            for key in ("column", "column_A", "column_B"):
                c = e["kwargs"].get(key)
                if c and c.startswith("_"):
                    assert c in declared, (name, c)


def _tables(**changes) -> dict[str, pa.Table]:
    """Every table empty, in the schema's Arrow types, except ``changes`` (table -> {column: values})."""
    out = {}
    for name in SCHEMA.table_names:
        schema = SCHEMA[name].arrow_schema()
        given = changes.get(name, {})
        n = len(next(iter(given.values()))) if given else 0
        out[name] = pa.table({f.name: pa.array(given.get(f.name, [None] * n), f.type) for f in schema}, schema=pa.schema(
            [pa.field(f.name, f.type) for f in schema]))
    return out


def _derive(tables, name):
    con = _duckdb({n: Source(t.schema, table=t) for n, t in tables.items()}, SCHEMA)
    try:
        return {c: v.to_pylist() for c, v in derived_arrays(con, SCHEMA, name).items()}
    finally:
        con.close()


def test_slices_count_code_points_and_name_what_is_wrong():
    text = "a𝄞é “x” b\nc"
    tables = _tables(
        documents={"doc_id": ["d1"], "text": [text]},
        claims={"claim_id": ["c1", "c2", "c3", "c4", "c5"], "doc_id": ["d1", "d1", "d1", "d9", "d1"],
                "span_start": [1, 4, 5, 0, None], "span_end": [3, 7, 99, 1, 2]},
    )
    got = _derive(tables, "claims")
    assert got["_text_slice"] == [text[1:3], text[4:7], derived.OUTSIDE, derived.NO_DOCUMENT, derived.NO_OFFSETS]
    assert got["_doc_length"] == [len(text), len(text), len(text), None, len(text)]


# characters where a slice by code points and one by bytes part ways, and the one that stands for them in a shadow
_ALPHABET = st.sampled_from(["a", "e", " ", "\n", "é", "“", "”", "𝄞", "\x7f", "я", "?"])


@settings(max_examples=40, deadline=None)
@given(text=st.text(_ALPHABET, max_size=40), data=st.data())
def test_a_slice_is_the_text_slice_whatever_the_quote_holds(text, data):
    """The slice of a text is text[s:e] whatever the quote compared with it: equal to it, or differing in a
    character outside ASCII, in SHADOW, or in an ASCII character that stands where the text has another."""
    spans, quotes = [], []
    for _ in range(12):
        s = data.draw(st.integers(0, len(text)))
        e = data.draw(st.integers(s, len(text)))
        true = text[s:e]
        variants = [true, true.replace("é", "e"), true.replace("“", "\x7f"), true.replace("\x7f", "?"),
                    true.replace("a", "é"), true.replace("я", "?"), true + "a", data.draw(st.text(_ALPHABET, max_size=5))]
        spans.append((s, e))
        quotes.append(data.draw(st.sampled_from(variants)))
    tables = _tables(
        documents={"doc_id": ["d1"], "text": [text]},
        claims={"claim_id": [f"c{i}" for i in range(len(spans))], "doc_id": ["d1"] * len(spans),
                "span_start": [s for s, _ in spans], "span_end": [e for _, e in spans], "quote": quotes},
        stances={"claim_id": [f"c{i}" for i in range(len(spans))], "holder_id": ["h"] * len(spans), "doc_id": ["d1"] * len(spans),
                 "span_start": [s for s, _ in spans], "span_end": [e for _, e in spans], "quote": quotes},
        sourcing={"claim_id": [f"c{i}" for i in range(len(spans))], "position": [0] * len(spans),
                  "cue_start": [s for s, _ in spans], "cue_end": [e for _, e in spans], "cue": quotes},
    )
    expected = [text[s:e] for s, e in spans]
    assert _derive(tables, "claims")["_text_slice"] == expected
    assert _derive(tables, "stances")["_text_slice"] == expected
    assert _derive(tables, "sourcing")["_cue_slice"] == expected


def test_cycles_of_derivation_are_found_however_long():
    ids = [f"d{i:03d}" for i in range(40)]
    parents = ids[1:] + [ids[0]]  # one cycle through all forty
    parents[5] = None  # broken at d005: d006 .. d039, d000 .. d005 form a chain, no cycle
    chain = _derive(_tables(documents={"doc_id": ids, "derived_from": parents}), "documents")
    assert chain["_derivation_acyclic"] == [True] * 40
    parents[5] = ids[6]
    cycle = _derive(_tables(documents={"doc_id": ids + ["d100"], "derived_from": parents + [ids[3]]}), "documents")
    assert cycle["_derivation_acyclic"] == [False] * 40 + [True]  # d100 leads into the cycle, is not on it


def test_positions_roles_and_chain_origin():
    tables = _tables(
        claims={"claim_id": ["c1", "c2"]},
        sourcing={"claim_id": ["c1", "c1", "c1", "c2", "c2"], "position": [0, 2, 1, 0, 2],
                  "role": ["author", "origin", "relay", "author", "relay"], "source_id": ["a", "z", "m", "b", "y"]},
    )
    s = _derive(tables, "sourcing")
    assert s["_position_rank"] == [0, 2, 1, 0, 1]
    assert s["_role_expected"] == [True, True, True, True, False]
    c = _derive(tables, "claims")
    assert c["_sourcing_count"] == [3, 2] and c["_chain_origin"] == ["z", "y"]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["c1", "c2", None]), st.one_of(st.none(), st.integers(-1, 3)),
                          st.sampled_from(["s1", "s2", None])), min_size=1, max_size=8))
@example([("c1", 0, "s1"), ("c1", 0, "s2"), ("c1", 2, "s1")])  # a position repeated, the highest where 0 to n-1 has it
@example([("c1", -1, "s1"), ("c1", 1, "s2"), ("c1", 2, "s1")])  # below zero, the highest as in a chain of 0 to n-1
@example([("c1", None, "s1"), ("c1", 0, "s2"), ("c1", 2, "s1")])  # one missing
@example([(None, 1, "s1"), (None, 0, "s2"), ("c1", 0, None)])  # links of no claim; an origin without a source
@example([("c1", 2, "s2"), ("c1", 2, "s1"), ("c1", 0, "s1")])  # the highest position twice: the first row's source
def test_a_link_rank_is_its_place_in_the_chain_in_position_order(links):
    """The rank of each link among its claim's links ordered by position (a missing position first, ties in row
    order), whether the positions run 0 to n-1 or repeat, skip, go below zero or are missing; and each claim's
    chain: its length and the source of its first link at the highest position."""
    tables = _tables(sourcing={"claim_id": [c for c, _, _ in links], "position": [p for _, p, _ in links],
                               "source_id": [s for _, _, s in links]},
                     claims={"claim_id": ["c1", "c2"]})
    expected = []
    for i, (claim, position, _) in enumerate(links):
        chain = sorted((-1 if p is None else p, j) for j, (c, p, _) in enumerate(links) if c == claim)
        expected.append(chain.index((-1 if position is None else position, i)))
    assert _derive(tables, "sourcing")["_position_rank"] == expected
    origins, counts = [], []
    for claim in ("c1", "c2"):
        placed = [(p, -j, s) for j, (c, p, s) in enumerate(links) if c == claim and p is not None]
        origins.append(max(placed)[2] if placed else None)
        counts.append(sum(c == claim for c, _, _ in links))
    got = _derive(tables, "claims")
    assert got["_chain_origin"] == origins and got["_sourcing_count"] == counts


def test_spark_dialect_escapes_what_duckdb_takes_as_is():
    assert derived.DUCKDB.literal("it's \\S") == "'it''s \\S'"
    assert derived.SPARK.literal("it's \\S") == "'it\\'s \\\\S'"
    con = duckdb.connect()
    assert con.execute(f"SELECT {derived.DUCKDB.literal(chr(39) + 'x' + chr(92))}").fetchall() == [("'x\\",)]


def test_the_build_declaration_names_real_columns_and_checks():
    built = derived.built(SCHEMA)
    declared = derived_columns(SCHEMA)
    for entry in built["columns"]:
        for qualified in entry["columns"]:
            table, column = qualified.split(".")
            assert column in SCHEMA[table].names, qualified
        for qualified in entry["checked_by"]:
            table, column = qualified.split(".")
            assert column in declared[table], qualified
    for entry in built["tables"]:
        assert set(entry["tables"]) <= set(SCHEMA.table_names)


def test_the_curators_list_is_the_declaration():
    readme = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Derived by the build, never written", 1)[1].split("\n## ", 1)[0]
    assert " ".join(section.split()) == derived.curator_list(SCHEMA)


@pytest.mark.parametrize("name", SCHEMA.table_names)
def test_foreign_keys_are_anti_joins(name):
    sql = derived.frame_sql(SCHEMA, name, derived.DUCKDB)
    for derived_fk, col, ref_table, ref in fk_columns(SCHEMA[name]):
        assert re.search(rf"LEFT JOIN {derived.keys_lookup(ref_table, ref)} fk\d+ ON fk\d+\.k = t\.{col}\b", sql)
