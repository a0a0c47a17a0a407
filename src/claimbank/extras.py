"""The install profiles: what a plain install holds, which extra brings what, and the error when one is missing.

A plain install (``pip install claimbank``) loads every table with ``claimbank.load``: pandas,
pyarrow and pyyaml. The rest comes with an extra (``[project.optional-dependencies]`` in
pyproject.toml):

- ``build``: building, validating and releasing (great-expectations, duckdb);
- ``hf``: the Hugging Face helpers (datasets, huggingface_hub): publishing, the benchmark;
- ``spark``: validation on Apache Spark (pyspark);
- ``all``: every extra.

A module that needs an extra imports it where it is used; :func:`require` says beforehand which
extra to install.
"""

from __future__ import annotations

import importlib.util
import warnings

# extra -> {module imported: the distribution that brings it}
EXTRAS: dict[str, dict[str, str]] = {
    "build": {"great_expectations": "great-expectations", "duckdb": "duckdb"},
    "hf": {"datasets": "datasets", "huggingface_hub": "huggingface_hub"},
    "spark": {"pyspark": "pyspark"},
}

# Warnings an installed extra prints on import though nothing is wrong. PySpark warns that it does not
# fully support pandas 3 yet whenever it is imported with pandas 3, and Great Expectations imports
# PySpark whenever it is installed: with the spark extra, every command that validates would print it.
# The Spark validation runs its tests with the pandas a plain install brings.
QUIET = [(FutureWarning, r"PySpark does not yet fully support pandas")]


class MissingExtra(ImportError):
    """A command or function needs an extra that is not installed."""


def missing(extra: str) -> list[str]:
    """The distributions of ``extra`` that are not installed, in the order of :data:`EXTRAS`."""
    return [dist for module, dist in EXTRAS[extra].items() if importlib.util.find_spec(module) is None]


def require(extra: str, what: str) -> None:
    """Raise :class:`MissingExtra` when a package of ``extra`` is missing; ``what`` names what needs it."""
    absent = missing(extra)
    if absent:
        names = " and ".join(absent) if len(absent) < 3 else ", ".join(absent[:-1]) + " and " + absent[-1]
        raise MissingExtra(f"{what} needs the {extra} extra: {names} {'is' if len(absent) == 1 else 'are'} not installed. "
                           f"Fix: pip install 'claimbank[{extra}]'")


def quiet_warnings() -> None:
    """Hide the warnings of :data:`QUIET` for the rest of the process (the command line calls this)."""
    for category, message in QUIET:
        warnings.filterwarnings("ignore", message=message, category=category)
