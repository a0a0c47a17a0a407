"""Validation of a build or release folder: the Great Expectations suites over every table.

``validate_folder(DIR)`` needs nothing but the folder; the build calls ``validate_tables`` on
its tables before writing them. Both go the same way:

1. every table becomes a DuckDB view: the Parquet files read where they stand (their
   footers say the columns and types are the schema's), or an Arrow table in memory; a
   table whose structure differs from the schema is read whole and checked whole in GX;
2. the derived columns the semantic expectations compare against, and per foreign key the
   values the referenced column lacks (an anti-join), are computed in SQL
   (``claimbank.derived``, the one definition, which Spark runs too);
3. each table's suite is compiled to one aggregate query that counts, per expectation, the
   rows that could fail it (``claimbank.scan``, conservative wherever DuckDB and GX could
   disagree);
4. Great Expectations (pandas, COMPLETE results) runs only the expectations with suspects,
   over the whole table with its derived columns in row order, so every failure reported is
   a GX result, word for word as when every expectation runs; ``full=True`` (``--full``)
   runs them all. A valid build does not import Great Expectations at all.

The result is a ``Report`` that collects every failure (``claimbank.problems.Failure``): table,
check slug, column, a few offending values and the key of each offending row.
"""

from __future__ import annotations

import html
import json
import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import derived, scan
from .derived import NO_DOCUMENT, NO_OFFSETS, OUTSIDE  # noqa: F401  the markers of the slices, named here too
from .folders import read_footers, read_table, table_files
from .problems import Failure, register_checks
from .schema import Schema, Table, load_schema
from .suites import fk_columns, load_suite_dicts

EXAMPLES = 5  # offending values and rows shown per failure
LIST_SEPARATOR = "\x1f"


@dataclass
class Report:
    folder: str
    rows: dict[str, int]
    checks: int
    failures: list[Failure]
    # per table, the checks (suite positions) that ran in Great Expectations; not part of the report's output
    in_gx: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def success(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        lines = [f"{self.folder}: {'valid' if self.success else 'INVALID'} — {self.checks} checks over "
                 + ", ".join(f"{t} {n}" for t, n in self.rows.items())]
        for f in self.failures:
            lines.append(f"  FAIL {f}")
        if self.failures:
            lines.append(f"{len(self.failures)} check{'s' if len(self.failures) != 1 else ''} failed.")
        return "\n".join(lines)

    def as_dict(self) -> dict:
        return {"folder": self.folder, "success": self.success, "checks": self.checks, "rows": self.rows,
                "failures": [f.as_dict() for f in self.failures]}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False, default=str) + "\n"

    def to_html(self) -> str:
        return render_html(self)


# -- reading -------------------------------------------------------------------------------

def missing_table(name: str) -> Failure:
    return Failure.of(name, "table-present", None, f"data/{name}/ holds the {name} table", f"no Parquet file in data/{name}/")


def unreadable_table(name: str, exc: Exception) -> Failure:
    return Failure.of(name, "table-readable", None, f"data/{name}/ is readable Parquet", f"cannot read: {exc}")


def read_tables(folder: Path, schema: Schema) -> tuple[dict[str, pa.Table], list[Failure]]:
    tables: dict[str, pa.Table] = {}
    failures: list[Failure] = []
    for name in schema.table_names:
        if not table_files(folder, name):
            failures.append(missing_table(name))
            continue
        try:
            tables[name] = read_table(folder, name)
        except (pa.ArrowInvalid, OSError) as exc:
            failures.append(unreadable_table(name, exc))
    return tables, failures


def arrow_type_failures(tables: dict, schema: Schema) -> list[Failure]:
    """Columns stored with another Arrow type than the schema's (``tables``: name -> Arrow table or schema)."""
    out = []
    for name, t in tables.items():
        s = t if isinstance(t, pa.Schema) else t.schema
        for f in schema[name].fields:
            i = s.get_field_index(f.name)
            if i >= 0 and s.field(i).type != f.arrow_type:
                out.append(Failure.of(name, "arrow-type", f.name, f"{name}.{f.name} is stored as {f.arrow_type}",
                                      f"stored as {s.field(i).type}, expected {f.arrow_type}"))
    return out


