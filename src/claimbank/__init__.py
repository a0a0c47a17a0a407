"""ClaimBank: claims, speakers, stances, sourcing chains and verdicts, as Parquet tables."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("claimbank")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

from .load import load, tables  # noqa: E402

__all__ = ["__version__", "load", "tables"]
