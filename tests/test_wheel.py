"""The wheel built from the repository, installed with no extras in a fresh virtual environment away
from the repository: the plain install (pandas, pyarrow, pyyaml) loads every table of the current
release it carries, the release verifies, `import claimbank` and `claimbank --help` import no heavy
dependency, and a verb that needs an extra says which one to install."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow  # a wheel installed in a fresh venv; left out of `scripts/test --fast`

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

from claimbank.folders import existing_releases, release_record
from conftest import REPO

HEAVY = ("pandas", "pyarrow", "great_expectations", "duckdb", "datasets", "huggingface_hub", "pyspark")

SCRIPT = """
import importlib.util, json, sys
import claimbank
light = sorted(m for m in HEAVY if m in sys.modules)
from claimbank.load import resolve
from claimbank.verify import verify_folder
from claimbank.folders import folder_tables
held = folder_tables(resolve())  # the bundled release's tables (a table added since is in the next release)
frames = {t: claimbank.load(t) for t in claimbank.tables() if t in held}
print(json.dumps({"file": claimbank.__file__, "version": claimbank.__version__, "from": str(resolve()),
                  "heavy_after_import": light, "rows": {t: len(df) for t, df in frames.items()},
                  "first": frames["claims"]["claim_id"].iloc[0], "labels": str(frames["verdicts"]["veracity"].dtype),
                  "verify": [str(p) for p in verify_folder(resolve())],
                  "installed": sorted(m for m in HEAVY if importlib.util.find_spec(m) is not None)}))
"""


def run(args: list, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True)


def test_wheel_without_extras_in_a_fresh_venv_loads_every_table(tmp_path):
    current = existing_releases(REPO / "releases")[-1]
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(wheels), str(REPO)],
                   check=True, capture_output=True, text=True)
    (wheel,) = wheels.glob("claimbank-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    sums = (REPO / "releases" / current / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    for line in sums:
        assert f"claimbank/_releases/{current}/{line.split('  ', 1)[1]}" in names
    assert "claimbank/_schema/index.json" in names
    assert "claimbank/_releases/index.json" in names  # the recorded digest the bundled release is verified against

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py, cli = venv / "bin" / "python", venv / "bin" / "claimbank"
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CLAIMBANK_ROOT", "PYTHONPATH", "VIRTUAL_ENV")}
    install = run([py, "-m", "pip", "install", "--quiet", wheel], away, env)  # no extras; the dependencies from the index
    assert install.returncode == 0, install.stderr

    script = away / "load_tables.py"
    script.write_text(f"HEAVY = {HEAVY!r}\n" + SCRIPT, encoding="utf-8")
    proc = run([py, script], away, env)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    site = run([py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], away, env).stdout.strip()
    assert out["file"].startswith(site)
    assert out["installed"] == ["pandas", "pyarrow"]  # a plain install: no extra came along
    assert out["heavy_after_import"] == []
    assert out["from"] == str(Path(site) / "claimbank" / "_releases" / current)
    record = release_record(REPO / "releases" / current)
    assert out["rows"] == {t: entry["rows"] for t, entry in record["tables"].items()}
    assert out["first"] == "d000-c01"
    assert out["labels"] == "category"
    assert out["verify"] == []

    # `claimbank --help` imports neither pandas nor pyarrow (-X importtime lists every module imported)
    helped = run([py, "-X", "importtime", "-m", "claimbank", "--help"], away, env)
    assert helped.returncode == 0 and "claimbank" in helped.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in helped.stderr.splitlines() if line.startswith("import time:")}
    assert not {m for m in imported if m.split(".")[0] in HEAVY}
    assert run([cli, "--version"], away, env).stdout == f"claimbank {out['version']}\n"

    # a verb that needs an extra says which one
    bundled = out["from"]
    validate = run([cli, "validate", bundled], away, env)
    assert (validate.returncode, validate.stdout) == (2, "")
    assert validate.stderr == ("error: claimbank validate needs the build extra: great-expectations and duckdb are not "
                               "installed. Fix: pip install 'claimbank[build]'\n")
    publish = run([cli, "publish", current, "--repo-id", "someone/claimbank"], away, env)
    assert (publish.returncode, publish.stderr) == (2, "error: claimbank publish needs the hf extra: datasets and "
                                                       "huggingface_hub are not installed. Fix: pip install 'claimbank[hf]'\n")
    # the verbs that need none work: verify the bundled release, explore it
    verified = run([cli, "verify", bundled], away, env)
    assert verified.returncode == 0, verified.stderr
    explored = run([cli, "explore", bundled, "--out", away / "explorer.html"], away, env)
    assert explored.returncode == 0, explored.stderr
    assert (away / "explorer.html").read_text(encoding="utf-8").startswith("<!doctype html>")