# -- the frames Great Expectations validates ---------------------------------------------------

def gx_frame(t: pa.Table, derived: dict[str, list]) -> pd.DataFrame:
    """The frame GX validates: pyarrow-backed dtypes, list columns as joined text, derived columns appended."""
    for i, f in enumerate(t.schema):
        if pa.types.is_list(f.type) or pa.types.is_large_list(f.type):
            t = t.set_column(i, f.name, pc.binary_join(t.column(i), LIST_SEPARATOR))
    for name, values in derived.items():
        t = t.append_column(name, values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values))
    return t.to_pandas(types_mapper=pd.ArrowDtype)


# -- running the suites -----------------------------------------------------------------------

def _run_gx(frames: dict, schema: Schema, params: dict, progress=None, *, engine: str = "pandas",
            suites: dict | None = None) -> tuple[int, list[Failure]]:
    """Run each table's suite over its frame (pandas DataFrames, or Spark DataFrames with ``engine="spark"``)."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx

    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    # on Spark, GX uses the session that is active (configured by claimbank.spark); no spark_config here
    source = context.data_sources.add_spark("claimbank") if engine == "spark" else context.data_sources.add_pandas("claimbank")
    suites = suites or load_suite_dicts(schema)
    register_checks(schema)  # the slugs of schema/semantic.json, which the failures carry
    failures: list[Failure] = []
    checks = 0
    for name, frame in (frames.items() if isinstance(frames, dict) else frames):
        suite_dict = suites[name]
        suite = context.suites.add(gx.ExpectationSuite(**json.loads(json.dumps(suite_dict))))
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("all")
        definition = context.validation_definitions.add(gx.ValidationDefinition(name=name, data=batch, suite=suite))
        pk = [c for c in schema[name].primary_key if c in frame.columns]
        with warnings.catch_warnings():
            # pandas warns that patterns with groups do not extract; GX only tests for a match
            warnings.filterwarnings("ignore", message="This pattern is interpreted as a regular expression")
            result = definition.run(
                batch_parameters={"dataframe": frame},
                expectation_parameters=params,
                result_format={"result_format": "COMPLETE", "unexpected_index_column_names": pk, "partial_unexpected_count": EXAMPLES},
            )
        checks += len(result.results)
        # report in suite order: the order in which a reader meets the expectations in schema/suites/
        order = {_key(e["meta"], e["kwargs"]): i for i, e in enumerate(suite_dict["expectations"])}
        failed = [r for r in result.results if not r.success]
        failed.sort(key=lambda r: order.get(_key(r.expectation_config.meta or {}, r.expectation_config.kwargs), len(order)))
        failures += [_failure(name, r, pk) for r in failed]
        if progress is not None:
            progress(f"validated {name}: {len(frame) if engine == 'pandas' else frame.count()} rows, {len(result.results)} checks, {len(failed)} failed")
        del frame, result, batch, definition  # before the next table's frame is made
    return checks, failures


def _key(meta: dict, kwargs: dict) -> tuple:
    return meta.get("check"), kwargs.get("column") or kwargs.get("column_A")


def _failure(table: str, r, pk: list[str]) -> Failure:
    cfg = r.expectation_config
    meta = cfg.meta or {}
    kw = cfg.kwargs
    column = meta.get("column") or kw.get("column") or kw.get("column_A")
    description = meta.get("description", cfg.type)
    check = meta.get("check", cfg.type)
    if r.exception_info and r.exception_info.get("raised_exception"):
        msg = r.exception_info.get("exception_message") or "the check could not run"
        return Failure.of(table, check, column, description, f"could not check {description}: {msg.splitlines()[0]}")
    res = r.result or {}
    count = res.get("unexpected_count")
    examples = [_plain(v) for v in (res.get("partial_unexpected_list") or [])[:EXAMPLES]]
    rows = [{k: _plain(v) for k, v in row.items() if k in pk} for row in (res.get("unexpected_index_list") or [])[:EXAMPLES]]
    if count is not None:
        total = res.get("element_count")
        msg = f"{description}: violated by {count} of {total} rows"
        if examples:
            msg += f"; e.g. {', '.join(repr(e) for e in examples)}"
    elif res.get("observed_value") is None:
        msg = f"{description}: could not be evaluated (a column it needs is missing or of the wrong type)"
    else:
        msg = f"{description}: observed {_plain(res.get('observed_value'))!r}"
        if check == "columns":
            expected = [c for c in kw["column_list"] if not c.startswith("_")]
            observed = [c for c in (res.get("observed_value") or []) if not str(c).startswith("_")]
            missing = [c for c in expected if c not in observed]
            extra = [c for c in observed if c not in expected]
            parts = []
            if missing:
                parts.append(f"missing column(s) {', '.join(missing)}")
            if extra:
                parts.append(f"unexpected column(s) {', '.join(extra)}")
            msg = f"{description}: {'; '.join(parts) or 'columns out of order'}"
    return Failure.of(table, check, column, description, msg, count, examples, rows)


def _plain(v):
    if v is pd.NA or v is pd.NaT:
        return None  # a missing value reads the same from either engine
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v


# -- validation: the compiled scans, then Great Expectations where they found suspects ------------------

@dataclass
class Source:
    """One table as the engine reads it: Parquet files (``files``, ``rows`` each) or an Arrow table."""

    arrow_schema: pa.Schema
    files: list[Path] | None = None
    file_rows: list[int] | None = None
    table: pa.Table | None = None

    @property
    def num_rows(self) -> int:
        return self.table.num_rows if self.table is not None else sum(self.file_rows)

    def read(self, folder: Path, name: str) -> pa.Table:
        return self.table if self.table is not None else read_table(folder, name)


def conforms(arrow_schema: pa.Schema, table: Table) -> bool:
    """The stored columns are the schema's, in its order, each of its Arrow type."""
    return arrow_schema.names == table.names and all(arrow_schema.field(f.name).type == f.arrow_type for f in table.fields)


