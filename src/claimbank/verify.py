"""``claimbank verify DIR``: a release folder against every hash it states, and against the repository's record.

A release states the SHA-256 of its files in three places, and each is checked against the
files themselves:

- ``SHA256SUMS``: every file listed must exist with that checksum, and every file of the
  folder must be listed (SHA256SUMS itself aside);
- ``croissant.json``: every ``cr:FileObject`` names a Parquet file of the folder with its
  SHA-256 and size, and every Parquet file has one;
- ``release.json``: the version is the folder's name, the row counts are those of the Parquet
  files, and the SHA-256 of each document's text input is the ``sha256`` of its row in the
  documents table, which is the SHA-256 of that row's ``text``.

Every Parquet file's footer is opened, and the card's split sizes must equal the rows of the
Parquet files. Links are refused (a release folder holds its files, not pointers to other
ones), and so is anything that is not a file or a folder. Last, the SHA-256 of SHA256SUMS must
be the one the repository recorded for that version when the release was cut
(``releases/index.json``, outside every release folder): a release folder rewritten
consistently, hashes and all, is caught there. Every problem is collected, each naming its
file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path

import pyarrow.parquet as pq
import yaml

from .files import file_kind, sha256_file
from .folders import CARD, INDEX, SUMS, card_header, read_index, read_sums, release_files, sums_digest
from .paths import releases_dir
from .problems import Problem

_HEX = re.compile(r"^[0-9a-f]{64}$")


def _not_files(folder: Path) -> list[tuple[str, str]]:
    """(path, what it is) of every link, FIFO, device or socket under ``folder``, without following links."""
    found = []
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            p = Path(root) / name
            mode = os.lstat(p).st_mode
            if stat.S_ISLNK(mode):
                found.append((p.relative_to(folder).as_posix(), f"a link (to {os.readlink(p)})"))
            elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                found.append((p.relative_to(folder).as_posix(), file_kind(mode)))
    return sorted(found)


def _recorded(folder: Path) -> tuple[str | None, str]:
    """(the recorded SHA-256 of the SHA256SUMS of release ``folder``, or None; where it was looked up).

    The index beside the folder comes first (``releases/index.json`` for ``releases/1.0.0``),
    then the repository's (so that a copy of a release elsewhere is checked against it too).
    """
    version = folder.name
    places = [folder.parent]
    try:
        repo = releases_dir()
        if repo.resolve() != folder.parent.resolve():
            places.append(repo)
    except OSError:  # pragma: no cover
        pass
    for place in places:
        try:
            records = read_index(place)
        except (OSError, ValueError, AttributeError) as exc:
            return None, f"{place / INDEX} cannot be read ({exc})"
        if version in records:
            return records[version], (place / INDEX).as_posix()
    return None, " or ".join(dict.fromkeys((p / INDEX).as_posix() for p in places))


def verify_folder(folder: Path, *, index: bool = True) -> list[Problem]:
    """Every problem of a release folder; an empty list means it verifies.

    ``index``: compare SHA256SUMS with the digest the repository recorded for this version (off
    only while the release is being cut, before it is recorded).
    """
    folder = Path(folder)
    if folder.is_symlink():
        return [Problem("link", ".", message=f"{folder} is a link (to {os.readlink(folder)}); a release is a folder of its own",
                        fix="verify the folder itself")]
    problems: list[Problem] = []
    refused = _not_files(folder)
    for rel, what in refused:
        problems.append(Problem("link" if what.startswith("a link") else "not-a-file", rel,
                                message=f"is {what}; a release folder holds only its own files and folders",
                                fix="replace it with the file it stands for"))
    refused_paths = {rel for rel, _ in refused}
    sums_path = folder / SUMS
    if SUMS in refused_paths:
        return problems
    if not sums_path.is_file() and (folder / "build.json").is_file():
        return problems + [Problem("not-a-release", ".", message=f"{folder} is a build (it has build.json), not a release: verify "
                                                                 "checks what a release states (SHA256SUMS, croissant.json, "
                                                                 "release.json), which a build does not have",
                                   fix=f"check a build with `claimbank validate {folder}`, compare it with a release "
                                       f"with `claimbank diff releases/VERSION {folder}`, or cut a "
                                       f"release from it with `claimbank release VERSION --build {folder}`")]
    if not sums_path.is_file():
        return problems + [Problem("sums-missing", SUMS, message=f"{folder}/{SUMS} is missing; a release folder lists every file "
                                                                 "with its SHA-256 there",
                                   fix="re-cut the release with `claimbank release`")]
    digests: dict[str, str] = {}

    def digest(rel: str) -> str:
        if rel not in digests:
            digests[rel] = sha256_file(folder / rel)
        return digests[rel]

    listed, malformed = read_sums(sums_path)
    for n, line in malformed:
        problems.append(Problem("sums-malformed", SUMS, message=f"line {n} is not '<sha256>  <path>': {line!r}"))
    present = set(release_files(folder))
    for rel, stated in listed.items():
        if rel in refused_paths:
            continue
        if rel not in present:
            problems.append(Problem("file-missing", rel, message=f"listed in {SUMS} but missing from the folder"))
        elif digest(rel) != stated:
            problems.append(Problem("checksum-mismatch", rel, message=f"SHA-256 differs from {SUMS}: the file was modified "
                                                             "after the release was cut"))
    for rel in sorted(present - set(listed)):
        problems.append(Problem("file-extra", rel, message=f"not listed in {SUMS}: a release folder holds only the files "
                                                           "it was cut with", fix="remove the file"))
    parquet = sorted(rel for rel in present if rel.startswith("data/") and rel.endswith(".parquet"))
    problems += _check_croissant(folder, parquet, digest, present)
    rows, unreadable = _open_parquet(folder, parquet)
    problems += unreadable
    problems += _check_record(folder, rows, [rel for rel in parquet if rel.startswith("data/documents/")])
    problems += _check_card(folder, rows, unreadable, parquet)
    if index:
        problems += _check_index(folder)
    return problems


def _open_parquet(folder: Path, parquet: list[str]) -> tuple[dict[str, int], list[Problem]]:
    """Rows per table (``data/<table>/``) from every Parquet footer, and a problem per file that does not open."""
    rows: dict[str, int] = {}
    problems = []
    for rel in parquet:
        table = rel.split("/")[1]
        try:
            n = pq.ParquetFile(folder / rel).metadata.num_rows
        except Exception as exc:  # a damaged file is reported, not raised
            problems.append(Problem("parquet-unreadable", rel, message=f"cannot be read as Parquet: {exc}"))
            continue
        rows[table] = rows.get(table, 0) + n
    return rows, problems


def _json(folder: Path, name: str) -> tuple[dict | None, Problem | None]:
    if (folder / name).is_symlink():
        return None, None  # refused as a link
    try:
        value = json.loads((folder / name).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, Problem(f"{name.split('.')[0]}-missing", name, message=f"{name} is missing")
    except (OSError, ValueError) as exc:
        return None, Problem(f"{name.split('.')[0]}-malformed", name, message=f"{name} does not parse: {exc}")
    if not isinstance(value, dict):
        return None, Problem(f"{name.split('.')[0]}-malformed", name, message=f"{name} is not a JSON object")
    return value, None


def _check_croissant(folder: Path, parquet: list[str], digest, present: set[str] | None = None) -> list[Problem]:
    """Every Parquet file has a cr:FileObject in croissant.json, and every file object's SHA-256 and size are its file's."""
    meta, problem = _json(folder, "croissant.json")
    if meta is None:
        return [problem] if problem else []
    files = set(parquet) if present is None else present
    problems = []
    described = set()
    for d in meta.get("distribution", []):
        if not isinstance(d, dict) or d.get("@type") != "cr:FileObject":
            continue
        rel = d.get("contentUrl")
        if rel not in files:
            problems.append(Problem("croissant-mismatch", "croissant.json",
                                    message=f"the file object {rel!r} names no {'Parquet ' if rel in ('', None) or str(rel).endswith('.parquet') else ''}file of the folder"))
            continue
        described.add(rel)
        if d.get("sha256") != digest(rel):
            problems.append(Problem("croissant-mismatch", rel, message=f"SHA-256 differs from the one croissant.json states "
                                                              f"({d.get('sha256')}): the file or croissant.json was modified "
                                                              "after the release was cut"))
        size = f"{(folder / rel).stat().st_size} B"
        if d.get("contentSize") != size:
            problems.append(Problem("croissant-mismatch", rel, message=f"size {size} differs from the contentSize croissant.json "
                                                              f"states ({d.get('contentSize')})"))
    for rel in parquet:
        if rel not in described:
            problems.append(Problem("croissant-mismatch", rel, message="croissant.json has no file object for this Parquet file"))
    return problems


def _check_record(folder: Path, rows: dict[str, int], documents: list[str]) -> list[Problem]:
    """release.json: its version is the folder's, its row counts the Parquet files', its text hashes the texts'."""
    record, problem = _json(folder, "release.json")
    if record is None:
        return [problem] if problem else []
    problems = []
    if record.get("version") != folder.name:
        problems.append(Problem("release-mismatch", "release.json",
                                message=f"version {record.get('version')!r} is not the folder's name {folder.name!r}"))
    for name, entry in (record.get("tables") or {}).items():
        stated = entry.get("rows") if isinstance(entry, dict) else None
        if name in rows and stated != rows[name]:
            problems.append(Problem("release-mismatch", "release.json",
                                    message=f"table {name!r} has {stated} rows in release.json, the Parquet files of data/{name}/ "
                                    f"hold {rows[name]}"))
    inputs = record.get("inputs") or {}
    texts: dict[str, set[str]] = {}  # doc_id -> the SHA-256 of the inputs of its folder other than YAML
    for path, digest in inputs.items():
        parts = path.split("/")
        if len(parts) == 4 and parts[:2] == ["data", "documents"] and not parts[3].endswith(".yaml"):
            texts.setdefault(parts[2], set()).add(digest)
    for rel in documents:
        try:
            table = pq.read_table(folder / rel, columns=["doc_id", "sha256", "text"])
        except Exception:  # reported by the footer check, or a file without those columns
            continue
        for doc_id, stated, text in zip(*(table.column(c).to_pylist() for c in ("doc_id", "sha256", "text"))):
            if text is None:
                continue
            actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
            if stated != actual:
                problems.append(Problem("text-mismatch", rel, message=f"the text of {doc_id} has SHA-256 {actual}, its sha256 "
                                                              f"column says {stated}"))
            elif texts and actual not in texts.get(doc_id, set()):
                problems.append(Problem("text-mismatch", "release.json",
                                        message=f"no text input of data/documents/{doc_id}/ has the SHA-256 {actual} of the text "
                                        f"of {doc_id} in {rel}"))
    return problems


