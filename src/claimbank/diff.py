"""``claimbank diff OLD NEW``: what changed between two releases (or builds), by id.

Both folders describe themselves: the tables are ``data/<table>/*.parquet``, the primary
key is in each Parquet schema's metadata, the label sets are the class labels of the card.
Per table: rows added, removed and changed (by primary key, with the columns that changed),
columns added, removed or retyped, label sets changed. From the changes follows the version
bump they need (semantic versioning, see :func:`required_bump`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from .folders import card_header, folder_tables, read_table
from .compiled import natural_key

BUMPS = ("none", "patch", "minor", "major")
_LIST_LIMIT = 20


@dataclass
class TableDiff:
    name: str
    status: str  # "same", "changed", "added", "removed"
    rows_old: int = 0
    rows_new: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_retyped: dict[str, list[str]] = field(default_factory=dict)
    labels_changed: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    key_changed: list[list[str]] | None = None

    def changes(self) -> list[tuple[str, str]]:
        """(bump, description) of every change in this table."""
        out: list[tuple[str, str]] = []
        if self.status == "added":
            return [("minor", f"table {self.name} added ({_rows(self.rows_new)})")]
        if self.status == "removed":
            return [("major", f"table {self.name} removed")]
        if self.key_changed:
            out.append(("major", f"{self.name}: primary key changed from ({', '.join(self.key_changed[0])}) "
                                 f"to ({', '.join(self.key_changed[1])})"))
        for c in self.columns_removed:
            out.append(("major", f"{self.name}.{c}: column removed or renamed"))
        for c, (old, new) in self.columns_retyped.items():
            out.append(("major", f"{self.name}.{c}: type changed from {old} to {new}"))
        for c in self.labels_changed:
            out.append(("major", f"{self.name}.{c}: label set changed"))
        if self.removed:
            out.append(("major", f"{self.name}: {len(self.removed)} row(s) removed ({_ids(self.removed)}); ids are never reused"))
        for c in self.columns_added:
            out.append(("minor", f"{self.name}.{c}: column added"))
        if self.added:
            out.append(("minor", f"{self.name}: {len(self.added)} row(s) added ({_ids(self.added)})"))
        if self.changed:
            out.append(("patch", f"{self.name}: {len(self.changed)} row(s) corrected ({_ids(list(self.changed))})"))
        return out

    def to_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, [], {})}


@dataclass
class Diff:
    old: str
    new: str
    tables: list[TableDiff]

    def changes(self) -> list[tuple[str, str]]:
        return [c for t in self.tables for c in t.changes()]

    @property
    def required_bump(self) -> str:
        return max((b for b, _ in self.changes()), key=BUMPS.index, default="none")

    def to_dict(self) -> dict:
        return {"old": self.old, "new": self.new, "required_bump": self.required_bump,
                "tables": {t.name: t.to_dict() for t in self.tables}}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_markdown(self) -> str:
        """One Markdown list item per table that changed, with its ids; ``No changes.`` otherwise."""
        lines = []
        for t in self.tables:
            if t.status == "same":
                continue
            if t.status in ("added", "removed"):
                lines.append(f"- **{t.name}**: table {t.status} ({_rows(t.rows_new if t.status == 'added' else t.rows_old)})")
                continue
            lines.append(f"- **{t.name}**: {t.rows_old} → {_rows(t.rows_new)}")
            if t.key_changed:
                lines.append(f"  - primary key: ({', '.join(t.key_changed[0])}) → ({', '.join(t.key_changed[1])})")
            for c in t.columns_added:
                lines.append(f"  - column added: `{c}`")
            for c in t.columns_removed:
                lines.append(f"  - column removed: `{c}`")
            for c, (old, new) in t.columns_retyped.items():
                lines.append(f"  - column `{c}` retyped: {old} → {new}")
            for c, sets in t.labels_changed.items():
                lines.append(f"  - label set of `{c}`: {', '.join(sets['old'])} → {', '.join(sets['new'])}")
            if t.added:
                lines.append(f"  - added: {_ids(t.added)}")
            if t.removed:
                lines.append(f"  - removed: {_ids(t.removed)}")
            if t.changed:
                shown = list(t.changed.items())[:_LIST_LIMIT]
                more = len(t.changed) - len(shown)
                lines.append("  - changed: " + ", ".join(f"{k} ({', '.join(cols)})" for k, cols in shown)
                             + (f", and {more} more" if more else ""))
        return "\n".join(lines) if lines else "No changes."


def _rows(n: int) -> str:
    return "1 row" if n == 1 else f"{n} rows"


def _ids(ids: list[str]) -> str:
    shown = ids[:_LIST_LIMIT]
    more = len(ids) - len(shown)
    return ", ".join(shown) + (f", and {more} more" if more else "")


# --- reading a folder --------------------------------------------------------------------------

def card_label_sets(folder: Path) -> dict[str, dict[str, list[str]]]:
    """table -> column -> class label names, from the card's ``dataset_info``."""
    header = card_header(folder) or {}
    out: dict[str, dict[str, list[str]]] = {}
    for info in header.get("dataset_info", []):
        cols = {}
        for feat in info.get("features", []):
            dtype = feat.get("dtype")
            if isinstance(dtype, dict) and "class_label" in dtype:
                names = dtype["class_label"]["names"]
                cols[feat["name"]] = [names[k] for k in sorted(names, key=int)]
        out[info["config_name"]] = cols
    return out


