"""Validation of a build or release folder: the Great Expectations suites over every table.

``validate_folder(DIR)`` needs nothing but the folder. It reads each table's Parquet files,
checks their Arrow types against the schema, computes the cross-table columns the semantic
expectations refer to (``derive``) and, per foreign key, the values the referenced column
lacks (``fk_derived``: an anti-join), and runs one GX suite per table. The result is a ``Report`` that collects
every failure: table, check slug, column, a few offending values and the key of each
offending row.

Cost stays proportional to the data: list columns are handed to GX as joined text (GX
pickles frames that hold lists), every derived column is one vectorised pass or one
pass in Python over the rows, no value set travels through GX (it copies parameters on
every access of an expectation's configuration), and each table is one batch.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import warnings
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .load import read_table_files
from .schema import Schema, load_schema
from .suites import derived_columns, fk_columns, load_suite_dicts

EXAMPLES = 5  # offending values and rows shown per failure
LIST_SEPARATOR = "\x1f"


@dataclass
class Failure:
    table: str
    check: str
    column: str | None
    description: str
    message: str
    unexpected_count: int | None = None
    examples: list = field(default_factory=list)
    rows: list = field(default_factory=list)

    def __str__(self) -> str:
        col = f".{self.column}" if self.column else ""
        s = f"{self.table}{col} [{self.check}]: {self.message}"
        if self.rows:
            s += "; rows: " + "; ".join(", ".join(f"{k}={v}" for k, v in r.items()) for r in self.rows)
        return s


@dataclass
class Report:
    folder: str
    rows: dict[str, int]
    checks: int
    failures: list[Failure]

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
                "failures": [asdict(f) for f in self.failures]}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, ensure_ascii=False, default=str) + "\n"

    def to_html(self) -> str:
        return render_html(self)


# -- reading -------------------------------------------------------------------------------

def read_tables(folder: Path, schema: Schema) -> tuple[dict[str, pa.Table], list[Failure]]:
    tables: dict[str, pa.Table] = {}
    failures: list[Failure] = []
    for name in schema.table_names:
        if not any((Path(folder) / "data" / name).glob("*.parquet")):
            failures.append(Failure(name, "table-present", None, f"data/{name}/ holds the {name} table",
                                    f"no Parquet file in data/{name}/"))
            continue
        try:
            tables[name] = read_table_files(folder, name)
        except (pa.ArrowInvalid, OSError) as exc:
            failures.append(Failure(name, "table-readable", None, f"data/{name}/ is readable Parquet",
                                    f"cannot read: {exc}"))
    return tables, failures


def arrow_type_failures(tables: dict[str, pa.Table], schema: Schema) -> list[Failure]:
    out = []
    for name, t in tables.items():
        for f in schema[name].fields:
            i = t.schema.get_field_index(f.name)
            if i >= 0 and t.schema.field(i).type != f.arrow_type:
                out.append(Failure(name, "arrow-type", f.name, f"{name}.{f.name} is stored as {f.arrow_type}",
                                   f"stored as {t.schema.field(i).type}, expected {f.arrow_type}"))
    return out


# -- derived columns -------------------------------------------------------------------------

def _col(t: pa.Table | None, name: str) -> list | None:
    if t is None or name not in t.column_names:
        return None
    return t.column(name).to_pylist()


NO_DOCUMENT = "<no such document>"
NO_OFFSETS = "<offsets missing or not integers>"
OUTSIDE = "<span outside the text>"


def _slices(doc_ids, starts, ends, texts: dict, *, optional: bool = False) -> list:
    """text[start:end] per row; a marker that names the problem where there is no such slice.

    With ``optional``, rows without offsets give None (a sourcing link without a cue).
    """
    out = []
    for d, s, e in zip(doc_ids, starts, ends):
        if optional and s is None and e is None:
            out.append(None)
            continue
        text = texts.get(d)
        if text is None:
            out.append(NO_DOCUMENT)
        elif not (isinstance(s, int) and isinstance(e, int)) or isinstance(s, bool) or isinstance(e, bool):
            out.append(NO_OFFSETS)
        elif not 0 <= s <= e <= len(text):
            out.append(OUTSIDE)
        else:
            out.append(text[s:e])
    return out


def derive(tables: dict[str, pa.Table]) -> dict[str, dict[str, pa.Array]]:
    """The cross-table columns the semantic expectations compare against (see schema/semantic.json).

    Each column is one pass over its rows: dictionary look-ups and slices in Python where the
    value is per row text, grouped aggregates in pandas; no per-group Python call.
    """
    converted: dict[tuple[str, str], list | None] = {}

    def col(table: str, name: str) -> list | None:
        if (table, name) not in converted:
            converted[table, name] = _col(tables.get(table), name)
        return converted[table, name]

    docs, claims, sourcing = tables.get("documents"), tables.get("claims"), tables.get("sourcing")
    stances = tables.get("stances")
    texts: dict = {}
    if col("documents", "doc_id") is not None and col("documents", "text") is not None:
        texts = {d: t for d, t in zip(col("documents", "doc_id"), col("documents", "text")) if isinstance(t, str)}
    lengths = {d: len(t) for d, t in texts.items()}
    out: dict[str, dict[str, list]] = {}

    if docs is not None:
        text_col = col("documents", "text") or [None] * docs.num_rows
        out["documents"] = _arrays({
            "_text_sha256": [hashlib.sha256(t.encode("utf-8")).hexdigest() if isinstance(t, str) else None for t in text_col],
            "_text_length": [len(t) if isinstance(t, str) else None for t in text_col],
        })
        converted.clear()

    claim_doc: dict = {}
    if claims is not None:
        n = claims.num_rows
        ids = col("claims", "claim_id") or [None] * n
        doc_ids = col("claims", "doc_id") or [None] * n
        claim_doc = dict(zip(ids, doc_ids))
        vcount = Counter(c for c in (col("verdicts", "claim_id") or []) if c is not None)
        scount = Counter(c for c in (col("sourcing", "claim_id") or []) if c is not None)
        origin: dict = {}
        if sourcing is not None and all(col("sourcing", c) is not None for c in ("claim_id", "position", "source_id")):
            best: dict = {}
            for c, p, s in zip(col("sourcing", "claim_id"), col("sourcing", "position"), col("sourcing", "source_id")):
                if isinstance(p, int) and (c not in best or p > best[c]):
                    best[c], origin[c] = p, s
        out["claims"] = _arrays({
            "_text_slice": _slices(doc_ids, col("claims", "span_start") or [None] * n, col("claims", "span_end") or [None] * n, texts),
            "_doc_length": [lengths.get(d) for d in doc_ids],
            "_verdict_count": [vcount.get(c, 0) for c in ids],
            "_sourcing_count": [scount.get(c, 0) for c in ids],
            "_chain_origin": [origin.get(c) for c in ids],
        })
        del vcount, scount, origin, ids, doc_ids
        converted.clear()  # each table's columns as Python lists only while its section runs

    if sourcing is not None:
        n = sourcing.num_rows
        cids = col("sourcing", "claim_id") or [None] * n
        pos = col("sourcing", "position") or [None] * n
        frame = pd.DataFrame({"c": pd.Series(cids, dtype="object"), "p": pd.Series(pos, dtype="object")})
        rank = frame.sort_values(["c", "p"], kind="stable", key=lambda s: s.astype(str) if s.name == "c" else s.fillna(-1)) \
            .groupby("c", sort=False, dropna=False).cumcount().reindex(frame.index)
        # the highest whole-number position of each claim's chain (None where it has none)
        numeric = pd.Series([p if isinstance(p, int) else None for p in pos], dtype="float64")
        last = [None if m != m else int(m) for m in numeric.groupby(frame["c"], dropna=False).transform("max").tolist()]
        roles = col("sourcing", "role") or [None] * n
        expected_role = ["author" if p == 0 else ("origin" if p == m else "relay") for p, m in zip(pos, last)]
        doc_of = [claim_doc.get(c) for c in cids]
        del frame, numeric
        out["sourcing"] = _arrays({
            "_position_rank": rank.tolist(),
            "_cue_slice": _slices(doc_of, col("sourcing", "cue_start") or [None] * n, col("sourcing", "cue_end") or [None] * n, texts,
                                  optional=True),
            "_doc_length": [lengths.get(d) for d in doc_of],
            "_role_expected": [r == e for r, e in zip(roles, expected_role)],
        })
        del rank, last, roles, expected_role, doc_of, cids, pos
        converted.clear()
    claim_doc = {}

    for name, columns in story_columns(col).items():
        if name in tables:
            out[name] = {**out.get(name, {}), **_arrays(columns)}
    converted.clear()

    if stances is not None:
        n = stances.num_rows
        doc_ids = col("stances", "doc_id") or [None] * n
        out["stances"] = _arrays({
            "_text_slice": _slices(doc_ids, col("stances", "span_start") or [None] * n, col("stances", "span_end") or [None] * n, texts),
            "_doc_length": [lengths.get(d) for d in doc_ids],
        })
    return out


_PRECISION_RANK = {"year": 1, "month": 2, "day": 3}


def not_later(a, a_precision, b, b_precision) -> bool:
    """Date ``a`` is not later than ``b`` at the coarser of their precisions; true where either is unknown."""
    if a is None or b is None:
        return True
    rank = min(_PRECISION_RANK.get(a_precision, 3), _PRECISION_RANK.get(b_precision, 3))
    cut = {1: lambda d: (d.year,), 2: lambda d: (d.year, d.month), 3: lambda d: (d.year, d.month, d.day)}[rank]
    return cut(a) <= cut(b)


def acyclic(doc_ids: list, derived_from: list) -> list[bool]:
    """Per document: following derived_from from it never comes back to it."""
    parent = {d: p for d, p in zip(doc_ids, derived_from) if d is not None}
    out = []
    for d in doc_ids:
        seen, cur = {d}, parent.get(d)
        while cur is not None and cur not in seen:
            seen.add(cur)
            cur = parent.get(cur)
        out.append(cur != d or d is None)
    return out


def story_columns(col) -> dict[str, dict[str, list]]:
    """The derived columns of stories, documents' derivations and claim links (``col(table, column)`` gives a column).

    documents._derivation_acyclic, documents._derived_story (the story of derived_from),
    stories._origin_story (the story of the origin document), claim_links._crosses_documents,
    claim_links._source_in_lineage (the rendered claim's document is the one this document was taken
    from, or the story's origin) and claim_links._source_not_later (its date is not after this one's).
    """
    out: dict[str, dict[str, list]] = {}
    doc_ids = col("documents", "doc_id")
    if doc_ids is None:
        doc_ids = []
    n = len(doc_ids)

    def doc_col(name):
        values = col("documents", name)
        return values if values is not None else [None] * n

    story, derived_from = doc_col("story_id"), doc_col("derived_from")
    date, precision = doc_col("published_date"), doc_col("published_date_precision")
    story_of = dict(zip(doc_ids, story))
    parent_of = dict(zip(doc_ids, derived_from))
    date_of = {d: (v, p) for d, v, p in zip(doc_ids, date, precision)}
    if col("documents", "doc_id") is not None:
        out["documents"] = {"_derivation_acyclic": acyclic(doc_ids, derived_from),
                            "_derived_story": [story_of.get(p) if p is not None else None for p in derived_from]}
    origins = col("stories", "origin_doc_id")
    if origins is not None:
        out["stories"] = {"_origin_story": [story_of.get(o) for o in origins]}
        origin_of = dict(zip(col("stories", "story_id") or [], origins))
    else:
        origin_of = {}
    links_doc = col("claim_links", "doc_id")
    if links_doc is not None:
        m = len(links_doc)
        src = col("claim_links", "source_doc_id") or [None] * m
        out["claim_links"] = {
            "_crosses_documents": [d is None or s is None or d != s for d, s in zip(links_doc, src)],
            "_source_in_lineage": [s is not None and s in (parent_of.get(d), origin_of.get(story_of.get(d)))
                                   for d, s in zip(links_doc, src)],
            "_source_not_later": [not_later(*date_of.get(s, (None, None)), *date_of.get(d, (None, None)))
                                  for d, s in zip(links_doc, src)],
        }
    return out


def _arrays(columns: dict[str, list]) -> dict[str, pa.Array]:
    """Derived columns as Arrow arrays, each list dropped once converted."""
    for name in list(columns):
        columns[name] = pa.array(columns[name])
    return columns


def gx_frame(t: pa.Table, derived: dict[str, list]) -> pd.DataFrame:
    """The frame GX validates: pyarrow-backed dtypes, list columns as joined text, derived columns appended."""
    for i, f in enumerate(t.schema):
        if pa.types.is_list(f.type) or pa.types.is_large_list(f.type):
            t = t.set_column(i, f.name, pc.binary_join(t.column(i), LIST_SEPARATOR))
    for name, values in derived.items():
        t = t.append_column(name, values if isinstance(values, (pa.Array, pa.ChunkedArray)) else pa.array(values))
    return t.to_pandas(types_mapper=pd.ArrowDtype)


def fk_derived(tables: dict[str, pa.Table], schema: Schema, name: str) -> dict[str, pa.Array]:
    """Per foreign key column of ``name``: its values that the referenced column lacks, null elsewhere."""
    t = tables[name]
    out = {}
    for derived, col, ref_table, ref in fk_columns(schema[name]):
        if col not in t.column_names:
            out[derived] = pa.nulls(t.num_rows, pa.string())
            continue
        values = t.column(col)
        ref_t = tables.get(ref_table)
        keys = ref_t.column(ref).drop_null() if ref_t is not None and ref in ref_t.column_names else pa.array([], values.type)
        try:
            found = pc.is_in(values, value_set=pc.unique(keys.cast(values.type)))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            found = pa.repeat(False, t.num_rows) if t.num_rows else pa.array([], pa.bool_())
        missing = pc.if_else(found, pa.scalar(None, values.type), values)
        out[derived] = missing.combine_chunks() if isinstance(missing, pa.ChunkedArray) else missing
    return out


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
        return Failure(table, check, column, description, f"could not check {description}: {msg.splitlines()[0]}")
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
    return Failure(table, check, column, description, msg, count, examples, rows)


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


def validate_tables(tables: dict[str, pa.Table], schema: Schema | None = None, *, folder: str = "", progress=None) -> Report:
    """Run every suite over in-memory tables (the build calls this before writing)."""
    schema = schema or load_schema()
    failures = arrow_type_failures(tables, schema)
    derived = derive(tables)
    expected = derived_columns(schema)

    def frames():  # one table's frame at a time: memory holds the tables and a single frame
        for name in schema.table_names:
            if name not in tables:
                continue
            d = {**derived.pop(name, {}), **fk_derived(tables, schema, name)}
            assert list(d) == expected[name], f"derive() computes {list(d)} for {name}, the suites declare {expected[name]}"
            yield name, gx_frame(tables[name], d)

    checks, gx_failures = _run_gx(frames(), schema, {}, progress=progress)
    failures += gx_failures
    return Report(folder, {n: t.num_rows for n, t in tables.items()}, checks + len(schema.table_names), failures)


def validate_folder(folder: Path, schema: Schema | None = None, *, progress=None) -> Report:
    """Validate a build or release folder; the folder alone is enough."""
    schema = schema or load_schema()
    tables, failures = read_tables(Path(folder), schema)
    report = validate_tables(tables, schema, folder=str(folder), progress=progress)
    report.failures = failures + report.failures
    return report


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
