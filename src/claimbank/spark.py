"""``claimbank validate DIR --engine spark``: the same suites, run by Apache Spark.

The tables are read by Spark from the folder's Parquet shards; the cross-table columns of
``schema/semantic.json`` are computed in Spark SQL (joins and window functions, so nothing is
collected to the driver; foreign keys are anti-joins); the suites of ``schema/suites/`` run
through Great Expectations' Spark data source; the result is the same ``Report`` as on pandas.

The one adaptation: ``expect_column_values_to_be_of_type`` names Python types on pandas
(``str``) and Spark SQL types on Spark (``StringType``); the suites are translated on load.

Local mode by default (``local[*]`` on this machine, bound to 127.0.0.1, no UI). To use a
cluster, set ``CLAIMBANK_SPARK_MASTER`` (e.g. ``spark://host:7077`` or ``yarn``) or run under
``spark-submit``, where the active session is used as it is; the folder must then be a path
every executor can read (``hdfs://``, ``s3a://``, a shared mount). See docs/SCALE.md.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyarrow as pa

from .schema import Schema, load_schema
from .suites import GX_TYPE, derived_columns, fk_columns, load_suite_dicts
from .validate import (story_columns, LIST_SEPARATOR, NO_DOCUMENT, NO_OFFSETS, OUTSIDE, Failure, Report, _run_gx,
                       arrow_type_failures)

SPARK_TYPE = {"str": "StringType", "int": "IntegerType", "bool": "BooleanType", "date": "DateType"}
assert set(SPARK_TYPE) == set(GX_TYPE.values())


class SparkUnavailable(Exception):
    """pyspark or Java is missing."""


def spark_session():
    """The active Spark session, or a new one: local mode unless CLAIMBANK_SPARK_MASTER names a cluster."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable("pyspark is not installed; install the spark extra: pip install 'claimbank[spark]'") from exc
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise SparkUnavailable("Spark needs Java (17 or newer); install it (e.g. apt-get install default-jre-headless) "
                               "or set JAVA_HOME")
    master = os.environ.get("CLAIMBANK_SPARK_MASTER")
    builder = SparkSession.builder.appName("claimbank-validate").config("spark.ui.enabled", "false") \
        .config("spark.sql.session.timeZone", "UTC")
    verbose = os.environ.get("CLAIMBANK_SPARK_VERBOSE") == "1"
    if not verbose:  # Spark's log and progress bars stay off stderr: errors only
        log4j = Path(__file__).with_name("spark-log4j2.properties")
        # the driver JVM is started by spark-submit with these arguments (unless the caller set its own)
        os.environ.setdefault("PYSPARK_SUBMIT_ARGS",
                              f"--driver-java-options -Dlog4j2.configurationFile={log4j.as_uri()} pyspark-shell")
        builder = builder.config("spark.ui.showConsoleProgress", "false")
    if master is None or master.startswith("local"):
        # local mode: bind to the loopback interface, no DNS lookup of the host name
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        builder = builder.master(master or "local[*]").config("spark.driver.host", "127.0.0.1") \
            .config("spark.driver.bindAddress", "127.0.0.1").config("spark.sql.shuffle.partitions", "4")
    else:
        builder = builder.master(master)
    session = builder.getOrCreate()
    if not verbose:
        session.sparkContext.setLogLevel("ERROR")
    return session


def spark_suites(schema: Schema) -> dict[str, dict]:
    """The committed suites with type expectations naming Spark SQL types."""
    suites = load_suite_dicts(schema)
    for suite in suites.values():
        for e in suite["expectations"]:
            if e["type"] == "expect_column_values_to_be_of_type":
                e["kwargs"]["type_"] = SPARK_TYPE[e["kwargs"]["type_"]]
    return suites


def _table_path(folder: str, name: str) -> str:
    return f"{folder.rstrip('/')}/data/{name}"


def _is_local(folder: str) -> bool:
    return "://" not in folder or folder.startswith("file://")


