"""The package's layers are a contract: base, curation, tables, checks, release, views, CLI, each module
importing only the layers below its own, with no import cycle (import-linter, configured in
pyproject.toml); imports sit at the top of modules except where an extra is optional."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "src" / "claimbank"
LINT = Path(sys.executable).parent / "lint-imports"

# Imports made inside a function, and why. Anything else is imported at the top of its module.
OPTIONAL = {"great_expectations", "datasets", "huggingface_hub", "pyspark", "duckdb"}  # the extras
INSIDE = {
    "bench": "*",  # each step runs in a fresh process and imports what it measures
    "spark": {"pyarrow.parquet"},  # spark.read_tables: to read through claimbank.folders
}


def lint(root: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--config", str(REPO / "pyproject.toml"), "--no-cache"], cwd=cwd,
                          env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True)


def test_the_layers_and_acyclic_contracts_are_kept():
    proc = lint(REPO / "src", REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Layers: base, curation, tables, checks, release, views, CLI KEPT" in proc.stdout
    assert "No import cycles between the package's modules KEPT" in proc.stdout
    assert "Contracts: 2 kept, 0 broken." in proc.stdout


def copy_with(tmp_path: Path, module: str, line: str) -> Path:
    root = tmp_path / "src"
    shutil.copytree(PACKAGE, root / "claimbank", ignore=shutil.ignore_patterns("__pycache__", "_schema", "_releases"))
    path = root / "claimbank" / f"{module}.py"
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("from __future__ import annotations\n")
    path.write_text(head + sep + line + "\n" + rest, encoding="utf-8")
    return root


def test_a_module_importing_a_layer_above_its_own_breaks_the_contract(tmp_path):
    """The compiled tables importing the validation (checks, a layer above): no cycle, and still refused."""
    proc = lint(copy_with(tmp_path, "compiled", "from . import validate  # noqa: F401"), tmp_path)
    assert proc.returncode == 1, proc.stdout
    assert "Layers: base, curation, tables, checks, release, views, CLI BROKEN" in proc.stdout
    assert "No import cycles between the package's modules KEPT" in proc.stdout
    assert "claimbank.compiled -> claimbank.validate" in proc.stdout


def test_an_import_cycle_within_a_layer_breaks_the_contract(tmp_path):
    """The reader importing the schema, which does not import it back today; then the schema importing the reader."""
    root = copy_with(tmp_path, "schema", "from . import folders  # noqa: F401")
    path = root / "claimbank" / "folders.py"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("from .files import", "from .schema import load_schema  # noqa: F401\nfrom .files import", 1),
                    encoding="utf-8")
    proc = lint(root, tmp_path)
    assert proc.returncode == 1, proc.stdout
    assert "No import cycles between the package's modules BROKEN" in proc.stdout


def inside_imports(path: Path) -> set[str]:
    """The modules a file imports inside a function (absolute names)."""
    out = set()
    for fn in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Import):
                out |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level and node.module is None:
                out |= {f"claimbank.{a.name}" for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                out.add(f"claimbank.{node.module}" if node.level else node.module)
    return out


def test_imports_are_at_the_top_of_modules_except_optional_extras():
    found = {}
    for path in sorted(PACKAGE.glob("*.py")):
        allowed = INSIDE.get(path.stem, set())
        if allowed == "*":
            continue
        if path.stem == "cli":  # each verb imports its modules when it runs (a verb's module may need an extra)
            allowed = {f"claimbank.{p.stem}" for p in PACKAGE.glob("*.py")}
        extra = {m for m in inside_imports(path) if m.split(".")[0] not in OPTIONAL and m not in allowed}
        if extra:
            found[path.stem] = sorted(extra)
    assert found == {}


def test_import_claimbank_and_help_import_no_heavy_dependency():
    heavy = ("pandas", "pyarrow", "yaml", "great_expectations", "duckdb", "datasets", "pyspark")
    proc = subprocess.run([sys.executable, "-c", "import sys, claimbank; print(claimbank.__version__); "
                           f"print(sorted(m for m in {heavy!r} if m in sys.modules))"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1] == "[]"
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "claimbank", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "usage: claimbank" in proc.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}
    assert {m.split(".")[0] for m in imported} & set(heavy) == set()
    assert {"claimbank.cli", "claimbank.extras", "claimbank.paths"} <= imported
