"""Build and release folders: their layout, and the one reader of them.

A build folder (``claimbank build``) and a release folder (``releases/<version>/``) share a
layout, and every module reads them through the functions here:

- ``data/<table>/*.parquet``: each table, in one or more shards read in name order
  (:func:`table_files`, :func:`read_footers`, :func:`read_table`, :func:`read_table_schema`,
  :func:`read_rows`, :func:`folder_tables`);
- ``README.md``: the dataset card, whose YAML header holds the configs and class labels
  (:func:`card_header`);
- ``build.json``: a build's manifest, every input and output with its SHA-256 (:func:`read_manifest`);
- ``release.json`` and ``SHA256SUMS``: a release's record and the SHA-256 of each of its files
  (:func:`release_record`, :func:`read_sums`, :func:`release_files`).

Beside the release folders, ``releases/index.json`` records the SHA-256 of each release's
``SHA256SUMS`` (:func:`read_index`); release versions are ``MAJOR.MINOR.PATCH``
(:func:`parse_version`, :func:`existing_releases`). The two checksum formats, SHA256SUMS and
the index, are written here too (:func:`render_sums`, :func:`render_index`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from .files import OutputError, sha256_file

CARD = "README.md"
MANIFEST = "build.json"
RELEASE_JSON = "release.json"
SUMS = "SHA256SUMS"
INDEX = "index.json"  # in the releases folder: version -> SHA-256 of that release's SHA256SUMS
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
_SUMS_LINE = re.compile(r"^([0-9a-f]{64})  (\S.*)$")
_HOW = ("pass a build folder (`claimbank build --out DIR`, default compiled/) "
        "or a release folder (releases/VERSION/)")


class VersionError(ValueError):
    """A release version that is not MAJOR.MINOR.PATCH."""


class FolderError(OutputError):
    """The folder given is not a build or release folder that can be read."""


# -- versions -----------------------------------------------------------------------------------

def parse_version(version: str) -> tuple[int, int, int]:
    m = SEMVER.match(version)
    if not m:
        raise VersionError(f"version {version!r} is not MAJOR.MINOR.PATCH (e.g. 1.0.0): releases use semantic versioning")
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def existing_releases(folder: Path) -> list[str]:
    """The release versions in ``folder`` (a releases/ folder), oldest first."""
    if not Path(folder).is_dir():
        return []
    found = [p.name for p in Path(folder).iterdir() if p.is_dir() and SEMVER.match(p.name)]
    return sorted(found, key=parse_version)


# -- the tables ---------------------------------------------------------------------------------

def table_files(folder: Path, table: str) -> list[Path]:
    """The Parquet files of ``table`` (``data/<table>/*.parquet``), in order; empty when there are none."""
    return sorted((Path(folder) / "data" / table).glob("*.parquet"))


@dataclass(frozen=True)
class TableFile:
    """One Parquet file of a table, as its footer states it."""

    path: Path
    arrow_schema: pa.Schema
    num_rows: int


def read_footers(folder: Path, table: str) -> list[TableFile]:
    """Each Parquet file of ``table``, in order, with the Arrow schema and the number of rows its footer states
    (no data page is read); empty when there are none.

    Raises pyarrow's errors (``ArrowInvalid``, ``OSError``) when a footer cannot be read.
    """
    out = []
    for f in table_files(folder, table):
        with pq.ParquetFile(f) as p:
            out.append(TableFile(f, p.schema_arrow, p.metadata.num_rows))
    return out


def folder_tables(folder: Path) -> list[str]:
    """The tables a folder holds: every ``data/<table>/`` with a Parquet file, by name."""
    data = Path(folder) / "data"
    return sorted(p.name for p in data.iterdir() if p.is_dir() and any(p.glob("*.parquet"))) if data.is_dir() else []


def read_table(folder: Path, table: str, columns: list[str] | None = None) -> pa.Table:
    """Every Parquet file of ``table`` in a build or release folder, in order, as one Arrow table.

    Raises FileNotFoundError when the folder has no Parquet file for the table; pyarrow's errors
    (``ArrowInvalid``, ``OSError``) when a file cannot be read.
    """
    files = table_files(folder, table)
    if not files:
        raise FileNotFoundError(f"{folder}/data/{table}/ holds no Parquet file")
    parts = [pq.read_table(f, columns=columns) for f in files]
    return pa.concat_tables(parts) if len(parts) > 1 else parts[0]


def read_table_schema(folder: Path, table: str) -> pa.Schema:
    """The Arrow schema of ``table``, from the footer of its first Parquet file (FileNotFoundError when none)."""
    files = table_files(folder, table)
    if not files:
        raise FileNotFoundError(f"{folder}/data/{table}/ holds no Parquet file")
    return pq.read_schema(files[0])


def read_rows(folder: str | Path, tables: tuple[str, ...] | list[str]) -> dict[str, list[dict]]:
    """Every row of ``tables`` in a build or release folder, as plain Python dicts.

    Raises :class:`FolderError` naming the folder, what is missing and how to get a folder that has it.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FolderError(f"{folder}: no such folder; {_HOW}")
    missing = [t for t in tables if not table_files(folder, t)]
    if missing:
        raise FolderError(
            f"{folder}: not a build or release folder: no Parquet file in "
            + ", ".join(f"data/{t}/" for t in missing)
            + f" (expected data/<table>/*.parquet for {', '.join(tables)}); {_HOW}"
        )
    out = {}
    for t in tables:
        try:
            out[t] = read_table(folder, t).to_pylist()
        except Exception as exc:  # a corrupt or foreign Parquet file
            raise FolderError(f"{folder}/data/{t}/: cannot read the Parquet files: {exc}; {_HOW}") from exc
    return out


# -- the metadata files -------------------------------------------------------------------------

def read_manifest(folder: Path) -> dict:
    """A build's ``build.json``."""
    return json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))


def release_record(folder: Path) -> dict:
    """A release's ``release.json``."""
    return json.loads((Path(folder) / RELEASE_JSON).read_text(encoding="utf-8"))


def card_header(folder: Path) -> dict | None:
    """The YAML metadata of a folder's README.md, or None when it has no header.

    Raises ``yaml.YAMLError`` when the header does not parse.
    """
    text = (Path(folder) / CARD).read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return None
    header = yaml.safe_load(text.split("---\n", 2)[1])
    return header if isinstance(header, dict) else None


# -- checksums: SHA256SUMS and releases/index.json ---------------------------------------------

def release_files(folder: Path) -> list[str]:
    """Every regular file under ``folder`` except SHA256SUMS, relative, sorted; links are not followed."""
    folder = Path(folder)
    out = []
    for root, dirs, files in os.walk(folder):
        for name in files:
            p = Path(root) / name
            if p != folder / SUMS and stat.S_ISREG(os.lstat(p).st_mode):
                out.append(p.relative_to(folder).as_posix())
    return sorted(out)


def render_sums(folder: Path, files: list[str]) -> str:
    """The SHA256SUMS text for ``files`` (paths relative to ``folder``), in sorted order."""
    return "".join(f"{sha256_file(Path(folder) / f)}  {f}\n" for f in sorted(files))


def read_sums(path: Path) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """A SHA256SUMS file: path -> SHA-256, and the (line number, line) of every malformed line."""
    listed: dict[str, str] = {}
    malformed = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        m = _SUMS_LINE.match(line)
        if m:
            listed[m.group(2)] = m.group(1)
        else:
            malformed.append((n, line))
    return listed, malformed


def sums_digest(folder: Path) -> str:
    """The SHA-256 of a release's SHA256SUMS: what ``releases/index.json`` records for it."""
    return hashlib.sha256((Path(folder) / SUMS).read_bytes()).hexdigest()


def read_index(releases: Path) -> dict[str, str]:
    """version -> SHA-256 of its SHA256SUMS, as ``releases/index.json`` records them (empty if absent)."""
    path = Path(releases) / INDEX
    if not path.is_file():
        return {}
    return dict(json.loads(path.read_text(encoding="utf-8")).get("releases", {}))


def render_index(records: dict[str, str]) -> str:
    """The text of ``releases/index.json`` for ``records`` (version -> SHA-256 of its SHA256SUMS)."""
    return json.dumps({
        "about": "The SHA-256 of each release's SHA256SUMS, recorded by `claimbank release` when the release was cut. "
                 "`claimbank verify` compares each release folder with it. Never edited by hand.",
        "releases": {v: records[v] for v in sorted(records, key=parse_version)},
    }, indent=2) + "\n"