def read_tables(spark, folder: str, schema: Schema):
    """Every table as a Spark DataFrame with a ``_row`` column (the order of the files and rows)."""
    from pyspark.sql import functions as F

    tables, arrow_schemas, failures = {}, {}, []
    for name in schema.table_names:
        path = _table_path(folder, name)
        if _is_local(folder):
            local = Path(path.removeprefix("file://"))
            files = sorted(local.glob("*.parquet"))
            if not files:
                failures.append(Failure(name, "table-present", None, f"data/{name}/ holds the {name} table",
                                        f"no Parquet file in data/{name}/"))
                continue
            try:
                import pyarrow.parquet as pq

                arrow_schemas[name] = pq.read_schema(files[0])
            except (pa.ArrowInvalid, OSError) as exc:
                failures.append(Failure(name, "table-readable", None, f"data/{name}/ is readable Parquet",
                                        f"cannot read: {exc}"))
                continue
            paths = [str(f) for f in files]
        else:
            paths = [path]
        df = spark.read.parquet(*paths)
        # file order, then row order within a file: the order pandas sees
        df = df.withColumn("_file", F.input_file_name()).withColumn("_pos", F.monotonically_increasing_id())
        tables[name] = df
    return tables, arrow_schemas, failures


def _offsets_sql(alias: str, start: str, end: str, types: dict) -> tuple[str, str]:
    """SQL for the two offsets, NULL when the column is missing or not an integer (as on pandas)."""
    def one(c):
        return f"{alias}.{c}" if types.get(c) in ("int", "bigint", "smallint", "tinyint") else "CAST(NULL AS INT)"
    return one(start), one(end)


def _slice_sql(text: str, s: str, e: str, *, optional: bool) -> str:
    body = (f"CASE WHEN {text} IS NULL THEN '{NO_DOCUMENT}' "
            f"WHEN {s} IS NULL OR {e} IS NULL THEN '{NO_OFFSETS}' "
            f"WHEN NOT ({s} >= 0 AND {s} <= {e} AND {e} <= length({text})) THEN '{OUTSIDE}' "
            f"ELSE substring({text}, {s} + 1, {e} - {s}) END")
    if optional:
        return f"CASE WHEN {s} IS NULL AND {e} IS NULL THEN NULL ELSE {body} END"
    return body