def folder_sources(folder: Path, schema: Schema) -> tuple[dict[str, Source], list[Failure]]:
    """Each table of a build or release folder from its Parquet footers; a table whose files disagree with each
    other or with the schema is read whole (it goes to Great Expectations whole)."""
    sources: dict[str, Source] = {}
    failures: list[Failure] = []
    for name in schema.table_names:
        try:
            footers = read_footers(folder, name)
        except (pa.ArrowInvalid, OSError):
            footers = None
        if footers == []:
            failures.append(missing_table(name))
            continue
        if footers and all(f.arrow_schema.equals(footers[0].arrow_schema) for f in footers) \
                and conforms(footers[0].arrow_schema, schema[name]):
            sources[name] = Source(footers[0].arrow_schema, files=[f.path for f in footers],
                                   file_rows=[f.num_rows for f in footers])
            continue
        try:
            t = read_table(folder, name)
        except (pa.ArrowInvalid, OSError) as exc:
            failures.append(unreadable_table(name, exc))
            continue
        sources[name] = Source(t.schema, table=t)
    return sources, failures


class ScanError(Exception):
    """The engine could not read a table as its footer promised."""


def _duckdb(sources: dict[str, Source], schema: Schema):
    """A DuckDB connection with the normalised view of every table (derived.view) and the look-ups."""
    d = derived.DUCKDB
    con = duckdb.connect()
    for name in schema.table_names:
        src = sources.get(name)
        table = schema[name]
        if src is None:
            con.execute(f"CREATE VIEW {derived.view(name)} AS "
                        + derived.normalised_select(table, {}, "(SELECT CAST(0 AS BIGINT) AS _row LIMIT 0) s", d))
            continue
        if src.files is not None:
            parts, offset = [], 0
            for f, n in zip(src.files, src.file_rows):
                parts.append(f"SELECT *, file_row_number + {offset} AS _row FROM read_parquet({d.literal(str(f))}, "
                             f"file_row_number = true)")
                offset += n
            source = "(" + " UNION ALL ".join(parts) + ") s"
        else:
            arrow = src.table.append_column("_row", pa.array(np.arange(src.table.num_rows, dtype=np.int64)))
            con.register(f"{derived.PREFIX}arrow_{name}", arrow)
            source = f"{derived.PREFIX}arrow_{name}"
        con.execute(f"CREATE VIEW {derived.view(name)} AS "
                    + derived.normalised_select(table, derived.presence(table, src.arrow_schema), source, d))
    rows = {n: s.num_rows for n, s in sources.items()}
    for lk, query in derived.lookups(schema, rows, d):
        con.execute(f"CREATE TEMP TABLE {lk} AS {query}")
    return con


