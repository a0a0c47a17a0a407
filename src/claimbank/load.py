"""``claimbank.load``: a table as a pandas DataFrame.

Dtypes (documented in docs/SCHEMA.md and asserted by the tests):

- ids and text: pandas string dtype (missing values are ``NA``);
- label columns: ``pandas.Categorical`` whose categories are the label set in schema order,
  so ``.cat.codes`` equals the class ids of the Hugging Face features;
- integers: nullable ``Int32``; booleans: ``boolean``;
- dates: ``datetime64[s]`` (missing values are ``NaT``);
- lists (``topics``, ``aliases``): NumPy arrays of strings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .folders import CARD, MANIFEST, existing_releases, parse_version, read_table
from .paths import PACKAGE_DIR, default_out_dir, repo_root
from .schema import load_schema


def tables() -> list[str]:
    """The names of the tables, in schema order."""
    return load_schema().table_names


def _releases_dirs() -> list[Path]:
    dirs = []
    root = repo_root()
    if root is not None:
        dirs.append(root / "releases")
    dirs.append(PACKAGE_DIR / "_releases")
    return [d for d in dirs if d.is_dir()]


def resolve(version: str | None = None) -> Path:
    """The folder to load from: the current build, or the release ``version``."""
    released = {v for d in _releases_dirs() for v in existing_releases(d) if (d / v / CARD).is_file()}
    if version is None:
        build = default_out_dir()
        if (build / MANIFEST).is_file():
            return build
        if not released:
            raise FileNotFoundError(
                f"no build at {build} and no release found; run `claimbank build` first, or pass version=..."
            )
        version = max(released, key=parse_version)
    for d in _releases_dirs():
        if (d / version / CARD).is_file():
            return d / version
    known = sorted(released, key=parse_version)
    raise FileNotFoundError(f"release {version!r} not found; known releases: {', '.join(known) or 'none'}")


def read_arrow(table: str, folder: Path) -> pa.Table:
    schema = load_schema()
    if table not in schema.tables:
        raise KeyError(f"unknown table {table!r}; expected one of {', '.join(schema.table_names)}")
    return read_table(folder, table)


def to_pandas(table_name: str, t: pa.Table) -> pd.DataFrame:
    """Arrow to pandas with ClaimBank's documented dtypes."""
    schema = load_schema()[table_name]
    present = set(t.column_names)  # an older release lacks the columns added since
    labels = {f.name: f.label_set.names for f in schema.fields if f.label_set is not None and f.name in present}
    for name in labels:
        i = t.schema.get_field_index(name)
        t = t.set_column(i, name, t.column(i).dictionary_encode())
    mapping = {pa.string(): pd.StringDtype(), pa.int32(): pd.Int32Dtype(), pa.bool_(): pd.BooleanDtype()}
    df = t.to_pandas(types_mapper=mapping.get, date_as_object=False)
    for name, names in labels.items():
        df[name] = df[name].cat.set_categories(names)
    for f in schema.fields:
        if f.type == "date" and f.name in present:
            df[f.name] = df[f.name].astype("datetime64[s]")
    return df


def load(table: str, version: str | None = None, *, path: str | Path | None = None) -> pd.DataFrame:
    """Load ``table`` as a DataFrame from the current build, a release ``version``, or a folder ``path``.

    ``df.attrs`` says what was loaded: ``source`` (``build``, ``release`` or ``folder``), ``version``,
    ``path`` and ``table``.
    """
    folder = Path(path) if path is not None else resolve(version)
    df = to_pandas(table, read_arrow(table, folder))
    df.attrs = {**describe_folder(folder), "table": table}  # what was loaded: source, version, path, table
    return df


def describe_folder(folder: Path) -> dict:
    """What a folder is: ``{"source": "release" | "build" | "folder", "version": ..., "path": ...}``.

    A release states its version in release.json; a build, the version of the package that built it
    in build.json.
    """
    folder = Path(folder).resolve()
    if (folder / "release.json").is_file():
        source, version = "release", json.loads((folder / "release.json").read_text(encoding="utf-8")).get("version")
    elif (folder / MANIFEST).is_file():
        source, version = "build", json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("claimbank_version")
    else:
        source, version = "folder", None
    return {"source": source, "version": version, "path": str(folder)}