def derive_frames(spark, tables: dict, schema: Schema) -> dict:
    """Each table with its list columns joined to text and the derived columns of semantic.json appended."""
    from pyspark.sql.types import ArrayType

    prefix = "claimbank_"
    for name, df in tables.items():
        df.createOrReplaceTempView(prefix + name)
    cols = {n: df.columns for n, df in tables.items()}
    types = {n: dict(df.dtypes) for n, df in tables.items()}

    def has(t, *cs):
        return t in tables and all(c in cols[t] for c in cs)

    def select_list(name: str, alias: str = "t") -> str:
        out = []
        for f in tables[name].schema.fields:
            if f.name in ("_file", "_pos"):
                continue
            if isinstance(f.dataType, ArrayType):
                out.append(f"CASE WHEN {alias}.`{f.name}` IS NULL THEN NULL "
                           f"ELSE concat_ws('{LIST_SEPARATOR}', {alias}.`{f.name}`) END AS `{f.name}`")
            else:
                out.append(f"{alias}.`{f.name}`")
        out += [f"{alias}._file", f"{alias}._pos"]
        return ", ".join(out)

    texts = (f"(SELECT doc_id, first(text) AS text FROM {prefix}documents WHERE text IS NOT NULL GROUP BY doc_id)"
             if has("documents", "doc_id", "text") else "(SELECT CAST(NULL AS STRING) AS doc_id, CAST(NULL AS STRING) AS text)")
    order = ""  # rows are put back in file order after the foreign-key joins
    sql: dict[str, str] = {}
    if "documents" in tables:
        text = "t.text" if has("documents", "text") else "CAST(NULL AS STRING)"
        sql["documents"] = (f"SELECT {select_list('documents')}, sha2({text}, 256) AS _text_sha256, "
                            f"CAST(length({text}) AS BIGINT) AS _text_length FROM {prefix}documents t {order}")
    if "claims" in tables:
        cid = "t.claim_id" if has("claims", "claim_id") else "CAST(NULL AS STRING)"
        did = "t.doc_id" if has("claims", "doc_id") else "CAST(NULL AS STRING)"
        s, e = _offsets_sql("t", "span_start", "span_end", types["claims"])
        vc = (f"(SELECT claim_id, count(*) AS n FROM {prefix}verdicts WHERE claim_id IS NOT NULL GROUP BY claim_id)"
              if has("verdicts", "claim_id") else "(SELECT CAST(NULL AS STRING) AS claim_id, 0L AS n)")
        sc = (f"(SELECT claim_id, count(*) AS n FROM {prefix}sourcing WHERE claim_id IS NOT NULL GROUP BY claim_id)"
              if has("sourcing", "claim_id") else "(SELECT CAST(NULL AS STRING) AS claim_id, 0L AS n)")
        origin = (f"(SELECT claim_id, max_by(source_id, position) AS source_id FROM {prefix}sourcing "
                  f"WHERE position IS NOT NULL GROUP BY claim_id)"
                  if has("sourcing", "claim_id", "position", "source_id") and types["sourcing"]["position"] == "int"
                  else "(SELECT CAST(NULL AS STRING) AS claim_id, CAST(NULL AS STRING) AS source_id)")
        sql["claims"] = (
            f"SELECT {select_list('claims')}, {_slice_sql('d.text', s, e, optional=False)} AS _text_slice, "
            f"CAST(length(d.text) AS BIGINT) AS _doc_length, coalesce(v.n, 0L) AS _verdict_count, "
            f"coalesce(c.n, 0L) AS _sourcing_count, o.source_id AS _chain_origin "
            f"FROM {prefix}claims t LEFT JOIN {texts} d ON d.doc_id = {did} "
            f"LEFT JOIN {vc} v ON v.claim_id = {cid} LEFT JOIN {sc} c ON c.claim_id = {cid} "
            f"LEFT JOIN {origin} o ON o.claim_id = {cid} {order}")
    if "sourcing" in tables:
        s, e = _offsets_sql("t", "cue_start", "cue_end", types["sourcing"])
        pos = "t.position" if types["sourcing"].get("position") == "int" else "CAST(NULL AS INT)"
        cid = "t.claim_id" if has("sourcing", "claim_id") else "CAST(NULL AS STRING)"
        role = "t.role" if has("sourcing", "role") else "CAST(NULL AS STRING)"
        claim_doc = (f"(SELECT claim_id, first(doc_id) AS doc_id FROM {prefix}claims GROUP BY claim_id)"
                     if has("claims", "claim_id", "doc_id") else "(SELECT CAST(NULL AS STRING) AS claim_id, CAST(NULL AS STRING) AS doc_id)")
        sql["sourcing"] = (
            f"SELECT {select_list('sourcing')}, "
            f"CAST(row_number() OVER (PARTITION BY {cid} ORDER BY coalesce({pos}, -1), t._file, t._pos) - 1 AS BIGINT) AS _position_rank, "
            f"{_slice_sql('d.text', s, e, optional=True)} AS _cue_slice, CAST(length(d.text) AS BIGINT) AS _doc_length, "
            f"coalesce({role} = CASE WHEN {pos} = 0 THEN 'author' "
            f"WHEN {pos} = max({pos}) OVER (PARTITION BY {cid}) THEN 'origin' ELSE 'relay' END, false) AS _role_expected "
            f"FROM {prefix}sourcing t LEFT JOIN {claim_doc} cd ON cd.claim_id = {cid} "
            f"LEFT JOIN {texts} d ON d.doc_id = cd.doc_id {order}")
    if "stances" in tables:
        s, e = _offsets_sql("t", "span_start", "span_end", types["stances"])
        did = "t.doc_id" if has("stances", "doc_id") else "CAST(NULL AS STRING)"
        sql["stances"] = (
            f"SELECT {select_list('stances')}, {_slice_sql('d.text', s, e, optional=False)} AS _text_slice, "
            f"CAST(length(d.text) AS BIGINT) AS _doc_length "
            f"FROM {prefix}stances t LEFT JOIN {texts} d ON d.doc_id = {did} {order}")
    story_views = _story_views(spark, tables, prefix)
    frames = {}
    expected = derived_columns(schema)
    for name in schema.table_names:
        if name not in tables:
            continue
        q = sql.get(name, f"SELECT {select_list(name)} FROM {prefix}{name} t")
        if name in story_views:
            view, names = story_views[name]
            q = (f"SELECT q0.*, {', '.join(f'sv.`{c}`' for c in names)} FROM ({q}) q0 "
                 f"LEFT JOIN {view} sv ON sv._file = q0._file AND sv._pos = q0._pos")
        fk_select, fk_joins = [], []
        for i, (derived_fk, col, ref_table, ref) in enumerate(fk_columns(schema[name])):
            if col in cols[name] and has(ref_table, ref):
                fk_joins.append(f"LEFT JOIN (SELECT DISTINCT `{ref}` AS k FROM {prefix}{ref_table} WHERE `{ref}` IS NOT NULL) "
                                f"r{i} ON r{i}.k = b.`{col}`")
                fk_select.append(f"CASE WHEN b.`{col}` IS NOT NULL AND r{i}.k IS NULL THEN b.`{col}` END AS `{derived_fk}`")
            elif col in cols[name]:
                fk_select.append(f"b.`{col}` AS `{derived_fk}`")  # nothing to refer to: every value is missing
            else:
                fk_select.append(f"CAST(NULL AS STRING) AS `{derived_fk}`")
        q = (f"SELECT b.* {''.join(', ' + x for x in fk_select)} FROM ({q}) b {' '.join(fk_joins)} "
             f"ORDER BY b._file, b._pos")
        frame = spark.sql(q).drop("_file", "_pos")
        derived = [c for c in frame.columns if c.startswith("_") and c not in cols[name]]
        assert derived == expected[name], f"spark derives {derived} for {name}, semantic.json declares {expected[name]}"
        frames[name] = frame.cache()
    return frames


