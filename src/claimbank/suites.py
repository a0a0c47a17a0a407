"""Great Expectations suites, one per table, generated into ``schema/suites/<table>.json``.

Structural expectations come from the table schemas (columns, types, required, unique,
patterns, label sets, minimums, lengths, date ranges, primary and foreign keys); semantic
ones are hand-written in ``schema/semantic.json``. Every expectation carries
``meta.check`` (a stable slug) and ``meta.description`` so that a failure can be reported
in words. Foreign keys use ``{"$PARAMETER": "fk__<table>__<column>"}``, filled at run time
with the referenced column's values.
"""

from __future__ import annotations

import json
from pathlib import Path

from .schema import Schema, Table

# GX's observed type names for frames with pyarrow-backed dtypes.
GX_TYPE = {"string": "str", "integer": "int", "boolean": "bool", "date": "date"}
DATE_RANGE = ("1900-01-01", "2100-12-31")


def fk_parameter(table: str, column: str) -> str:
    return f"fk__{table}__{column}"


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
    for fk in table.foreign_keys:
        for col, ref in zip(fk.fields, fk.ref_fields):
            out.append(_e("expect_column_values_to_be_in_set", "foreign-key",
                          f"every {table.name}.{col} is a {fk.table}.{ref}",
                          column=col, value_set={"$PARAMETER": fk_parameter(fk.table, ref)}))
    return out


def semantic(schema: Schema) -> dict:
    return json.loads((schema.root / "semantic.json").read_text(encoding="utf-8"))


def derived_columns(schema: Schema) -> dict[str, list[str]]:
    raw = semantic(schema)["derived"]
    return {name: list(raw.get(name, [])) for name in schema.table_names}


def suite_dicts(schema: Schema) -> dict[str, dict]:
    """Table name -> the suite as GX JSON (what ``gx.ExpectationSuite(**d)`` takes)."""
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
