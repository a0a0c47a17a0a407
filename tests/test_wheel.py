"""The wheel built from the repository carries the current release: installed in a fresh
virtual environment, away from the repository, it loads the claims and the release verifies."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow  # a wheel installed in a fresh venv; left out of `scripts/test --fast`

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from claimbank.release import existing_releases
from conftest import REPO

SCRIPT = """
import json, claimbank
from claimbank.load import resolve
from claimbank.verify import verify_folder
df = claimbank.load("claims")
print(json.dumps({"file": claimbank.__file__, "version": claimbank.__version__, "rows": len(df),
                  "first": df["claim_id"].iloc[0], "from": str(resolve()),
                  "verify": [str(p) for p in verify_folder(resolve())]}))
"""


def test_wheel_installed_in_a_fresh_venv_loads_the_claims(tmp_path):
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
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)], check=True,
                   capture_output=True, text=True)
    # The dependencies (pandas, pyarrow, ...) come from the test environment's site-packages, listed
    # after the fresh environment's own: claimbank itself can only come from the wheel.
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    deps = sysconfig.get_paths()["purelib"]
    Path(site, "test-dependencies.pth").write_text(deps + "\n", encoding="utf-8")
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CLAIMBANK_ROOT", "PYTHONPATH")}
    script = away / "load_claims.py"
    script.write_text(SCRIPT, encoding="utf-8")
    proc = subprocess.run([str(py), str(script)], cwd=away, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["file"].startswith(site)
    assert out["from"] == str(Path(site) / "claimbank" / "_releases" / current)
    record = json.loads((REPO / "releases" / current / "release.json").read_text(encoding="utf-8"))
    assert out["rows"] == record["tables"]["claims"]["rows"]
    assert out["first"] == "d000-c01"
    assert out["verify"] == []
