"""Where things are: the repository (when running from a checkout) or the installed package."""

from __future__ import annotations

import os
from pathlib import Path

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
