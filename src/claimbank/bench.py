"""``scripts/bench`` (``claimbank bench``): build, validation, release and loading against their floors.

One run, on one synthetic corpus (``claimbank synth``), measures each operation and its floor
in fresh processes, one after another, and reports each operation as a ratio to its floor:

- build: ``claimbank build`` vs parsing the same annotation files with the fastest YAML parser
  at hand (libyaml, through PyYAML's C loader, with the cyclic garbage collector paused as the
  build pauses it), reading the texts, plus writing the same tables with pyarrow alone (same
  compression);
- validation: ``claimbank.validate.validate_folder`` vs ``pyarrow.parquet.read_table`` of every table;
- validation on Spark (local mode, when pyspark and Java are there): ``validate_folder_spark`` vs a Spark
  read of every table, Spark's start-up and a first read excluded, with the cost per row of each;
- release: ``claimbank.release.cut_release`` into a temporary folder (no floor: reported as time);
- loading the claims: ``claimbank.load`` vs ``read_table().to_pandas()``; ``datasets.load_dataset``
  (a cold cache) and DuckDB (to Arrow) vs ``read_table``;
- peak memory (max RSS) of every process.

Heavy imports (pandas, pyarrow, duckdb, datasets) are made before the clock
starts, in the measured process and in its floor alike; the Great Expectations import is
reported on its own. The table is printed and the figures written as JSON.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = {  # operation -> (floor, highest ratio): docs/SCALE.md
    "build": ("build_floor", 3.0),
    "validate": ("read_table", 3.0),
    "load": ("read_table_to_pandas", 1.5),
}
MEMORY_TARGET = 4 << 30
SCALING_TARGET = 12.0  # 100k -> 1M claims


# -- the steps, each run in its own process -------------------------------------------------------

def _peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _tables(out: Path) -> list[str]:
    from .schema import load_schema

    return load_schema().table_names


def step_build(p: dict) -> dict:
    from .build import build

    t = time.perf_counter()
    build(out=Path(p["out"]), data=Path(p["data"]))
    return {"seconds": time.perf_counter() - t}


def step_build_floor(p: dict) -> dict:
    """Parse every annotation file with libyaml, read every text, then write the built tables with pyarrow."""
    import pyarrow.parquet as pq
    import yaml

    from .compiled import PARQUET_OPTIONS

    data = Path(p["data"])
    files = sorted(data.rglob("*.yaml"))
    texts = sorted(data.rglob("*.txt"))
    tables = {n: pq.read_table(Path(p["out"]) / "data" / n) for n in _tables(Path(p["out"]))}
    loader = yaml.CSafeLoader
    gc.disable()  # the fastest way to build the parsed values: as the build does it
    t = time.perf_counter()
    for f in files:
        with open(f, "rb") as fh:
            yaml.load(fh.read().decode("utf-8"), Loader=loader)
    for f in texts:
        f.read_bytes().decode("utf-8")
    parse = time.perf_counter() - t
    gc.enable()
    tmp = Path(tempfile.mkdtemp(prefix="claimbank-bench-floor-"))
    try:
        t = time.perf_counter()
        for n, table in tables.items():
            pq.write_table(table, tmp / f"{n}.parquet", **PARQUET_OPTIONS)
        write = time.perf_counter() - t
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"seconds": parse + write, "parse_seconds": parse, "write_seconds": write, "yaml_files": len(files)}


def step_validate(p: dict) -> dict:
    import duckdb  # noqa: F401  imported before the clock, as the floor imports pyarrow

    from .validate import validate_folder

    t = time.perf_counter()
    report = validate_folder(Path(p["out"]))
    seconds = time.perf_counter() - t
    assert report.success, report.summary()
    return {"seconds": seconds, "checks": report.checks, "in_gx": sum(len(v) for v in report.in_gx.values()),
            "gx_imported": "great_expectations" in sys.modules}


def step_validate_profile(p: dict) -> dict:
    """Where validation spends its time: the views and look-ups, then each table's scan, with and without the
    checks that compare a text slice (the quotes and cues against documents.text)."""
    import duckdb  # noqa: F401

    from . import derived, scan
    from .schema import load_schema
    from .suites import load_suite_dicts
    from .validate import _duckdb, folder_sources, frame_kinds

    schema, out = load_schema(), Path(p["out"])
    suites = load_suite_dicts(schema)
    t = time.perf_counter()
    sources, _ = folder_sources(out, schema)
    con = _duckdb(sources, schema)
    setup = time.perf_counter() - t
    tables = {}
    for name in schema.table_names:
        kinds, columns = frame_kinds(schema, name)
        compiled = scan.compile_suite(suites[name], kinds, columns, derived.DUCKDB)
        frame = derived.frame_sql(schema, name, derived.DUCKDB)
        slices = [i for i, e in enumerate(suites[name]["expectations"])
                  if {e["kwargs"].get("column_A"), e["kwargs"].get("column_B")} & {"_text_slice", "_cue_slice"}]
        timings = []
        for without in ([], slices):
            query = scan.scan_sql(frame, [scan.Compiled(scan.PASS) if i in without else c for i, c in enumerate(compiled)])
            t = time.perf_counter()
            con.execute(query).fetchall()
            timings.append(time.perf_counter() - t)
        tables[name] = {"seconds": timings[0], "without_slices_seconds": timings[1], "slice_checks": len(slices)}
    return {"seconds": setup + sum(x["seconds"] for x in tables.values()), "setup_seconds": setup, "tables": tables}


def step_spark(p: dict) -> dict:
    """Spark, local mode: its start-up and a first read (JIT, caches) excluded, then a Spark read of every
    table (all columns, through a no-op sink) and the compiled validation on Spark, each timed, with its
    phases (from its progress lines): reading the tables, making the look-ups, each table's scan, and
    Great Expectations."""
    import pyarrow.parquet as pq

    from .spark import spark_session, validate_folder_spark

    out = Path(p["out"])
    t = time.perf_counter()
    spark = spark_session()
    spark.sparkContext.setLogLevel("ERROR")
    startup = time.perf_counter() - t

    def read_all():
        for n in _tables(out):
            spark.read.parquet(*[str(f) for f in sorted((out / "data" / n).glob("*.parquet"))]) \
                .write.format("noop").mode("overwrite").save()

    t = time.perf_counter()
    read_all()  # warm-up
    warmup = time.perf_counter() - t
    t = time.perf_counter()
    read_all()
    read = time.perf_counter() - t
    marks = []
    t = time.perf_counter()
    report = validate_folder_spark(out, spark=spark, progress=lambda m: marks.append((time.perf_counter() - t, m)))
    seconds = time.perf_counter() - t
    assert report.success, report.summary()
    rows = sum(pq.ParquetFile(f).metadata.num_rows for f in (out / "data").rglob("*.parquet"))
    read_end = next(s for s, m in marks if m.startswith("spark "))  # "spark 4.x (local[*]): read N tables"
    lookups_end = next(s for s, m in marks if m.startswith("made "))  # "made N look-ups"
    scans, last = {}, lookups_end
    for s, m in marks:
        if m.startswith("scanned "):  # "scanned claims: ..."
            scans[m.split(":")[0].removeprefix("scanned ")] = s - last
            last = s
    phases = {"read_seconds": read_end, "lookups_seconds": lookups_end - read_end, "scans_seconds": last - lookups_end,
              "gx_seconds": seconds - last, "scan_seconds": scans}
    spark.stop()
    return {"seconds": seconds, "read_seconds": read, "startup_seconds": startup, "warmup_seconds": warmup,
            "rows": rows, "version": spark.version, "master": "local[*]", "phases": phases}


def step_gx_import(p: dict) -> dict:
    t = time.perf_counter()
    import great_expectations  # noqa: F401

    return {"seconds": time.perf_counter() - t}


def step_read_table(p: dict) -> dict:
    import pyarrow.parquet as pq

    out = Path(p["out"])
    t = time.perf_counter()
    for n in _tables(out):
        pq.read_table(out / "data" / n)
    return {"seconds": time.perf_counter() - t}


def step_release(p: dict) -> dict:
    from . import release

    rdir = Path(tempfile.mkdtemp(prefix="claimbank-bench-releases-"))
    try:
        t = time.perf_counter()
        release.cut_release("0.0.1", build_dir=Path(p["out"]), releases_dir=rdir, date="2026-01-01", check_project=False,
                            url=rdir.as_uri())  # where this throwaway release lives
        return {"seconds": time.perf_counter() - t}
    finally:
        shutil.rmtree(rdir, ignore_errors=True)


def step_load(p: dict) -> dict:
    from claimbank import load  # imports pandas, as the floor does before its clock starts

    t = time.perf_counter()
    df = load("claims", path=Path(p["out"]))
    return {"seconds": time.perf_counter() - t, "rows": len(df)}


def step_claims_read_table(p: dict) -> dict:
    import pyarrow.parquet as pq

    t = time.perf_counter()
    pq.read_table(Path(p["out"]) / "data" / "claims")
    return {"seconds": time.perf_counter() - t}


def step_read_table_to_pandas(p: dict) -> dict:
    import pandas  # noqa: F401
    import pyarrow.parquet as pq

    t = time.perf_counter()
    pq.read_table(Path(p["out"]) / "data" / "claims").to_pandas()
    return {"seconds": time.perf_counter() - t}


def step_datasets(p: dict) -> dict:
    cache = tempfile.mkdtemp(prefix="claimbank-bench-hf-")
    os.environ["HF_DATASETS_CACHE"] = cache
    os.environ["HF_DATASETS_OFFLINE"] = "1"
    os.environ["HF_HUB_OFFLINE"] = "1"
    import datasets

    datasets.disable_progress_bars()
    try:
        t = time.perf_counter()
        ds = datasets.load_dataset(p["out"], "claims", split="train", cache_dir=cache)
        seconds = time.perf_counter() - t
        t = time.perf_counter()
        stream = datasets.load_dataset(p["out"], "claims", split="train", streaming=True)
        n = sum(1 for _ in zip(range(10_000), stream))
        stream_seconds = time.perf_counter() - t
        return {"seconds": seconds, "rows": ds.num_rows, "stream_first_10k_seconds": stream_seconds, "streamed": n}
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def step_duckdb(p: dict) -> dict:
    import duckdb

    con = duckdb.connect()
    glob = str(Path(p["out"]) / "data" / "claims" / "*.parquet")
    t = time.perf_counter()
    table = con.execute(f"select * from read_parquet('{glob}')").to_arrow_table()
    return {"seconds": time.perf_counter() - t, "rows": table.num_rows}


STEPS = {name[5:]: fn for name, fn in globals().items() if name.startswith("step_")}


def _run_step(name: str, params: dict) -> dict:
    """Run one step in a fresh interpreter; its figures and its peak memory."""
    proc = subprocess.run([sys.executable, "-m", "claimbank.bench", "--step", name, json.dumps(params)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"bench step {name} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# -- one size -----------------------------------------------------------------------------------

def bench_size(claims: int, work: Path, seed: int, say, spark: bool = False, steps: list[str] | None = None) -> dict:
    from .synth import synth

    data, out = work / f"synth-{claims}" / "data", work / f"synth-{claims}" / "out"
    stamp = data / "README.md"
    t = time.perf_counter()
    if not (stamp.is_file() and f"--claims {claims} --seed {seed}`" in stamp.read_text()):
        say(f"{claims} claims: writing the synthetic corpus")
        synth(claims, data, seed=seed)
    synth_seconds = time.perf_counter() - t
    params = {"data": str(data), "out": str(out)}
    order = ["build", "build_floor", "gx_import", "validate", "read_table", "validate_profile", "release", "load",
             "read_table_to_pandas", "claims_read_table", "datasets", "duckdb"]
    if spark:
        order.append("spark")
    if steps:
        order = [n for n in order if n in steps]
    r = {}
    for name in order:
        say(f"{claims} claims: {name}")
        r[name] = _run_step(name, params)
    parquet = sum(p.stat().st_size for p in (out / "data").rglob("*.parquet"))
    corpus = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())
    manifest = json.loads((out / "build.json").read_text())
    pairs = {"build": ("build", "build_floor"), "validate": ("validate", "read_table"),
             "load": ("load", "read_table_to_pandas"), "datasets": ("datasets", "claims_read_table"),
             "duckdb": ("duckdb", "claims_read_table")}
    ratios = {k: r[a]["seconds"] / r[b]["seconds"] for k, (a, b) in pairs.items() if a in r and b in r}
    if "spark" in r:
        ratios["spark"] = r["spark"]["seconds"] / r["spark"]["read_seconds"]
    return {
        "claims": claims, "seed": seed, "synth_seconds": synth_seconds, "steps": r, "ratios": ratios,
        "rows": {n: t["rows"] for n, t in manifest["tables"].items()},
        "files": {n: len(t["files"]) for n, t in manifest["tables"].items()},
        "parquet_bytes": parquet, "parquet_bytes_per_claim": parquet / claims,
        "corpus_bytes": corpus, "corpus_bytes_per_claim": corpus / claims,
        "peak_rss_bytes": max(s["peak_rss"] for s in r.values()),
    }


def _fmt_mb(n: int) -> str:
    return f"{n / (1 << 20):,.0f}"


def render(result: dict) -> str:
    s, ra, n = result["steps"], result["ratios"], result["claims"]
    if not set(STEPS) - {"validate_profile", "spark"} <= set(s):
        return render_some(result)
    rows = [
        ("build", s["build"], "parse (libyaml) + write (pyarrow)", s["build_floor"], ra["build"], TARGETS["build"][1]),
        ("validate (pandas)", s["validate"], "read_table, every table", s["read_table"], ra["validate"], TARGETS["validate"][1]),
        ("claimbank.load(claims)", s["load"], "read_table().to_pandas()", s["read_table_to_pandas"], ra["load"], TARGETS["load"][1]),
        ("datasets.load_dataset", s["datasets"], "read_table (claims)", s["claims_read_table"], ra["datasets"], None),
        ("duckdb to Arrow", s["duckdb"], "read_table (claims)", s["claims_read_table"], ra["duckdb"], None),
        ("release (cut_release)", s["release"], "-", None, None, None),
        ("import great_expectations", s["gx_import"], "-", None, None, None),
    ]
    out = [f"ClaimBank benchmark: {n:,} claims ({', '.join(f'{t} {c:,}' for t, c in result['rows'].items())})",
           f"machine: {result.get('machine', '')}",
           "",
           f"| {'operation':<26} | {'s':>8} | {'floor':<34} | {'floor s':>8} | {'ratio':>6} | {'target':>6} | {'met':<3} | {'peak MB':>8} |",
           f"|{'-' * 28}|{'-' * 10}|{'-' * 36}|{'-' * 10}|{'-' * 8}|{'-' * 8}|{'-' * 5}|{'-' * 10}|"]
    for label, op, floor_label, floor, ratio, target in rows:
        fs = f"{floor['seconds']:8.2f}" if floor else f"{'':>8}"
        rs = f"{ratio:6.2f}" if ratio is not None else f"{'':>6}"
        ts = f"{target:6.1f}" if target else f"{'':>6}"
        met = ("yes" if ratio <= target else "NO") if target else ""
        out.append(f"| {label:<26} | {op['seconds']:8.2f} | {floor_label:<34} | {fs} | {rs} | {ts} | {met:<3} | {_fmt_mb(op['peak_rss']):>8} |")
    peak = result["peak_rss_bytes"]
    out += ["",
            f"peak memory (largest process): {_fmt_mb(peak)} MB (target < {_fmt_mb(MEMORY_TARGET)} MB: {'yes' if peak < MEMORY_TARGET else 'NO'})",
            f"build floor: parse {s['build_floor']['parse_seconds']:.2f} s ({s['build_floor']['yaml_files']:,} YAML files), "
            f"write {s['build_floor']['write_seconds']:.2f} s",
            f"Parquet: {_fmt_mb(result['parquet_bytes'])} MB, {result['parquet_bytes_per_claim']:.0f} bytes per claim "
            f"(curation files: {result['corpus_bytes_per_claim']:.0f} bytes per claim); shards: "
            + ", ".join(f"{t} {k}" for t, k in result["files"].items()),
            f"datasets streaming: first {s['datasets']['streamed']:,} rows in {s['datasets']['stream_first_10k_seconds']:.2f} s",
            f"synthetic corpus written in {result['synth_seconds']:.1f} s (0 when reused)",
            f"validate: {s['validate']['checks']} checks, {s['validate'].get('in_gx', '?')} run in Great Expectations "
            f"(imported: {'yes' if s['validate'].get('gx_imported') else 'no'})"]
    if "validate_profile" in s:
        vp = s["validate_profile"]
        sliced = sum(x["seconds"] - x["without_slices_seconds"] for x in vp["tables"].values() if x["slice_checks"])
        out += [f"validate, where the time goes (the same steps again, timed one by one): views and look-ups "
                f"{vp['setup_seconds']:.2f} s; the scans "
                + ", ".join(f"{t} {x['seconds']:.2f}" for t, x in vp["tables"].items())
                + f" s; of which the checks of quotes and cues against the text slices {sliced:.2f} s"]
    out += _render_spark(result)
    return "\n".join(out)


def render_some(result: dict) -> str:
    """The operations of a run restricted with --steps, each with its floor where that was measured too."""
    s, ra, n = result["steps"], result["ratios"], result["claims"]
    out = [f"ClaimBank benchmark: {n:,} claims ({', '.join(f'{t} {c:,}' for t, c in result['rows'].items())}); "
           f"steps: {', '.join(s)}",
           f"machine: {result.get('machine', '')}", ""]
    for op, (floor, target) in {**TARGETS, "datasets": ("claims_read_table", None),
                                "duckdb": ("claims_read_table", None)}.items():
        if op in s:
            line = f"{op}: {s[op]['seconds']:.2f} s"
            if op in ra:
                line += f", {floor} {s[floor]['seconds']:.2f} s, ratio {ra[op]:.2f}"
                if target:
                    line += f" (target {target}: {'yes' if ra[op] <= target else 'NO'})"
            out.append(line + f", peak {_fmt_mb(s[op]['peak_rss'])} MB")
    for op in ("release", "read_table"):
        if op in s:
            out.append(f"{op}: {s[op]['seconds']:.2f} s, peak {_fmt_mb(s[op]['peak_rss'])} MB")
    if "validate" in s:
        out.append(f"validate: {s['validate']['checks']} checks, {s['validate'].get('in_gx', '?')} run in Great Expectations "
                   f"(imported: {'yes' if s['validate'].get('gx_imported') else 'no'})")
    if "validate_profile" in s:
        vp = s["validate_profile"]
        sliced = sum(x["seconds"] - x["without_slices_seconds"] for x in vp["tables"].values() if x["slice_checks"])
        out.append(f"validate, where the time goes (the same steps again, timed one by one): views and look-ups "
                   f"{vp['setup_seconds']:.2f} s; the scans " + ", ".join(f"{t} {x['seconds']:.2f}" for t, x in vp["tables"].items())
                   + f" s; of which the checks of quotes and cues against the text slices {sliced:.2f} s")
    out += _render_spark(result)
    out.append(f"Parquet: {_fmt_mb(result['parquet_bytes'])} MB; peak memory (largest process): {_fmt_mb(result['peak_rss_bytes'])} MB")
    return "\n".join(out)


def _render_spark(result: dict) -> list[str]:
    s = result["steps"]
    if "spark" not in s:
        return []
    sp, rows = s["spark"], s["spark"]["rows"]
    return [f"Spark {sp['version']} ({sp['master']}), start-up {sp['startup_seconds']:.1f} s and a first read "
            f"{sp['warmup_seconds']:.1f} s excluded; {rows:,} rows in all tables:",
            f"  Spark read of every table (all columns): {sp['read_seconds']:8.2f} s, {sp['read_seconds'] / rows * 1e6:6.2f} us per row",
            f"  validate on Spark (compiled scans):      {sp['seconds']:8.2f} s, {sp['seconds'] / rows * 1e6:6.2f} us per row, "
            f"{result['ratios']['spark']:.2f}x the Spark read"] + _render_spark_phases(sp)


def _render_spark_phases(sp: dict) -> list[str]:
    """Where the validation on Spark spent its time (results written before the phases were measured have none)."""
    if "phases" not in sp:
        return []
    ph = sp["phases"]
    top = sorted(ph["scan_seconds"].items(), key=lambda kv: -kv[1])[:3]
    return [f"    of which: reading {ph['read_seconds']:.2f} s, look-ups {ph['lookups_seconds']:.2f} s, "
            f"scans {ph['scans_seconds']:.2f} s ({', '.join(f'{n} {x:.2f}' for n, x in top)}, ...), "
            f"Great Expectations {ph['gx_seconds']:.2f} s"]


def render_scaling(small: dict, big: dict) -> str:
    factor = big["claims"] / small["claims"]
    lines = [f"scaling {small['claims']:,} -> {big['claims']:,} claims ({factor:.0f}x the data; target <= {SCALING_TARGET:.0f}x "
             f"for 10x):"]
    for op in ("build", "validate", "release", "load", "datasets", "duckdb", "spark"):
        if op not in small["steps"] or op not in big["steps"]:
            continue
        a, b = small["steps"][op]["seconds"], big["steps"][op]["seconds"]
        lines.append(f"  {op:<10} {a:8.2f} s -> {b:8.2f} s: {b / a:5.1f}x")
    return "\n".join(lines)


def _machine() -> str:
    load = os.getloadavg()
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", default="100000", help="claims, or sizes separated by commas (default 100000)")
    parser.add_argument("--work", type=Path, default=None, help="where corpora and builds go (default: a temporary folder)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps", default=None,
                        help="only these steps, separated by commas (e.g. build,validate,read_table); the report says which")
    parser.add_argument("--spark", action=argparse.BooleanOptionalAction, default=None,
                        help="also measure the validation on Spark (default: when pyspark and Java are there)")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here (default: WORK/bench.json)")
    parser.add_argument("--json", action="store_true",
                        help="print the results as one JSON document on stdout instead of the table (as the other verbs' --json)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines on stderr, no table; --json still prints")
    parser.add_argument("--scaling", nargs=2, type=Path, metavar=("SMALL_JSON", "BIG_JSON"),
                        help="only compare two earlier result files")
    parser.add_argument("--render", type=Path, default=None, metavar="JSON", help="only print the tables of an earlier result file")
    parser.add_argument("--step", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        name, params = args.step
        result = STEPS[name](json.loads(params))
        result["peak_rss"] = _peak()
        print(json.dumps(result))
        return 0
    if args.render:
        for r in json.loads(args.render.read_text())["results"]:
            print(render(r))
            print()
        return 0
    if args.scaling:
        a, b = sorted((json.loads(p.read_text())["results"][-1] for p in args.scaling), key=lambda r: r["claims"])
        if args.json:
            print(json.dumps({"scaling": {op: b["steps"][op]["seconds"] / a["steps"][op]["seconds"]
                                          for op in ("build", "validate", "release", "load", "datasets", "duckdb")},
                              "claims": [a["claims"], b["claims"]]}, indent=2))
        else:
            print(render_scaling(a, b))
        return 0
    sizes = [int(x.replace("_", "")) for x in args.claims.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="claimbank-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    def say(message):
        if not args.quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def show(text=""):
        if not (args.json or args.quiet):
            print(text, flush=True)

    machine = _machine()
    spark = args.spark
    if spark is None:
        import importlib.util

        spark = importlib.util.find_spec("pyspark") is not None and bool(shutil.which("java") or os.environ.get("JAVA_HOME"))
    results = []
    for n in sizes:
        r = bench_size(n, work, args.seed, say, spark=spark, steps=args.steps.split(",") if args.steps else None)
        r["machine"] = machine
        results.append(r)
        show(render(r))
        show()
    if len(results) > 1 and not args.steps:
        show(render_scaling(results[0], results[-1]))
    target = args.out or work / "bench.json"
    document = json.dumps({"command": " ".join(["scripts/bench"] + (argv if argv is not None else sys.argv[1:])),
                           "results": results}, indent=2) + "\n"
    target.write_text(document, encoding="utf-8")
    if args.json:
        sys.stdout.write(document)
    show(f"results: {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
