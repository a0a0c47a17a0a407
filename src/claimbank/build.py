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
from pathlib import Path

import pyarrow as pa

from .curation import read_corpus
from .extras import require
from .files import sha256_file
from .paths import data_dir as default_data_dir
from .paths import default_out_dir
from .schema import load_schema
from .compiled import ROW_GROUP_BYTES, SHARD_BYTES, ArrowCollector, BuildError, say, write_output
from .validate import validate_tables


class ValidationFailed(BuildError):
    """The compiled tables fail their suites; nothing was written."""

    def __init__(self, report):
        self.report = report
        super().__init__(report.summary() + "\nNothing was written.")


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


def build(out: Path | None = None, data: Path | None = None, *, shard_bytes: int = SHARD_BYTES,
          row_group_bytes: int = ROW_GROUP_BYTES, progress=None, full_validation: bool = False) -> Path:
    """Read, check and compile the curation; return the output folder.

    Raises CurationError (every problem of the curation) or BuildError; in both cases
    nothing is written and a previous output is left untouched. ``progress``, when given,
    is called with a line of text at each stage (the command line prints them on long builds).
    ``full_validation``: every expectation runs in Great Expectations (a release), not only those the
    compiled scans find suspects for.
    """
    require("build", "building the dataset")
    schema = load_schema()
    data = Path(data) if data is not None else default_data_dir()
    with _collector_paused():
        collector = ArrowCollector(schema)
        corpus = read_corpus(data, schema, progress=progress, sink=collector)
        tables = collector.tables()
        del collector
    pa.default_memory_pool().release_unused()  # the unsorted chunks: give their memory back before validating
    say(progress, "compiled " + ", ".join(f"{n} {t.num_rows}" for n, t in tables.items()))
    report = validate_tables(tables, schema, folder="build", progress=progress, full=full_validation)
    if not report.success:
        raise ValidationFailed(report)
    root = data.parent
    inputs = {p.relative_to(root).as_posix(): sha256_file(p) for p in corpus.inputs}
    return write_output(tables, Path(out) if out is not None else default_out_dir(), schema=schema, inputs=inputs,
                        validation={"success": True, "checks": report.checks}, shard_bytes=shard_bytes,
                        row_group_bytes=row_group_bytes, progress=progress)
