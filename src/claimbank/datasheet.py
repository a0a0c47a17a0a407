"""DATASHEET.md: the template in docs/ with every figure computed from the curation.

Placeholders in ``docs/DATASHEET.template.md``:

- ``{{version}}`` — the package version;
- ``{{rows_table}}`` — one Markdown row per table: name, row unit, row count;
- ``{{n:TABLE}}`` — rows of a table;
- ``{{count:TABLE.COLUMN=VALUE}}`` — rows whose column equals VALUE (``true``/``false`` for booleans);
- ``{{distinct:TABLE.COLUMN}}``, ``{{nonnull:TABLE.COLUMN}}``, ``{{null:TABLE.COLUMN}}``, ``{{sum:TABLE.COLUMN}}``;
- ``{{dist:TABLE.COLUMN}}`` — a table of a label column: every label of its set, count and share;
- ``{{by:TABLE.COLUMN}}`` — a table of any column's values with their counts, most frequent first;
- ``{{story_table}}`` — per document of a story: outlet, language, date, claims, links, mutations, hop fidelity;
- ``{{agreement_table}}``, ``{{confusion_tables}}``, ``{{adjudication_table}}`` — inter-annotator agreement per
  round and dimension, the confusion matrices, and the adjudication counts (``claimbank.agreement``).

An unknown placeholder is an error, so a typo cannot slip into the datasheet.
"""

from __future__ import annotations

import re
from collections import Counter

import pyarrow as pa

from . import agreement
from .paths import project_version
from .schema import Schema, partial_date

_PLACEHOLDER = re.compile(r"\{\{([^{}]+)\}\}")


def _values(tables: dict[str, pa.Table], ref: str) -> list:
    table, column = ref.split(".", 1)
    return tables[table].column(column).to_pylist()


def render(template: str, tables: dict[str, pa.Table], schema: Schema, version: str | None = None) -> str:
    if version is None:
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
        if kind == "by":
            counts = Counter(_values(tables, arg))
            rows = [f"| {arg.split('.', 1)[1]} | count |", "|---|---:|"]
            for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0]))):
                rows.append(f"| {'(unknown)' if value is None else value} | {n} |")
            return "\n".join(rows)
        if key == "story_table":
            return story_table(tables)
        if key == "agreement_table":
            return agreement.agreement_table(tables, schema)
        if key == "confusion_tables":
            return agreement.confusion_tables(tables, schema)
        if key == "adjudication_table":
            return agreement.adjudication_table(tables)
        raise ValueError(f"unknown placeholder {{{{{key}}}}} in the datasheet template")

    return _PLACEHOLDER.sub(one, template)


def story_rows(tables: dict[str, pa.Table]) -> list[dict]:
    """Per document of a story, in order of story, date and id: outlet, language, date, claims, links,
    the count of each mutation type and of each hop fidelity."""
    docs = tables["documents"].to_pylist()
    speakers = {r["speaker_id"]: r["name"] for r in tables["speakers"].to_pylist()}
    claims = Counter(tables["claims"].column("doc_id").to_pylist())
    links = tables["claim_links"].to_pylist()
    link_doc = {l["claim_id"]: l["doc_id"] for l in links}
    mutations: dict[str, Counter] = {}
    for m in tables["link_mutations"].to_pylist():
        mutations.setdefault(link_doc.get(m["claim_id"]), Counter())[m["mutation"]] += 1
    fidelity: dict[str, Counter] = {}
    for l in links:
        fidelity.setdefault(l["doc_id"], Counter())[l["fidelity"]] += 1
    out = []
    for d in docs:
        if d.get("story_id") is None:
            continue
        out.append({
            "story_id": d["story_id"], "doc_id": d["doc_id"], "outlet": speakers.get(d.get("publisher_id"), d.get("publisher_id")),
            "language": d["language"],
            "date": partial_date(d.get("published_date"), d.get("published_date_precision")),
            "derived_from": d.get("derived_from"), "claims": claims.get(d["doc_id"], 0),
            "links": sum(fidelity.get(d["doc_id"], Counter()).values()),
            "mutations": dict(sorted(mutations.get(d["doc_id"], Counter()).items())),
            "fidelity": dict(sorted(fidelity.get(d["doc_id"], Counter()).items())),
        })
    out.sort(key=lambda r: (r["story_id"], r["date"] is None, r["date"] or "", r["doc_id"]))
    return out


def story_table(tables: dict[str, pa.Table]) -> str:
    """``story_rows`` as a Markdown table."""
    rows = ["| document | outlet | language | date | taken from | claims | links | mutations | hop fidelity |",
            "|---|---|---|---|---|---:|---:|---|---|"]
    for r in story_rows(tables):
        fmt = lambda c: ", ".join(f"{k} {v}" for k, v in c.items()) or "–"
        rows.append(f"| {r['doc_id']} | {r['outlet']} | {r['language']} | {r['date'] or 'unknown'} | "
                    f"{r['derived_from'] or '–'} | {r['claims']} | {r['links']} | {fmt(r['mutations'])} | {fmt(r['fidelity'])} |")
    return "\n".join(rows)
