"""The schema: one declaration in ``schema/`` from which everything else is derived.

``schema/index.json`` lists the tables in order, ``schema/tables/<table>.json`` holds one
Frictionless Table Schema per table (fields, types, constraints, primaryKey, foreignKeys)
and ``schema/labels.json`` describes every label set with its mapping to the anchor
datasets; ``schema/semantic.json`` holds the hand-written checks. From these come the Arrow
schemas of the Parquet files, the Hugging Face features of the dataset card and the field
tables of the documentation.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from .paths import schema_dir

# Frictionless field type -> Arrow type. Offsets are code point counts: int32 is ample.
_ARROW = {
    "string": pa.string(),
    "integer": pa.int32(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
}
# Frictionless field type -> Hugging Face `datasets` dtype name.
_HF = {"string": "string", "integer": "int32", "boolean": "bool", "date": "date32"}
# Every date lies in this range: the build refuses others, the suites check it.
DATE_RANGE = ("1900-01-01", "2100-12-31")


class SchemaError(Exception):
    """The schema declaration itself is inconsistent."""


@dataclass(frozen=True)
class Label:
    name: str
    description: str
    anchors: dict
    example: str | None = None


@dataclass(frozen=True)
class LabelSet:
    name: str
    description: str
    labels: tuple[Label, ...]

    @property
    def names(self) -> list[str]:
        return [label.name for label in self.labels]


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    required: bool
    unique: bool = False
    pattern: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    min_length: int | None = None
    label_set: LabelSet | None = None
    item_type: str | None = None

    @property
    def arrow_type(self) -> pa.DataType:
        if self.type == "array":
            return pa.list_(_ARROW[self.item_type or "string"])
        return _ARROW[self.type]

    def arrow_field(self) -> pa.Field:
        return pa.field(
            self.name,
            self.arrow_type,
            nullable=not self.required,
            metadata={"description": self.description},
        )

    def hf_feature(self) -> dict:
        if self.label_set is not None:
            names = {str(i): n for i, n in enumerate(self.label_set.names)}
            return {"name": self.name, "dtype": {"class_label": {"names": names}}}
        if self.type == "array":
            return {"name": self.name, "list": _HF[self.item_type or "string"]}
        return {"name": self.name, "dtype": _HF[self.type]}

    @property
    def type_label(self) -> str:
        if self.type == "array":
            return f"list<{self.item_type or 'string'}>"
        return self.type


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    ref_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    row_unit: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]
    path: Path = field(compare=False)

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def arrow_schema(self) -> pa.Schema:
        return pa.schema(
            [f.arrow_field() for f in self.fields],
            metadata={"table": self.name, "primary_key": ",".join(self.primary_key)},
        )

    def hf_features(self) -> list[dict]:
        return [f.hf_feature() for f in self.fields]


@dataclass(frozen=True)
class Schema:
    tables: dict[str, Table]
    label_sets: dict[str, LabelSet]
    root: Path

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    @property
    def table_names(self) -> list[str]:
        return list(self.tables)


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SchemaError(f"{path}: cannot read the schema file: {exc}") from exc


def _label_sets(path: Path) -> dict[str, LabelSet]:
    raw = _read_json(path)["labelSets"]
    return {
        name: LabelSet(
            name=name,
            description=spec["description"],
            labels=tuple(Label(l["name"], l["description"], dict(l.get("anchors", {})), l.get("example")) for l in spec["labels"]),
        )
        for name, spec in raw.items()
    }


def _field(raw: dict, labels: dict[str, LabelSet], where: str) -> Field:
    c = raw.get("constraints", {})
    label_set = None
    if "labelSet" in raw:
        name = raw["labelSet"]
        if name not in labels:
            raise SchemaError(f"{where}: field {raw['name']!r} names label set {name!r}, which schema/labels.json does not define")
        label_set = labels[name]
        if c.get("enum") != label_set.names:
            raise SchemaError(
                f"{where}: field {raw['name']!r}: constraints.enum {c.get('enum')} differs from label set "
                f"{name!r} {label_set.names}; make them equal (same labels, same order)"
            )
    if raw["type"] not in _ARROW and raw["type"] != "array":
        raise SchemaError(f"{where}: field {raw['name']!r} has type {raw['type']!r}; expected one of {sorted(_ARROW) + ['array']}")
    return Field(
        name=raw["name"],
        type=raw["type"],
        description=raw["description"],
        required=bool(c.get("required", False)),
        unique=bool(c.get("unique", False)),
        pattern=c.get("pattern"),
        minimum=c.get("minimum"),
        maximum=c.get("maximum"),
        min_length=c.get("minLength"),
        label_set=label_set,
        item_type=(raw.get("arrayItem") or {}).get("type"),
    )


def load_schema(root: Path | None = None) -> Schema:
    """The schema in ``root`` (default: the repository's schema/, or the installed copy).

    Cached per folder and per state of its files, so an edited schema is read again.
    """
    root = Path(root).resolve() if root is not None else schema_dir().resolve()
    state = tuple((p.relative_to(root).as_posix(), p.stat().st_mtime_ns, p.stat().st_size)
                  for p in sorted(root.glob("*.json")) + sorted(root.glob("tables/*.json")))
    return _load_schema(root, state)


@lru_cache(maxsize=8)
def _load_schema(root: Path, state: tuple) -> Schema:
    index = _read_json(root / "index.json")
    labels = _label_sets(root / index["labelSets"])
    tables: dict[str, Table] = {}
    for name in index["tables"]:
        path = root / "tables" / f"{name}.json"
        raw = _read_json(path)
        where = f"schema/tables/{name}.json"
        fields = tuple(_field(f, labels, where) for f in raw["fields"])
        names = {f.name for f in fields}
        pk = tuple(raw["primaryKey"])
        if not set(pk) <= names:
            raise SchemaError(f"{where}: primaryKey {pk} names fields that do not exist")
        fks = tuple(
            ForeignKey(tuple(fk["fields"]), fk["reference"]["resource"], tuple(fk["reference"]["fields"]))
            for fk in raw.get("foreignKeys", [])
        )
        tables[name] = Table(name, raw["description"], raw["rowUnit"], fields, pk, fks, path)
    for t in tables.values():
        for fk in t.foreign_keys:
            if fk.table not in tables:
                raise SchemaError(f"schema/tables/{t.name}.json: foreign key to unknown table {fk.table!r}")
    return Schema(tables, labels, root)


def semantic(schema: Schema) -> dict:
    """``schema/semantic.json``: the hand-written checks (derived columns, patterns, expectations)."""
    return json.loads((schema.root / "semantic.json").read_text(encoding="utf-8"))


def partial_date(value: dt.date | None, precision: str | None) -> str | None:
    """A date as ISO 8601 to its known precision (``*_precision`` columns): '2022', '2022-09' or '2022-09-14'."""
    if value is None:
        return None
    iso = value.isoformat()
    return {"year": iso[:4], "month": iso[:7]}.get(precision or "day", iso)