def _check_index(folder: Path) -> list[Problem]:
    """SHA256SUMS against the digest the repository recorded for this version."""
    recorded, where = _recorded(folder)
    actual = sums_digest(folder)
    if recorded is None:
        return [Problem("unrecorded", SUMS, message=f"release {folder.name} is not recorded in {where}: the repository records "
                                                    f"the SHA-256 of each release's {SUMS} when `claimbank release` cuts it",
                        fix="verify a release cut by `claimbank release`, against the repository that cut it")]
    if not _HEX.match(str(recorded)) or recorded != actual:
        return [Problem("index-mismatch", SUMS, message=f"SHA-256 {actual} differs from {recorded}, recorded for release "
                                                        f"{folder.name} in {where}: the release folder was rewritten after it was cut",
                        fix=f"restore it (git checkout -- {folder.parent.name}/{folder.name})")]
    return []


def _check_card(folder: Path, rows: dict[str, int], unreadable: list[Problem], parquet: list[str]) -> list[Problem]:
    card = folder / CARD
    if card.is_symlink():
        return []  # refused as a link
    if not card.is_file():
        return [Problem("card-missing", "README.md", message="the dataset card is missing")]
    try:
        header = card_header(folder)
    except yaml.YAMLError as exc:
        return [Problem("card-malformed", "README.md", message=f"the YAML header does not parse: {exc}")]
    if not isinstance(header, dict) or "dataset_info" not in header:
        return [Problem("card-malformed", "README.md", message="no YAML header with dataset_info")]
    broken = {p.file.split("/")[1] for p in unreadable}
    problems = []
    for info in header["dataset_info"]:
        name = info["config_name"]
        if not any(rel.startswith(f"data/{name}/") for rel in parquet):
            problems.append(Problem("split-files-missing", f"data/{name}/", message=f"config {name!r} of the card has no Parquet file"))
            continue
        if name in broken:
            continue
        n = rows.get(name, 0)
        for split in info.get("splits", []):
            if split["num_examples"] != n:
                problems.append(Problem("split-size-mismatch", "README.md",
                                        message=f"config {name!r} split {split['name']!r} says num_examples {split['num_examples']}, "
                                        f"the Parquet files of data/{name}/ hold {n} rows"))
    return problems


def report_json(folder: Path, problems: list[Problem]) -> str:
    return json.dumps({"folder": str(folder), "valid": not problems,
                       "problems": [p.as_dict() for p in problems]}, indent=2) + "\n"
