"""Great Expectations suites, one per table, generated into ``schema/suites/<table>.json``.

Structural expectations come from the table schemas (columns, types, required, unique,
patterns, label sets, minimums, lengths, date ranges, primary and foreign keys); semantic
ones are hand-written in ``schema/semantic.json``. Every expectation carries
``meta.check`` (a stable slug of the registry in ``claimbank.problems``) and ``meta.description``
so that a failure can be reported in words. A foreign key is checked on a column the validator derives, ``_fk_<column>_<table>``:
the value of ``<column>`` where it is not a value of the referenced column, null elsewhere (an
anti-join, vectorised on pandas, a join on Spark); the expectation is that it is null, and a
failure names ``<column>`` (``meta.column``) and its offending values. No value set travels
through the suite, so the cost of the check does not grow with the size of the referenced table.
"""

from __future__ import annotations

import json
from pathlib import Path

from .problems import semantic_checks
from .schema import DATE_RANGE, Schema, Table, semantic

# GX's observed type names for frames with pyarrow-backed dtypes.
GX_TYPE = {"string": "str", "integer": "int", "boolean": "bool", "date": "date"}


def fk_column(column: str, ref_table: str) -> str:
    """The derived column that holds the values of ``column`` missing from ``ref_table``."""
    return f"_fk_{column}_{ref_table}"


def fk_columns(table: Table) -> list[tuple[str, str, str, str]]:
    """(derived column, column, referenced table, referenced column) of every foreign key of ``table``."""
    return [(fk_column(col, fk.table), col, fk.table, ref)
            for fk in table.foreign_keys for col, ref in zip(fk.fields, fk.ref_fields)]


def _e(expectation: str, check: str, description: str, **kwargs) -> dict:
    return {"type": expectation, "kwargs": kwargs, "meta": {"check": check, "description": description}}


def structural(table: Table, derived: list[str]) -> list[dict]:
    """Expectations implied by the table's schema; ``derived`` columns are appended by the validator."""
    out = [_e("expect_table_columns_to_match_ordered_list", "columns",
              f"{table.name} has exactly the columns {', '.join(table.names)}, in that order",
              column_list=table.names + derived)]
    for f in table.fields:
        c = f.name
        if f.required:
            out.append(_e("expect_column_values_to_not_be_null", "required", f"{table.name}.{c} is never null", column=c))
        if f.type in GX_TYPE:
            out.append(_e("expect_column_values_to_be_of_type", "type", f"{table.name}.{c} holds {f.type} values",
                          column=c, type_=GX_TYPE[f.type]))
        if f.unique:
            out.append(_e("expect_column_values_to_be_unique", "unique", f"{table.name}.{c} values are unique", column=c))
        if f.label_set is not None:
            out.append(_e("expect_column_values_to_be_in_set", "label-set",
                          f"{table.name}.{c} is a label of {f.label_set.name}", column=c, value_set=f.label_set.names))
        elif f.pattern:
            out.append(_e("expect_column_values_to_match_regex", "pattern", f"{table.name}.{c} matches {f.pattern}",
                          column=c, regex=f.pattern))
        if f.minimum is not None:
            out.append(_e("expect_column_values_to_be_between", "minimum", f"{table.name}.{c} >= {f.minimum}",
                          column=c, min_value=f.minimum))
        if f.min_length:
            out.append(_e("expect_column_value_lengths_to_be_between", "min-length",
                          f"{table.name}.{c} has at least {f.min_length} character(s)", column=c, min_value=f.min_length))
        if f.type == "date":
            out.append(_e("expect_column_values_to_be_between", "date-range",
                          f"{table.name}.{c} lies between {DATE_RANGE[0]} and {DATE_RANGE[1]}",
                          column=c, min_value=DATE_RANGE[0], max_value=DATE_RANGE[1]))
    if len(table.primary_key) > 1:
        out.append(_e("expect_compound_columns_to_be_unique", "primary-key",
                      f"({', '.join(table.primary_key)}) is unique", column_list=list(table.primary_key)))
    for derived_fk, col, ref_table, ref in fk_columns(table):
        e = _e("expect_column_values_to_be_null", "foreign-key", f"every {table.name}.{col} is a {ref_table}.{ref}",
               column=derived_fk)
        e["meta"]["column"] = col
        out.append(e)
    return out


def derived_columns(schema: Schema) -> dict[str, list[str]]:
    """Per table, the columns the validator appends: semantic.json's, then one per foreign key column."""
    raw = semantic(schema)["derived"]
    return {name: list(raw.get(name, [])) + [c for c, *_ in fk_columns(schema[name])] for name in schema.table_names}


def suite_dicts(schema: Schema) -> dict[str, dict]:
    """Table name -> the suite as GX JSON (what ``gx.ExpectationSuite(**d)`` takes)."""
    semantic_checks(schema)  # each hand-written check has a slug and a description, and a slug of its own
    sem = semantic(schema)["tables"]
    derived = derived_columns(schema)
    return {
        name: {
            "name": f"claimbank.{name}",
            "expectations": structural(schema[name], derived[name]) + sem.get(name, []),
            "meta": {"generated_by": "claimbank generate", "source": f"schema/tables/{name}.json + schema/semantic.json"},
            "notes": f"Expectations for the {name} table. Generated; edit schema/ and run `claimbank generate`.",
        }
        for name in schema.table_names
    }


def render(d: dict) -> str:
    return json.dumps(d, indent=2, ensure_ascii=False) + "\n"


def load_suite_dicts(schema: Schema) -> dict[str, dict]:
    """The suites as committed in schema/suites/ (what validation runs)."""
    folder = Path(schema.root) / "suites"
    return {name: json.loads((folder / f"{name}.json").read_text(encoding="utf-8")) for name in schema.table_names}
