"""DATASHEET.md: the template in docs/ with every figure computed from the curation.

Placeholders in ``docs/DATASHEET.template.md``:

- ``{{version}}`` — the package version;
- ``{{rows_table}}`` — one Markdown row per table: name, row unit, row count;
- ``{{n:TABLE}}`` — rows of a table;
- ``{{count:TABLE.COLUMN=VALUE}}`` — rows whose column equals VALUE (``true``/``false`` for booleans);
- ``{{distinct:TABLE.COLUMN}}``, ``{{nonnull:TABLE.COLUMN}}``, ``{{null:TABLE.COLUMN}}``, ``{{sum:TABLE.COLUMN}}``;
- ``{{dist:TABLE.COLUMN}}`` — a table of a label column: every label of its set, count and share.

An unknown placeholder is an error, so a typo cannot slip into the datasheet.
"""

from __future__ import annotations

import re
from collections import Counter

import pyarrow as pa

from .schema import Schema

_PLACEHOLDER = re.compile(r"\{\{([^{}]+)\}\}")


def _values(tables: dict[str, pa.Table], ref: str) -> list:
    table, column = ref.split(".", 1)
    return tables[table].column(column).to_pylist()


def render(template: str, tables: dict[str, pa.Table], schema: Schema, version: str | None = None) -> str:
    if version is None:
        from .paths import project_version

        version = project_version()

    def one(m: re.Match) -> str:
        key = m.group(1).strip()
        kind, _, arg = key.partition(":")
        if key == "version":
            return version
        if key == "rows_table":
            return "\n".join(f"| {n} | {schema[n].row_unit} | {tables[n].num_rows} |" for n in schema.table_names)
        if kind == "n":
            return str(tables[arg].num_rows)
        if kind == "count":
            ref, _, value = arg.partition("=")
            target = {"true": True, "false": False}.get(value, value)
            return str(sum(1 for v in _values(tables, ref) if v == target))
        if kind == "distinct":
            return str(len({v for v in _values(tables, arg) if v is not None}))
        if kind == "nonnull":
            return str(sum(1 for v in _values(tables, arg) if v is not None))
        if kind == "null":
            return str(sum(1 for v in _values(tables, arg) if v is None))
        if kind == "sum":
            return str(sum(v for v in _values(tables, arg) if v is not None))
        if kind == "dist":
            table, column = arg.split(".", 1)
            labels = schema[table].field(column).label_set
            if labels is None:
                raise ValueError(f"{{{{{key}}}}}: {arg} is not a label column")
            counts = Counter(_values(tables, arg))
            total = sum(counts.values())
            rows = ["| label | count | share |", "|---|---:|---:|"]
            for name in labels.names:
                share = f"{100 * counts[name] / total:.0f}%" if total else "–"
                rows.append(f"| `{name}` | {counts[name]} | {share} |")
            return "\n".join(rows)
        raise ValueError(f"unknown placeholder {{{{{key}}}}} in the datasheet template")

    return _PLACEHOLDER.sub(one, template)