def frame_kinds(schema: Schema, name: str) -> tuple[dict[str, str], list[str]]:
    """The columns of a table's frame (schema columns, derived columns, foreign-key columns) and their kinds."""
    table = schema[name]
    kinds = {f.name: f.type for f in table.fields}
    for c, spec in derived.declared(schema)[name].items():
        kinds[c] = scan.DERIVED_KIND[spec["type"]]
    for derived_fk, col, _, _ in fk_columns(table):
        kinds[derived_fk] = table.field(col).type
    return kinds, list(kinds)


def derived_arrays(con, schema: Schema, name: str) -> dict[str, pa.Array]:
    """The derived and foreign-key columns of ``name``, in row order, as the Arrow types GX is handed."""
    types = derived.arrow_types(schema, name)
    frame = derived.frame_sql(schema, name, derived.DUCKDB)
    result = con.sql(f"SELECT {', '.join(types)} FROM ({frame}) f ORDER BY f._row").to_arrow_table()
    return {c: result.column(c).cast(t).combine_chunks() for c, t in types.items()}


def _subset(suite: dict, positions: list[int]) -> dict:
    return {**suite, "expectations": [suite["expectations"][i] for i in positions]}


def _validate(sources: dict[str, Source], schema: Schema, *, folder: Path | None, full: bool,
              progress) -> tuple[int, list[Failure], dict[str, list[int]]]:
    """Scan every table, then run in GX the expectations with suspects (all of them with ``full``)."""
    suites = load_suite_dicts(schema)
    to_gx: dict[str, list[int]] = {}
    try:
        con = _duckdb(sources, schema)
    except duckdb.Error as exc:
        raise ScanError(str(exc)) from exc
    if progress is not None:
        progress(f"DuckDB {duckdb.__version__}: views of {len(sources)} tables and their look-ups made")
    try:
        for name in schema.table_names:
            if name not in sources:
                continue
            expectations = suites[name]["expectations"]
            src = sources[name]
            if full or src.files is None and not conforms(src.arrow_schema, schema[name]):
                to_gx[name] = list(range(len(expectations)))
            else:
                kinds, columns = frame_kinds(schema, name)
                compiled = scan.compile_suite(suites[name], kinds, columns, derived.DUCKDB)
                query = scan.scan_sql(derived.frame_sql(schema, name, derived.DUCKDB), compiled)
                counts = None
                if query is not None:
                    rel = con.execute(query)
                    counts = dict(zip([c[0] for c in rel.description], rel.fetchall()[0]))
                to_gx[name] = scan.to_gx(compiled, counts)
            if progress is not None:
                progress(f"scanned {name}: {src.num_rows} rows, {len(expectations)} checks, "
                         f"{len(to_gx[name])} to Great Expectations")
    except duckdb.Error as exc:
        con.close()
        raise ScanError(str(exc)) from exc

    def frames():  # one table's frame at a time: memory holds the tables and a single frame
        for name in schema.table_names:
            if to_gx.get(name):
                t = sources[name].read(folder, name)
                yield name, gx_frame(t, derived_arrays(con, schema, name))

    failures: list[Failure] = []
    if any(to_gx.values()):
        _, failures = _run_gx(frames(), schema, {}, progress=progress,
                              suites={n: _subset(suites[n], p) for n, p in to_gx.items()})
    con.close()
    checks = sum(len(suites[n]["expectations"]) for n in sources) + len(schema.table_names)
    return checks, failures, to_gx


