"""``claimbank build``: the curation in data/ to one zstd Parquet file per table.

The output folder is a Hugging Face dataset (README.md card with ``configs:`` and
``dataset_info``) and carries ``build.json``, a manifest of the inputs and outputs with
their SHA-256. Same inputs, byte-identical output. The folder is written beside the
target and swapped in only when complete: a build that fails leaves the previous output
exactly as it was.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import re
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from . import __version__
from .card import write_card
from .curation import read_corpus
from .files import staging_folder, swap_folder
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


_DIGITS = re.compile(r"(\d+)")


def natural_key(value) -> tuple:
    """Sort 'd000-c2' before 'd000-c10'."""
    if value is None:
        return ((0, ""),)
    return tuple([(1, int(p)) if p.isdigit() else (2, p) for p in _DIGITS.split(str(value)) if p != ""])


class ArrowCollector:
    """A ``read_corpus`` sink: each chunk of rows becomes Arrow record batches; ``tables()`` sorts them.

    Memory holds the Arrow data (compact) rather than Python dicts. The order is the one
    ``to_arrow`` gives: a stable sort of the rows, in reading order, by the natural order of the
    primary key.
    """

    def __init__(self, schema: Schema):
        self.schema = schema
        self.chunks: dict[str, list[pa.Table]] = {n: [] for n in schema.table_names}

    def __call__(self, rows: dict[str, list[dict]]) -> None:
        for name in self.schema.table_names:
            if rows.get(name):
                self.chunks[name].append(pa.Table.from_pylist(rows[name], schema=self.schema[name].arrow_schema()))

    def tables(self) -> dict[str, pa.Table]:
        out = {}
        keys: dict = {}

        def key_of(value):
            k = keys.get(value)
            if k is None:
                k = keys[value] = natural_key(value)
            return k

        for name in self.schema.table_names:
            t = self.schema[name]
            chunks = self.chunks.pop(name)
            table = pa.concat_tables(chunks) if chunks else t.arrow_schema().empty_table()
            columns = [table.column(k).to_pylist() for k in t.primary_key]
            if len(columns) == 1:
                sort_keys = [(key_of(v),) for v in columns[0]]
            else:
                sort_keys = [tuple([key_of(v) for v in vs]) for vs in zip(*columns)]
            del columns
            order = sorted(range(len(sort_keys)), key=sort_keys.__getitem__)
            del sort_keys
            table = table.take(pa.array(order, pa.int64())).combine_chunks()
            out[name] = pa.table([_canonical(c.chunk(0)) if c.num_chunks == 1 else c for c in table.columns],
                                 schema=table.schema)
        return out


def _canonical(arr: pa.Array) -> pa.Array:
    """``arr`` without the validity bitmaps of null-free arrays, as ``Table.from_pylist`` builds it.

    ``take`` gives every array a bitmap; dropping the ones that mark nothing keeps ``nbytes``
    (the card's ``num_bytes``, the shard and row group sizes) what it was for the same rows.
    """
    if pa.types.is_list(arr.type):
        child = _canonical(arr.values)
        validity = arr.buffers()[0] if arr.null_count else None
        return pa.Array.from_buffers(arr.type, len(arr), [validity, arr.buffers()[1]], null_count=arr.null_count,
                                     offset=arr.offset, children=[child])
    if arr.null_count == 0 and arr.buffers()[0] is not None:
        return pa.Array.from_buffers(arr.type, len(arr), [None] + arr.buffers()[1:], null_count=0, offset=arr.offset)
    return arr


def to_arrow(schema: Schema, rows: dict[str, list[dict]]) -> dict[str, pa.Table]:
    """Rows to Arrow tables typed by the schema and sorted by primary key."""
    out = {}
    keys: dict = {}  # value -> natural key, shared by the tables (a claim id recurs in four of them)

    def key_of(value):
        k = keys.get(value)
        if k is None:
            k = keys[value] = natural_key(value)
        return k

    for name in schema.table_names:
        t = schema[name]
        pk = t.primary_key
        if len(pk) == 1:
            (k0,) = pk
            ordered = sorted(rows.get(name, []), key=lambda r: (key_of(r[k0]),))
        else:
            ordered = sorted(rows.get(name, []), key=lambda r: tuple([key_of(r[k]) for k in pk]))
        out[name] = pa.Table.from_pylist(ordered, schema=t.arrow_schema())
    return out


# Shards and row groups are bounded by the table's in-memory (Arrow) size, so that a reader
# holds at most one row group (ROW_GROUP_BYTES) at a time while streaming, and no file grows
# past SHARD_BYTES. Both are computed from the table alone: the same table, the same files.
SHARD_BYTES = 256 << 20
ROW_GROUP_BYTES = 32 << 20


def table_path(name: str, shard: int = 0, shards: int = 1) -> str:
    """Where shard ``shard`` of ``shards`` of a table lives inside a build or release folder."""
    return f"data/{name}/{name}-{shard:05d}-of-{shards:05d}.parquet"


def shard_plan(table: pa.Table, shard_bytes: int = SHARD_BYTES) -> tuple[int, int]:
    """(shards, rows per shard) for ``table``: as few shards as keep each under ``shard_bytes``."""
    rows = table.num_rows
    shards = min(max(1, -(-table.nbytes // shard_bytes)), max(1, rows))
    return shards, max(1, -(-rows // shards))


def row_group_rows(table: pa.Table, row_group_bytes: int = ROW_GROUP_BYTES) -> int:
    """Rows per row group: as many as fit in ``row_group_bytes`` of Arrow memory."""
    rows = max(1, table.num_rows)
    per_row = max(1, -(-table.nbytes // rows))  # rounded up, so that a group never exceeds the bound
    return max(1, min(rows, row_group_bytes // per_row))


def write_parquet(table: pa.Table, path: Path, *, row_group_bytes: int = ROW_GROUP_BYTES) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, row_group_size=row_group_rows(table, row_group_bytes), **PARQUET_OPTIONS)


def write_table_shards(name: str, table: pa.Table, folder: Path, *, shard_bytes: int = SHARD_BYTES,
                       row_group_bytes: int = ROW_GROUP_BYTES) -> list[dict]:
    """Write ``table`` as one or more shards under ``folder``; return [{path, rows, sha256}] in order."""
    shards, per_shard = shard_plan(table, shard_bytes)
    files = []
    for i in range(shards):
        part = table.slice(i * per_shard, per_shard)
        rel = table_path(name, i, shards)
        write_parquet(part, folder / rel, row_group_bytes=row_group_bytes)
        files.append({"path": rel, "rows": part.num_rows, "sha256": sha256_file(folder / rel)})
    return files


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _is_claimbank_output(folder: Path) -> bool:
    return (folder / MANIFEST).is_file()


def write_output(tables: dict[str, pa.Table], out: Path, *, schema: Schema, inputs: dict[str, str],
                 validation: dict | None = None, shard_bytes: int = SHARD_BYTES, row_group_bytes: int = ROW_GROUP_BYTES,
                 progress=None) -> Path:
    """Write tables, card and manifest to ``out`` atomically (write aside, then swap)."""
    out = Path(out).resolve()
    if out.exists() and not (out.is_dir() and (_is_claimbank_output(out) or not any(out.iterdir()))):
        raise BuildError(
            f"{out} exists and is not a ClaimBank build (no {MANIFEST}); refusing to replace it. "
            "Fix: pass --out with a new folder or a previous build folder"
        )
    tmp = staging_folder(out)
    try:
        files = {}
        for name, table in tables.items():
            files[name] = write_table_shards(name, table, tmp, shard_bytes=shard_bytes, row_group_bytes=row_group_bytes)
            _say(progress, f"wrote {name}: {table.num_rows} rows in {len(files[name])} file(s)")
        write_card(tmp, schema, tables)
        manifest = {
            "claimbank_version": __version__,
            "schema_sha256": schema_digest(schema),
            "inputs": inputs,
            "tables": {n: {"rows": t.num_rows, "files": files[n]} for n, t in tables.items()},
        }
        if validation is not None:
            manifest["validation"] = validation
        (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        swap_folder(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def schema_digest(schema: Schema) -> str:
    h = hashlib.sha256()
    for path in sorted(schema.root.rglob("*.json")):
        h.update(path.relative_to(schema.root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector while millions of small acyclic objects are made.

    Reading the curation creates a few objects per YAML node, none of them in a cycle; the
    collector would walk all of them again and again (more than half the reading time at
    100,000 claims). Memory is freed by reference counting as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _say(progress, message: str) -> None:
    if progress is not None:
        progress(message)


def build(out: Path | None = None, data: Path | None = None, *, shard_bytes: int = SHARD_BYTES,
          row_group_bytes: int = ROW_GROUP_BYTES, progress=None, full_validation: bool = False) -> Path:
    """Read, check and compile the curation; return the output folder.

    Raises CurationError (every problem of the curation) or BuildError; in both cases
    nothing is written and a previous output is left untouched. ``progress``, when given,
    is called with a line of text at each stage (the command line prints them on long builds).
    ``full_validation``: every expectation runs in Great Expectations (a release), not only those the
    compiled scans find suspects for.
    """
    schema = load_schema()
    data = Path(data) if data is not None else default_data_dir()
    with _collector_paused():
        collector = ArrowCollector(schema)
        corpus = read_corpus(data, schema, progress=progress, sink=collector)
        tables = collector.tables()
        del collector
    pa.default_memory_pool().release_unused()  # the unsorted chunks: give their memory back before validating
    _say(progress, "compiled " + ", ".join(f"{n} {t.num_rows}" for n, t in tables.items()))
    from .validate import validate_tables

    report = validate_tables(tables, schema, folder="build", progress=progress, full=full_validation)
    if not report.success:
        raise ValidationFailed(report)
    root = data.parent
    inputs = {p.relative_to(root).as_posix(): sha256_file(p) for p in corpus.inputs}
    return write_output(tables, Path(out) if out is not None else default_out_dir(), schema=schema, inputs=inputs,
                        validation={"success": True, "checks": report.checks}, shard_bytes=shard_bytes,
                        row_group_bytes=row_group_bytes, progress=progress)