def _key(table: pa.Table) -> list[str]:
    meta = table.schema.metadata or {}
    raw = meta.get(b"primary_key")
    if not raw:
        raise ValueError(f"table {meta.get(b'table', b'?').decode()} has no primary_key in its Parquet metadata")
    return raw.decode().split(",")


def _rows_by_key(table: pa.Table, key: list[str], columns: list[str]) -> dict[str, tuple]:
    keys = [table.column(k).to_pylist() for k in key]
    values = [table.column(c).to_pylist() for c in columns]
    ids = ["/".join(str(v) for v in parts) for parts in zip(*keys)]
    return dict(zip(ids, zip(*values))) if values else dict.fromkeys(ids, ())


def diff_table(name: str, old: pa.Table, new: pa.Table, old_labels: dict, new_labels: dict) -> TableDiff:
    d = TableDiff(name, "same", old.num_rows, new.num_rows)
    old_types = {f.name: str(f.type) for f in old.schema}
    new_types = {f.name: str(f.type) for f in new.schema}
    d.columns_added = [c for c in new_types if c not in old_types]
    d.columns_removed = [c for c in old_types if c not in new_types]
    d.columns_retyped = {c: [old_types[c], new_types[c]] for c in new_types if c in old_types and old_types[c] != new_types[c]}
    # a label set comes with its column: one added or removed with the column is that column's change
    d.labels_changed = {c: {"old": old_labels.get(c, []), "new": new_labels.get(c, [])}
                        for c in sorted(set(old_labels) | set(new_labels))
                        if c in old_types and c in new_types and old_labels.get(c) != new_labels.get(c)}
    old_key, new_key = _key(old), _key(new)
    if old_key != new_key:
        d.key_changed = [old_key, new_key]
        d.status = "changed"
        return d
    shared = [c for c in new_types if c in old_types and c not in d.columns_retyped]
    a = _rows_by_key(old, old_key, shared)
    b = _rows_by_key(new, new_key, shared)
    d.added = sorted((k for k in b if k not in a), key=natural_key)
    d.removed = sorted((k for k in a if k not in b), key=natural_key)
    for k in sorted((k for k in b if k in a and a[k] != b[k]), key=natural_key):
        d.changed[k] = [c for c, x, y in zip(shared, a[k], b[k]) if x != y]
    if d.columns_added or d.columns_removed or d.columns_retyped or d.labels_changed or d.added or d.removed or d.changed:
        d.status = "changed"
    return d


def diff_folders(old: Path | None, new: Path, *, old_name: str | None = None, new_name: str | None = None,
                 new_tables: dict[str, pa.Table] | None = None) -> Diff:
    """The changes from ``old`` to ``new`` (``old=None``: everything in ``new`` is added).

    ``new_tables``: the tables of ``new`` when the caller has them read already.
    """
    new = Path(new)
    names_new = folder_tables(new)
    names_old = folder_tables(old) if old is not None else []
    labels_new = card_label_sets(new)
    labels_old = card_label_sets(old) if old is not None else {}

    def read_new(name: str) -> pa.Table:
        return new_tables[name] if new_tables is not None and name in new_tables else read_table(new, name)

    tables = []
    for name in names_new + [n for n in names_old if n not in names_new]:
        if name not in names_old:
            tables.append(TableDiff(name, "added", 0, read_new(name).num_rows))
        elif name not in names_new:
            tables.append(TableDiff(name, "removed", read_table(old, name).num_rows, 0))
        else:
            tables.append(diff_table(name, read_table(old, name), read_new(name),
                                     labels_old.get(name, {}), labels_new.get(name, {})))
    return Diff(old_name or (str(old) if old is not None else "nothing"), new_name or str(new), tables)