_STORY_INPUTS = {
    "documents": ("doc_id", "story_id", "derived_from", "published_date", "published_date_precision"),
    "stories": ("story_id", "origin_doc_id"),
    "claim_links": ("doc_id", "source_doc_id"),
}


def _story_views(spark, tables: dict, prefix: str) -> dict:
    """The derived columns of stories, derivations and links (validate.story_columns, one definition for
    both engines), computed on the driver from the few columns they need and registered as views keyed
    by row (``_file``, ``_pos``). Documents, stories and links are small beside claims."""
    from pyspark.sql.types import BooleanType, LongType, StringType, StructField, StructType

    data: dict[str, dict[str, list]] = {}
    for name, wanted in _STORY_INPUTS.items():
        if name not in tables:
            continue
        present = [c for c in wanted if c in tables[name].columns]
        rows = tables[name].select("_file", "_pos", *present).collect()
        data[name] = {c: [r[c] for r in rows] for c in ("_file", "_pos", *present)}

    def col(table: str, name: str):
        return data.get(table, {}).get(name)

    views = {}
    for name, columns in story_columns(col).items():
        if name not in data:
            continue
        fields = [StructField("_file", StringType()), StructField("_pos", LongType())]
        for c, values in columns.items():
            kind = StringType() if c.endswith("_story") else BooleanType()
            fields.append(StructField(c, kind))
        rows = list(zip(data[name]["_file"], data[name]["_pos"], *columns.values()))
        view = f"{prefix}story_{name}"
        spark.createDataFrame(rows, StructType(fields)).createOrReplaceTempView(view)
        views[name] = (view, list(columns))
    return views


def _arrow_schema_table(schema: pa.Schema) -> pa.Table:
    return pa.Table.from_batches([], schema=schema)


def validate_folder_spark(folder, schema: Schema | None = None, *, spark=None, progress=None) -> Report:
    """Validate a build or release folder (a local path or a URI Spark can read) on Spark."""
    schema = schema or load_schema()
    spark = spark or spark_session()
    folder = str(folder)
    tables, arrow_schemas, failures = read_tables(spark, folder, schema)
    failures += arrow_type_failures({n: _arrow_schema_table(s) for n, s in arrow_schemas.items()}, schema)
    frames = derive_frames(spark, tables, schema)
    if progress is not None:
        progress(f"spark {spark.version} ({spark.sparkContext.master}): read {len(frames)} tables")
    try:
        checks, gx_failures = _run_gx(frames, schema, {}, progress=progress, engine="spark",
                                      suites=spark_suites(schema))
    finally:
        for f in frames.values():
            f.unpersist()
    rows = {n: f.count() for n, f in tables.items()}
    return Report(folder, rows, checks + len(schema.table_names), failures + gx_failures)

