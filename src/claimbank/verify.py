"""``claimbank verify DIR``: a release folder against its SHA256SUMS and its card.

Every file listed in SHA256SUMS must exist with that checksum, every file in the folder must
be listed (SHA256SUMS itself aside), and the card's split sizes must equal the rows of the
Parquet files. Every problem is collected, each naming its file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import yaml

from .card import card_header

SUMS = "SHA256SUMS"
_LINE = re.compile(r"^([0-9a-f]{64})  (\S.*)$")


@dataclass(frozen=True)
class Problem:
    slug: str
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message} [{self.slug}]"


def sha256sums(folder: Path, files: list[str]) -> str:
    """The SHA256SUMS text for ``files`` (paths relative to ``folder``), in sorted order."""
    from .build import sha256_file

    return "".join(f"{sha256_file(Path(folder) / f)}  {f}\n" for f in sorted(files))


def read_sums(path: Path) -> tuple[dict[str, str], list[tuple[int, str]]]:
    """A SHA256SUMS file: path -> SHA-256, and the (line number, line) of every malformed line."""
    listed: dict[str, str] = {}
    malformed = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        m = _LINE.match(line)
        if m:
            listed[m.group(2)] = m.group(1)
        else:
            malformed.append((n, line))
    return listed, malformed


def release_files(folder: Path) -> list[str]:
    """Every file under ``folder`` except SHA256SUMS, relative, sorted."""
    folder = Path(folder)
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if p.is_file() and p != folder / SUMS)


def verify_folder(folder: Path) -> list[Problem]:
    """Every problem of a release folder; an empty list means it verifies."""
    from .build import sha256_file

    folder = Path(folder)
    problems: list[Problem] = []
    sums_path = folder / SUMS
    if not sums_path.is_file():
        return [Problem("sums-missing", SUMS, f"{folder}/{SUMS} is missing; a release folder lists every file "
                                              "with its SHA-256 there. Fix: re-cut the release with `claimbank release`")]
    listed, malformed = read_sums(sums_path)
    for n, line in malformed:
        problems.append(Problem("sums-malformed", SUMS, f"line {n} is not '<sha256>  <path>': {line!r}"))
    present = set(release_files(folder))
    for rel, digest in listed.items():
        path = folder / rel
        if rel not in present:
            problems.append(Problem("file-missing", rel, f"listed in {SUMS} but missing from the folder"))
        elif sha256_file(path) != digest:
            problems.append(Problem("checksum-mismatch", rel, f"SHA-256 differs from {SUMS}: the file was modified "
                                                             "after the release was cut"))
    for rel in sorted(present - set(listed)):
        problems.append(Problem("file-extra", rel, f"not listed in {SUMS}: a release folder holds only the files "
                                                  "it was cut with. Fix: remove the file"))
    problems += _check_card(folder)
    return problems


def _check_card(folder: Path) -> list[Problem]:
    card = folder / "README.md"
    if not card.is_file():
        return [Problem("card-missing", "README.md", "the dataset card is missing")]
    try:
        header = card_header(folder)
    except yaml.YAMLError as exc:
        return [Problem("card-malformed", "README.md", f"the YAML header does not parse: {exc}")]
    if header is None or "dataset_info" not in header:
        return [Problem("card-malformed", "README.md", "no YAML header with dataset_info")]
    problems = []
    for info in header["dataset_info"]:
        name = info["config_name"]
        files = sorted((folder / "data" / name).glob("*.parquet"))
        if not files:
            problems.append(Problem("split-files-missing", f"data/{name}/", f"config {name!r} of the card has no Parquet file"))
            continue
        rows = 0
        for f in files:
            try:
                rows += pq.ParquetFile(f).metadata.num_rows
            except Exception as exc:  # a damaged file is reported, not raised
                problems.append(Problem("parquet-unreadable", f.relative_to(folder).as_posix(), f"cannot be read as Parquet: {exc}"))
        for split in info.get("splits", []):
            if split["num_examples"] != rows:
                problems.append(Problem("split-size-mismatch", "README.md",
                                        f"config {name!r} split {split['name']!r} says num_examples {split['num_examples']}, "
                                        f"the Parquet files of data/{name}/ hold {rows} rows"))
    return problems


def report_json(folder: Path, problems: list[Problem]) -> str:
    return json.dumps({"folder": str(folder), "valid": not problems,
                       "problems": [p.__dict__ for p in problems]}, indent=2) + "\n"
