"""The suites on Apache Spark (local mode): a clean sharded build passes, corruptions fail as on pandas.

Needs pyspark (the ``spark`` extra) and Java. Outside CI the tests are skipped when either is
missing; in CI (``CI`` set) they run, and a missing dependency is a failure.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil

import pytest

pytestmark = pytest.mark.slow  # Spark: a JVM per module; left out of `scripts/test --fast`

from claimbank.build import build
from claimbank.cli import main
from claimbank.synth import synth
from claimbank.validate import validate_folder
from conftest import curation_copy

_missing = [what for what, ok in (("pyspark", importlib.util.find_spec("pyspark") is not None),
                                  ("java", bool(shutil.which("java") or os.environ.get("JAVA_HOME")))) if not ok]
if _missing and not os.environ.get("CI"):
    pytest.skip(f"Spark tests need {' and '.join(_missing)} (pip install -e '.[spark]')", allow_module_level=True)

import test_validation as corruptions  # noqa: E402  the corruptions of the pandas tests, reused as they are
from claimbank.spark import spark_session, validate_folder_spark  # noqa: E402


@pytest.fixture(scope="module")
def spark():
    session = spark_session()
    yield session
    session.stop()


@pytest.fixture(scope="module")
def valid_build(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("valid")
    return build(out=tmp / "out", data=curation_copy(tmp / "src"))


def test_session_is_local_and_offline(spark):
    conf = spark.sparkContext.getConf()
    assert spark.sparkContext.master.startswith("local")
    assert conf.get("spark.ui.enabled") == "false"
    assert conf.get("spark.driver.host") == "127.0.0.1"


def test_sharded_synthetic_build_is_valid_on_spark_from_the_command_line(spark, tmp_path, capsys):
    data = synth(300, tmp_path / "data", seed=5)
    out = build(out=tmp_path / "out", data=data, shard_bytes=40_000)
    assert len(list((out / "data" / "claims").glob("*.parquet"))) > 1
    reports = tmp_path / "reports"
    assert main(["validate", str(out), "--engine", "spark", "--json", "--report-dir", str(reports)]) == 0
    result = json.loads(capsys.readouterr().out)
    pandas = validate_folder(out)
    assert result["success"] is True and result["failures"] == []
    assert result["checks"] == pandas.checks
    manifest = json.loads((out / "build.json").read_text())
    assert result["rows"] == {n: t["rows"] for n, t in manifest["tables"].items()}


@pytest.mark.parametrize("defect", ["referenced_row_dropped", "quote_altered", "id_duplicated"])
def test_corruption_fails_on_spark_exactly_as_on_pandas(defect, spark, valid_build, tmp_path):
    folder = tmp_path / "corrupt"
    shutil.copytree(valid_build, folder)
    table, corrupt, expected = corruptions.DEFECTS[defect]
    corruptions._rewrite(folder, table, corrupt)
    on_spark = validate_folder_spark(folder, spark=spark)
    assert [(f.table, f.column, f.check, f.rows) for f in on_spark.failures] == expected, on_spark.summary()
    on_pandas = validate_folder(folder)
    assert [f.message for f in on_spark.failures] == [f.message for f in on_pandas.failures]
    assert on_spark.checks == on_pandas.checks


def test_spark_log_and_progress_bars_stay_off_stderr(small_build, tmp_path):
    """From the command line, in a process of its own (the JVM writes to the process's stderr): the result on
    stdout, and on stderr none of Spark's log lines or stage progress bars."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("PYSPARK_SUBMIT_ARGS", "CLAIMBANK_SPARK_VERBOSE")}
    proc = subprocess.run([sys.executable, "-m", "claimbank", "validate", str(small_build), "--engine", "spark",
                           "--report-dir", str(tmp_path / "r")], capture_output=True, text=True, env=env, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith(f"{small_build}: valid — ")
    # the JVM's start-up banner (its default log level note) is printed before any configuration of ours
    # applies; what must not reach stderr is Spark's log lines and its stage progress bars
    banner = ('Setting default log level to "WARN".', "To adjust logging level use sc.setLogLevel(newLevel). "
              "For SparkR, use setLogLevel(newLevel).", "WARNING: Using incubator modules: jdk.incubator.vector")
    spark_lines = [line for line in proc.stderr.splitlines()
                   if line not in banner and re.search(r"\b(INFO|WARN)\b|\[Stage \d+", line)]
    assert spark_lines == [], proc.stderr[-3000:]


def test_lookups_are_read_as_stored_rows_however_many_doubling_steps(spark, valid_build):
    """Each look-up is made once, and its view reads the rows it made: a look-up's plan holds no other's. Where
    views held their queries, the cycle search's pointer doubling (each step reads the one before twice) had plans
    of 2^k copies of the documents' plan, which at 100,000 claims (13 steps) ran the driver out of memory."""
    from claimbank import derived
    from claimbank.schema import load_schema
    from claimbank.spark import _views, read_tables

    schema = load_schema()
    tables, arrow_schemas, _ = read_tables(spark, str(valid_build), schema)
    rows = {"documents": 1_000}  # 10 doubling steps (plans of up to 2,048 copies of the documents' where views held queries)
    lookups = derived.lookups(schema, rows, derived.SPARK)
    assert f"{derived.PREFIX}lk_parent_10" in dict(lookups)
    try:
        assert _views(spark, tables, arrow_schemas, schema, rows) == len(lookups)
        for lk, _ in lookups:
            leaves = spark.table(lk)._jdf.queryExecution().analyzed().collectLeaves()
            assert [leaves.apply(i).nodeName() for i in range(leaves.size())] == ["LogicalRDD"], lk
    finally:
        for lk, _ in lookups:
            spark.catalog.dropTempView(lk)


def test_derivation_cycle_fails_on_spark_exactly_as_on_pandas(spark, story_build):
    """The cycle search (the pointer-doubling look-ups) on Spark: two documents derived from each other."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = next((story_build / "data" / "documents").glob("*.parquet"))
    t = pq.read_table(path)
    i = t.schema.get_field_index("derived_from")
    cycle = ["d901" if d == "d900" else "d900" for d in t.column("doc_id").to_pylist()]
    pq.write_table(t.set_column(i, t.schema.field(i), pa.array(cycle, t.schema.field(i).type)), path)
    on_spark, on_pandas = validate_folder_spark(story_build, spark=spark), validate_folder(story_build)
    assert "derivation-acyclic" in {f.check for f in on_spark.failures}, on_spark.summary()
    assert [(f.table, f.column, f.check, f.rows, f.message) for f in on_spark.failures] == \
        [(f.table, f.column, f.check, f.rows, f.message) for f in on_pandas.failures]
