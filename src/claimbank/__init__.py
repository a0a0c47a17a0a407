"""ClaimBank: claims, speakers, stances, sourcing chains and verdicts, as Parquet tables."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("claimbank")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from .frames import load_all, load_flat_claims  # noqa: E402
from .load import load, tables  # noqa: E402

__all__ = ["__version__", "load", "load_all", "load_flat_claims", "tables"]
