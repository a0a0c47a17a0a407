"""ClaimBank: claims, speakers, stances, sourcing chains and verdicts, as Parquet tables.

``claimbank.load`` and ``claimbank.tables`` come from :mod:`claimbank.load`, imported on first
use: ``import claimbank`` (and so ``claimbank --help``) imports neither pandas nor pyarrow.
"""

from __future__ import annotations

import importlib
import sys
import types

from .paths import VERSION as __version__

__all__ = ["__version__", "load", "load_all", "load_flat_claims", "tables"]
# attribute -> the module that defines it
_LAZY = {"load": "load", "tables": "load", "load_all": "frames", "load_flat_claims": "frames"}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The package, whose ``load`` stays the function when the module of the same name is imported.

    Importing ``claimbank.load`` (the module) sets the package's attribute ``load`` to that module;
    the function ``claimbank.load(...)`` is what the attribute means, so that setting is skipped.
    """

    def __setattr__(self, name: str, value) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
