"""``claimbank build``: the curation in data/ to one zstd Parquet file per table.

The output folder is a Hugging Face dataset (README.md card with ``configs:`` and
``dataset_info``) and carries ``build.json``, a manifest of the inputs and outputs with
their SHA-256. Same inputs, byte-identical output. The folder is written beside the
target and swapped in only when complete: a build that fails leaves the previous output
exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import __version__
from .card import write_card
from .curation import read_corpus
from .paths import data_dir as default_data_dir
from .paths import default_out_dir
from .schema import Schema, load_schema

MANIFEST = "build.json"
PARQUET_OPTIONS = dict(compression="zstd", compression_level=9, use_dictionary=True, write_statistics=True)


class BuildError(Exception):
    """The build could not be written; the previous output is untouched."""


class ValidationFailed(BuildError):
    """The compiled tables fail their suites; nothing was written."""

    def __init__(self, report):
        self.report = report
        super().__init__(report.summary() + "\nNothing was written.")


def natural_key(value) -> tuple:
    """Sort 'd000-c2' before 'd000-c10'."""
    if value is None:
        return ((0, ""),)
    return tuple((1, int(p)) if p.isdigit() else (2, p) for p in re.split(r"(\d+)", str(value)) if p != "")


def to_arrow(schema: Schema, rows: dict[str, list[dict]]) -> dict[str, pa.Table]:
    """Rows to Arrow tables typed by the schema and sorted by primary key."""
    out = {}
    for name in schema.table_names:
        t = schema[name]
        ordered = sorted(rows.get(name, []), key=lambda r: tuple(natural_key(r[k]) for k in t.primary_key))
        out[name] = pa.Table.from_pylist(ordered, schema=t.arrow_schema())
    return out


def table_path(name: str) -> str:
    """Where a table's Parquet file lives inside a build or release folder."""
    return f"data/{name}/{name}-00000-of-00001.parquet"


def write_parquet(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, **PARQUET_OPTIONS)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _is_claimbank_output(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def write_output(tables: dict[str, pa.Table], out: Path, *, schema: Schema, inputs: dict[str, str],
                 validation: dict | None = None) -> Path:
    """Write tables, card and manifest to ``out`` atomically (write aside, then swap)."""
    out = Path(out).resolve()
    if out.exists() and not (out.is_dir() and (_is_claimbank_output(out) or not any(out.iterdir()))):
        raise BuildError(
            f"{out} exists and is not a ClaimBank build (no {MANIFEST}); refusing to replace it. "
            "Fix: pass --out with a new folder or a previous build folder"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    try:
        files = {}
        for name, table in tables.items():
            rel = table_path(name)
            write_parquet(table, tmp / rel)
            files[rel] = sha256_file(tmp / rel)
        write_card(tmp, schema, tables)
        manifest = {
            "claimbank_version": __version__,
            "schema_sha256": schema_digest(schema),
            "inputs": inputs,
            "tables": {n: {"path": table_path(n), "rows": t.num_rows, "sha256": files[table_path(n)]} for n, t in tables.items()},
        }
        if validation is not None:
            manifest["validation"] = validation
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _swap(new: Path, out: Path) -> None:
    if not out.exists():
        os.replace(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.replace(out, old)
    try:
        os.replace(new, out)
    except BaseException:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def schema_digest(schema: Schema) -> str:
    h = hashlib.sha256()
    for path in sorted(schema.root.rglob("*.json")):
        h.update(path.relative_to(schema.root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def build(out: Path | None = None, data: Path | None = None) -> Path:
    """Read, check and compile the curation; return the output folder.

    Raises CurationError (every problem of the curation) or BuildError; in both cases
    nothing is written and a previous output is left untouched.
    """
    schema = load_schema()
    data = Path(data) if data is not None else default_data_dir()
    corpus = read_corpus(data, schema)
    tables = to_arrow(schema, corpus.rows)
    from .validate import validate_tables

    report = validate_tables(tables, schema, folder="build")
    if not report.success:
        raise ValidationFailed(report)
    root = data.parent
    inputs = {p.relative_to(root).as_posix(): sha256_file(p) for p in corpus.inputs}
    return write_output(tables, Path(out) if out is not None else default_out_dir(), schema=schema, inputs=inputs,
                        validation={"success": True, "checks": report.checks})