def validate_tables(tables: dict[str, pa.Table], schema: Schema | None = None, *, folder: str = "", progress=None,
                    full: bool = False) -> Report:
    """Run every suite over in-memory tables (the build calls this before writing).

    The suites are compiled to one scan per table on DuckDB; Great Expectations runs the expectations the
    scans found suspects for, or every expectation with ``full``.
    """
    schema = schema or load_schema()
    failures = arrow_type_failures(tables, schema)
    sources = {n: Source(t.schema, table=t) for n, t in tables.items()}
    checks, gx_failures, in_gx = _validate(sources, schema, folder=None, full=full, progress=progress)
    return Report(folder, {n: t.num_rows for n, t in tables.items()}, checks, failures + gx_failures, in_gx)


def validate_folder(folder: Path, schema: Schema | None = None, *, progress=None, full: bool = False) -> Report:
    """Validate a build or release folder; the folder alone is enough. ``full``: every expectation in GX."""
    schema = schema or load_schema()
    sources, failures = folder_sources(Path(folder), schema)
    failures += arrow_type_failures({n: s.arrow_schema for n, s in sources.items()}, schema)
    try:
        checks, gx_failures, in_gx = _validate(sources, schema, folder=Path(folder), full=full, progress=progress)
    except ScanError:
        # a file whose footer reads but whose data does not: read every table as before, and report it so
        tables, failures = read_tables(Path(folder), schema)
        report = validate_tables(tables, schema, folder=str(folder), progress=progress, full=full)
        report.failures = failures + report.failures
        return report
    return Report(str(folder), {n: s.num_rows for n, s in sources.items()}, checks, failures + gx_failures, in_gx)


# -- the HTML report ----------------------------------------------------------------------------

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1b1b1b;max-width:70rem}
h1{font-size:1.4rem} .ok{color:#0a6b2d} .bad{color:#a4121b}
table{border-collapse:collapse;width:100%;margin:1rem 0} th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top;font-size:.9rem}
th{background:#f2f2f2} code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
"""


def render_html(report: Report) -> str:
    e = html.escape
    status = '<span class="ok">valid</span>' if report.success else '<span class="bad">INVALID</span>'
    out = [
        "<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>ClaimBank validation: {e(report.folder)}</title>", f"<style>{_CSS}</style></head><body>",
        f"<h1>ClaimBank validation: {e(report.folder)}</h1>",
        f'<p id="status">{status}: {report.checks} checks, {len(report.failures)} failed.</p>',
        "<table><thead><tr><th>table</th><th>rows</th></tr></thead><tbody>",
    ]
    out += [f"<tr><td>{e(t)}</td><td>{n}</td></tr>" for t, n in report.rows.items()]
    out.append("</tbody></table>")
    if report.failures:
        out.append('<h2>Failures</h2><table id="failures"><thead><tr><th>table</th><th>column</th><th>check</th>'
                   "<th>what failed</th><th>rows (key)</th></tr></thead><tbody>")
        for f in report.failures:
            rows = "<br>".join(e(", ".join(f"{k}={v}" for k, v in r.items())) for r in f.rows)
            out.append(f'<tr class="failure"><td>{e(f.table)}</td><td><code>{e(f.column or "")}</code></td>'
                       f"<td><code>{e(f.check)}</code></td><td>{e(f.message)}</td><td>{rows}</td></tr>")
        out.append("</tbody></table>")
    out.append("</body></html>\n")
    return "\n".join(out)
