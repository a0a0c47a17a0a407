"""Where things are (the repository, when running from a checkout, or the installed package) and the version."""

from __future__ import annotations

import os
import re
from importlib.metadata import PackageNotFoundError, version as installed_version
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = None

try:
    VERSION = installed_version("claimbank")
except PackageNotFoundError:  # running from a source tree that is not installed
    VERSION = "0+unknown"

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_OUT_NAME = "compiled"


def repo_root() -> Path | None:
    """The checkout this package runs from, or None when installed from a wheel.

    ``CLAIMBANK_ROOT`` overrides the lookup (used to work on a copy of the repository).
    """
    env = os.environ.get("CLAIMBANK_ROOT")
    if env:
        return Path(env).resolve()
    candidate = PACKAGE_DIR.parent.parent  # src/claimbank -> repo
    if (candidate / "pyproject.toml").is_file() and (candidate / "schema" / "index.json").is_file():
        return candidate
    return None


def schema_dir() -> Path:
    root = repo_root()
    if root is not None and (root / "schema" / "index.json").is_file():
        return root / "schema"
    return PACKAGE_DIR / "_schema"


def data_dir() -> Path:
    root = repo_root()
    if root is None:
        raise FileNotFoundError("no ClaimBank checkout found: data/ exists only in the repository; set CLAIMBANK_ROOT to a checkout")
    return root / "data"


def default_out_dir() -> Path:
    root = repo_root()
    return (root if root is not None else Path.cwd()) / DEFAULT_OUT_NAME


def project_version() -> str:
    """The one version of the project: ``[project] version`` in pyproject.toml.

    In a checkout it is read from the file, so a version bump counts before reinstalling;
    an installed package reports the version it was built with (``VERSION``).
    """
    root = repo_root()
    if root is not None and (root / "pyproject.toml").is_file():
        text = (root / "pyproject.toml").read_text(encoding="utf-8")
        if tomllib is not None:
            version = tomllib.loads(text).get("project", {}).get("version")
        else:
            m = re.search(r'(?m)^version\s*=\s*"([^"]+)"', text)
            version = m.group(1) if m else None
        if version:
            return version
    return VERSION


def releases_dir() -> Path:
    """The repository's releases/ folder (in an installed package: the bundled releases)."""
    root = repo_root()
    return root / "releases" if root is not None else PACKAGE_DIR / "_releases"
