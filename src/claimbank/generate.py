"""Files generated from ``schema/`` and kept in git; ``claimbank generate --check`` finds stale ones."""

from __future__ import annotations

from pathlib import Path
from .paths import repo_root
from .schema import Schema, load_schema


def schema_doc(schema: Schema) -> str:
    """docs/SCHEMA.md: every table's fields and every label set."""
    out = [
        "# ClaimBank schema",
        "",
        "<!-- Generated from schema/ by `claimbank generate`; do not edit by hand. -->",
        "",
        "Offsets count Unicode code points of `documents.text`, as Python slices a `str`:",
        "`documents.text[span_start:span_end] == quote`. Label columns are stored as strings in Parquet",
        "and exposed as class labels (id = position in the label set) by `datasets`, and as",
        "categoricals with the same order by `claimbank.load`.",
        "",
    ]
    for t in schema.tables.values():
        out += [f"## {t.name}", "", f"{t.description} One row is {t.row_unit}.", "",
                f"Primary key: ({', '.join(t.primary_key)}).", ""]
        for fk in t.foreign_keys:
            out.append(f"Foreign key: ({', '.join(fk.fields)}) → {fk.table}({', '.join(fk.ref_fields)}).")
        if t.foreign_keys:
            out.append("")
        out += ["| column | type | required | constraints | description |", "|---|---|---|---|---|"]
        for f in t.fields:
            cons = []
            if f.unique:
                cons.append("unique")
            if f.label_set is not None:
                cons.append(f"label set `{f.label_set.name}`")
            elif f.pattern:
                cons.append(f"pattern `{f.pattern.replace('|', '&#124;')}`")
            if f.minimum is not None:
                cons.append(f"≥ {f.minimum}")
            if f.min_length:
                cons.append(f"length ≥ {f.min_length}")
            out.append(f"| `{f.name}` | {f.type_label} | {'yes' if f.required else 'no'} | {', '.join(cons)} | {f.description} |")
        out.append("")
    out += ["## Label sets", ""]
    for ls in schema.label_sets.values():
        anchors = sorted({a for label in ls.labels for a in label.anchors})
        out += [f"### {ls.name}", "", ls.description, ""]
        head = ["id", "label", "meaning"] + anchors
        out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for i, label in enumerate(ls.labels):
            cells = [str(i), f"`{label.name}`", label.description]
            cells += ["–" if label.anchors.get(a) is None else str(label.anchors[a]) for a in anchors]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def datasheet(schema: Schema) -> str:
    """DATASHEET.md from its template and the tables compiled from data/ (in memory, not written)."""
    from .build import to_arrow
    from .curation import read_corpus
    from .datasheet import render

    root = _root()
    tables = to_arrow(schema, read_corpus(root / "data", schema).rows)
    return render((root / "docs" / "DATASHEET.template.md").read_text(encoding="utf-8"), tables, schema)


def rendered(schema: Schema) -> dict[str, str]:
    """Repository-relative path -> the content it must have."""
    from .suites import render, suite_dicts

    files = {"docs/SCHEMA.md": schema_doc(schema), "DATASHEET.md": datasheet(schema)}
    for name, suite in suite_dicts(schema).items():
        files[f"schema/suites/{name}.json"] = render(suite)
    return files


def _root() -> Path:
    root = repo_root()
    if root is None:
        raise FileNotFoundError("generated files live in the repository; run from a checkout")
    return root


def _stale() -> list[tuple[str, Path, str]]:
    """(path relative to the repository, path, expected content) of every generated file that differs."""
    root = _root()
    out = []
    for rel, content in rendered(load_schema()).items():
        path = root / rel
        if not path.is_file() or path.read_text(encoding="utf-8") != content:
            out.append((rel, path, content))
    return out


def check() -> list[str]:
    return [rel for rel, _, _ in _stale()]


def write_all() -> list[str]:
    written = []
    for rel, path, content in _stale():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
        written.append(rel)
    return written
