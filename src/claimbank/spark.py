"""``claimbank validate DIR --engine spark``: the same suites, run by Apache Spark.

The tables are read by Spark from the folder's Parquet shards; the derived columns are the
SQL of ``claimbank.derived`` (the definition DuckDB runs locally), the suites are compiled to
one Spark SQL aggregate per table (``claimbank.scan``), so nothing but one row of counts per
table is collected to the driver; the expectations with suspects (all of them with ``full``)
run through Great Expectations' Spark data source; the result is the same ``Report`` as on
pandas.

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

from . import derived, scan
from .folders import read_footers, read_table_schema, table_files
from .schema import Schema, load_schema
from .suites import GX_TYPE, load_suite_dicts
from .problems import Failure
from .validate import (LIST_SEPARATOR, Report, _run_gx, _subset, arrow_type_failures, conforms, frame_kinds,
                       missing_table, unreadable_table)

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
        .config("spark.ui.showConsoleProgress", "false") \
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
            .config("spark.driver.memory", os.environ.get("CLAIMBANK_SPARK_DRIVER_MEMORY", "4g")) \
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


def _local(folder: str) -> Path:
    """A local folder (``_is_local``) as a path, which ``claimbank.folders`` reads."""
    return Path(folder.removeprefix("file://"))


# Spark SQL type names -> the Arrow types they come from (the rest has no Arrow counterpart here)
_ARROW_OF_SPARK = {"string": pa.string(), "int": pa.int32(), "bigint": pa.int64(), "smallint": pa.int16(),
                   "tinyint": pa.int8(), "boolean": pa.bool_(), "date": pa.date32(), "array<string>": pa.list_(pa.string())}


def _arrow_schema_of(df) -> pa.Schema:
    return pa.schema([pa.field(c, _ARROW_OF_SPARK.get(t, pa.null())) for c, t in df.dtypes if not c.startswith("_row")])


def read_tables(spark, folder: str, schema: Schema):
    """Every table as a Spark DataFrame with a ``_row`` column that orders the rows as the files hold them
    (file by file in name order, then row by row), the Arrow schema of each table, and the failures of reading."""
    from pyspark.sql import functions as F

    tables, arrow_schemas, failures = {}, {}, []
    for name in schema.table_names:
        if _is_local(folder):
            files = table_files(_local(folder), name)
            if not files:
                failures.append(missing_table(name))
                continue
            try:
                arrow_schemas[name] = read_table_schema(_local(folder), name)
            except (pa.ArrowInvalid, OSError) as exc:
                failures.append(unreadable_table(name, exc))
                continue
            paths = [str(f) for f in files]
        else:
            paths = sorted(spark.read.parquet(_table_path(folder, name)).inputFiles())
        # one read per file: monotonically_increasing_id grows with the row within one file's partitions
        df = None
        for i, f in enumerate(paths):
            part = spark.read.parquet(f).withColumn("_row", F.lit(i).cast("bigint") * (1 << 42) + F.monotonically_increasing_id())
            df = part if df is None else df.unionByName(part, allowMissingColumns=True)
        tables[name] = df
        arrow_schemas.setdefault(name, _arrow_schema_of(df))
    return tables, arrow_schemas, failures


def _views(spark, tables: dict, arrow_schemas: dict, schema: Schema, rows: dict) -> int:
    """The normalised view of every table (derived.view) and the look-ups, as Spark temporary views.

    Each look-up is computed once, here, and checkpointed locally (its rows kept by the executors, memory
    then disk), so that its view is a scan of those rows, not the query that made them. A temporary view
    holds its query's plan, and a look-up's plan holds the plans of the look-ups it reads: without the
    checkpoint, the pointer-doubling look-ups (``lk_parent_k`` reads ``lk_parent_{k-1}`` twice) had
    plans of 2^k copies of the documents' plan, analysed again by every query that used them (seconds
    per step at 10,000 claims; at 100,000, 13 steps, 16,384 copies, beyond the driver's 4 GB heap).
    ``.cache()`` neither cuts a plan nor computes anything until a query uses it. Returns the number of look-ups.
    """
    d = derived.SPARK
    for name in schema.table_names:
        table = schema[name]
        if name in tables:
            tables[name].createOrReplaceTempView(f"{derived.PREFIX}raw_{name}")
            query = derived.normalised_select(table, derived.presence(table, arrow_schemas[name]),
                                              f"{derived.PREFIX}raw_{name}", d)
        else:
            query = derived.normalised_select(table, {}, "(SELECT CAST(0 AS BIGINT) AS _row LIMIT 0) s", d)
        spark.sql(query).createOrReplaceTempView(derived.view(name))
    made = derived.lookups(schema, rows, d)
    for lk, query in made:
        spark.sql(query).localCheckpoint(eager=True).createOrReplaceTempView(lk)
    return len(made)


def _gx_frame(spark, tables: dict, schema: Schema, name: str):
    """The table as stored (list columns as joined text) with its derived columns, in row order, for GX."""
    from pyspark.sql.types import ArrayType

    raw = tables[name]
    cols = []
    for f in raw.schema.fields:
        if f.name == "_row":
            continue
        if isinstance(f.dataType, ArrayType):
            cols.append(f"CASE WHEN r.`{f.name}` IS NULL THEN NULL ELSE concat_ws('{LIST_SEPARATOR}', r.`{f.name}`) END AS `{f.name}`")
        else:
            cols.append(f"r.`{f.name}`")
    extra = list(derived.arrow_types(schema, name))
    frame = derived.frame_sql(schema, name, derived.SPARK)
    q = (f"SELECT {', '.join(cols + [f'f.{c}' for c in extra])} FROM {derived.PREFIX}raw_{name} r "
         f"JOIN ({frame}) f ON f._row = r._row ORDER BY r._row")
    return spark.sql(q)


def _row_counts(spark, folder: str, tables: dict) -> dict[str, int]:
    """Rows per table: from the Parquet footers where the folder is local, else counted by Spark."""
    if _is_local(folder):
        return {n: sum(f.num_rows for f in read_footers(_local(folder), n)) for n in tables}
    return {n: f.count() for n, f in tables.items()}


def validate_folder_spark(folder, schema: Schema | None = None, *, spark=None, progress=None, full: bool = False) -> Report:
    """Validate a build or release folder (a local path or a URI Spark can read) on Spark.

    Each table's suite is compiled to one Spark SQL aggregate (``claimbank.scan``); Great Expectations, on
    Spark, runs the expectations with suspects, or all of them with ``full``.
    """
    schema = schema or load_schema()
    spark = spark or spark_session()
    folder = str(folder)
    tables, arrow_schemas, failures = read_tables(spark, folder, schema)
    if _is_local(folder):
        failures += arrow_type_failures({n: s for n, s in arrow_schemas.items() if n in tables}, schema)
    rows = _row_counts(spark, folder, tables)
    if progress is not None:
        progress(f"spark {spark.version} ({spark.sparkContext.master}): read {len(tables)} tables")
    made = _views(spark, tables, arrow_schemas, schema, rows)
    if progress is not None:
        progress(f"made {made} look-ups")
    suites = spark_suites(schema)
    to_gx: dict[str, list[int]] = {}
    scans, compiled = [], {}
    for name in schema.table_names:
        if name not in tables:
            continue
        if full or not conforms(arrow_schemas[name], schema[name]):
            to_gx[name] = list(range(len(suites[name]["expectations"])))
            continue
        kinds, columns = frame_kinds(schema, name)
        compiled[name] = scan.compile_suite(load_suite_dicts(schema)[name], kinds, columns, derived.SPARK)
        query = scan.scan_sql(derived.frame_sql(schema, name, derived.SPARK), compiled[name])
        scans.append((name, query))
    for name, query in scans:
        row = spark.sql(query).collect()[0].asDict()
        to_gx[name] = scan.to_gx(compiled[name], row)
        if progress is not None:
            progress(f"scanned {name}: {rows[name]} rows, {len(suites[name]['expectations'])} checks, "
                     f"{len(to_gx[name])} to Great Expectations")
    frames = {n: _gx_frame(spark, tables, schema, n).cache() for n, p in to_gx.items() if p}
    gx_failures: list[Failure] = []
    try:
        if frames:
            _, gx_failures = _run_gx(frames, schema, {}, progress=progress, engine="spark",
                                     suites={n: _subset(suites[n], to_gx[n]) for n in frames})
    finally:
        for f in frames.values():
            f.unpersist()
        for lk, _ in derived.lookups(schema, rows, derived.SPARK):
            spark.catalog.dropTempView(lk)
    checks = sum(len(suites[n]["expectations"]) for n in tables) + len(schema.table_names)
    return Report(folder, rows, checks, failures + gx_failures, {n: p for n, p in to_gx.items()})
