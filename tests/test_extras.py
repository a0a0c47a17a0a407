"""Installing the Spark extra makes no ordinary command print a Spark or pandas warning."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from conftest import curation_copy

CLAIMBANK = Path(sys.executable).parent / "claimbank"


def test_build_and_validate_print_no_warning_with_the_spark_extra_installed(tmp_path):
    assert importlib.util.find_spec("pyspark") is not None, "scripts/test installs every extra, spark included"
    data = curation_copy(tmp_path / "src")
    built = subprocess.run([str(CLAIMBANK), "build", "--data", str(data), "--out", str(tmp_path / "out")],
                           capture_output=True, text=True)
    assert (built.returncode, built.stderr) == (0, "")
    assert built.stdout.startswith(f"built {tmp_path / 'out'}: documents ")
    validated = subprocess.run([str(CLAIMBANK), "validate", str(tmp_path / "out"), "--report-dir", str(tmp_path / "report")],
                               capture_output=True, text=True)
    assert (validated.returncode, validated.stderr) == (0, "")
    assert f"{tmp_path / 'out'}: valid" in validated.stdout
