"""``claimbank release VERSION``: cut an immutable, checksummed release folder.

``releases/VERSION/`` is made from a fresh validated build of ``data/``:

- ``data/<table>/*.parquet`` — the tables, byte for byte as built;
- ``README.md`` — the dataset card (Hugging Face metadata, configs, class labels, split sizes);
- ``LICENSE`` — the licences the card's metadata links: annotations CC BY 4.0, texts their publishers';
- ``DATASHEET.md`` — the datasheet with the figures of this release;
- ``labels/<label set>.csv`` — every label set: class id, label, description;
- ``croissant.json`` — Croissant metadata: record sets, keys, foreign keys, label sets as
  enumerations, checksums, RAI fields, and the dataset's ``url``;
- ``release.json`` — version, date, previous release, bump, the inputs' SHA-256, the changes;
- ``SHA256SUMS`` — every file above with its SHA-256 (``claimbank verify`` checks it).

The version is the project's one version (``[project] version`` in pyproject.toml) and
follows semantic versioning against the previous release: a removed or renamed column, a
retyped column, a changed label set or primary key, removed rows or a removed table need a
major bump; added rows, columns or tables a minor one; corrected values a patch. A smaller
bump is refused with the changes that need more. The folder is staged beside its final place
and moved in when complete; a version that exists is never written again. The repository's
DATASHEET.md, CHANGELOG.md and CITATION.cff are regenerated afterwards; the files generated
from the schema (suites, docs/SCHEMA.md) must be current before.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = None

from . import generate
from .build import build
from .card import write_card
from .croissant import croissant, render as render_croissant, write_label_files
from .datasheet import render as render_datasheet
from .diff import BUMPS, Diff, diff_folders
from .files import sha256_file, write_text_atomic
from .folders import (CARD, INDEX, MANIFEST, RELEASE_JSON, SUMS, VersionError, existing_releases, folder_tables,
                      parse_version, read_index, read_manifest, read_table, release_files, render_index,
                      render_sums, sums_digest)
from .paths import project_version, releases_dir as default_releases_dir, repo_root
from .schema import Schema, load_schema
from .verify import verify_folder

class ReleaseError(Exception):
    """The release cannot be cut; nothing was written."""


def _version(version: str) -> tuple[int, int, int]:
    try:
        return parse_version(version)
    except VersionError as exc:
        raise ReleaseError(str(exc)) from None


def bump_between(old: str, new: str) -> str:
    """The kind of bump from ``old`` to ``new`` (``new`` greater)."""
    a, b = _version(old), _version(new)
    if b[0] != a[0]:
        return "major"
    if b[1] != a[1]:
        return "minor"
    return "patch"


def next_version(old: str, bump: str) -> str:
    major, minor, patch = _version(old)
    return {"major": f"{major + 1}.0.0", "minor": f"{major}.{minor + 1}.0"}.get(bump, f"{major}.{minor}.{patch + 1}")


def release_date(date: str | None = None) -> str:
    """``date`` (YYYY-MM-DD), else SOURCE_DATE_EPOCH, else today (UTC)."""
    if date is not None:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise ReleaseError(f"release date {date!r} is not YYYY-MM-DD") from None
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


URL_KEYS = ("Dataset", "Homepage")  # [project.urls] keys that name the dataset's page, in order of preference
_URL = re.compile(r"^(?:https?://[^/\s?#]+\.[^/\s?#]+(?:[/?#]\S*)?|file:///\S*)$")


def project_url() -> str | None:
    """The dataset's page as ``[project.urls]`` of pyproject.toml names it (``Dataset``, else ``Homepage``), or None."""
    root = repo_root()
    if root is None or not (root / "pyproject.toml").is_file():
        return None
    if tomllib is None:  # Python 3.10: no [project.urls] reader; pass --url
        return None
    urls = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8")).get("project", {}).get("urls", {})
    for key in URL_KEYS:
        if isinstance(urls.get(key), str):
            return urls[key]
    return None


def dataset_url(url: str | None, version: str) -> str:
    """The URL the release states as the dataset's page: ``url``, else the one pyproject.toml configures."""
    if url is None:
        url = project_url()
        if url is None:
            raise ReleaseError(
                f"release {version} needs the dataset's URL, which croissant.json states (Croissant 1.0 requires it) "
                "and the card links; none was given and pyproject.toml has no Dataset or Homepage in [project.urls]. "
                "Fix: pass --url URL (e.g. the Hugging Face dataset page https://huggingface.co/datasets/OWNER/NAME "
                "you will publish to), or add Dataset = \"URL\" under [project.urls] in pyproject.toml")
        where = "pyproject.toml [project.urls]"
    else:
        where = "--url"
    if not _URL.match(url):
        raise ReleaseError(f"the dataset URL {url!r} ({where}) is not an http(s) address with a host name (or a file:/// address for a local release). "
                           "Fix: give the full address, e.g. https://huggingface.co/datasets/OWNER/NAME")
    return url


def _checked_build(build_dir: Path) -> dict:
    """The manifest of a validated build whose files are as it lists them."""
    if not (Path(build_dir) / MANIFEST).is_file():
        raise ReleaseError(f"{build_dir} is not a ClaimBank build (no {MANIFEST}). Fix: run `claimbank build` first, "
                           "or release without --build to build afresh")
    manifest = read_manifest(build_dir)
    if not manifest.get("validation", {}).get("success"):
        raise ReleaseError(f"{build_dir} was not validated. Fix: rebuild it with `claimbank build`")
    for entry in manifest["tables"].values():
        for f in entry["files"]:
            if sha256_file(Path(build_dir) / f["path"]) != f["sha256"]:
                raise ReleaseError(f"{build_dir}/{f['path']} differs from its SHA-256 in {MANIFEST}: the build was "
                                   "modified after it was validated. Fix: rebuild it with `claimbank build`")
    return manifest


def _previous_release(version: str, rdir: Path, check_project: bool) -> str | None:
    """The release before ``version`` (None for the first), once ``version`` may be cut in ``rdir``."""
    _version(version)
    dest = rdir / version
    if dest.exists():
        raise ReleaseError(f"release {version} already exists at {dest}; a release is never modified or cut twice. "
                           f"Fix: set a new version in pyproject.toml and release that")
    if check_project:
        current = project_version()
        if current != version:
            raise ReleaseError(f"version {version} is not the project version {current} (pyproject.toml, [project] version, "
                               f"the one version source). Fix: set version = \"{version}\" in pyproject.toml, "
                               f"or release {current}")
        stale = generate.check(release_files=False)
        if stale:
            raise ReleaseError(f"generated files are stale: {', '.join(stale)}. Fix: run `claimbank generate` and commit them")
    if version in read_index(rdir):
        raise ReleaseError(f"release {version} is recorded in {rdir / INDEX} but its folder is missing; a release is never "
                           f"cut twice. Fix: restore {dest} (e.g. git checkout -- {dest}), or release a new version")
    existing = existing_releases(rdir)
    newer = [v for v in existing if parse_version(v) >= parse_version(version)]
    if newer:
        raise ReleaseError(f"version {version} is not greater than the latest release {newer[-1]}. "
                           f"Fix: release a greater version")
    return existing[-1] if existing else None


def _bump(changes: Diff, version: str, previous: str | None) -> tuple[str, str]:
    """(the bump from ``previous`` to ``version``, the bump the changes need); a bump too small is refused."""
    required = changes.required_bump
    bump = bump_between(previous, version) if previous else "major"
    if previous and BUMPS.index(bump) < BUMPS.index(required):
        needing = [f"  - {desc} (needs {b})" for b, desc in changes.changes() if BUMPS.index(b) > BUMPS.index(bump)]
        raise ReleaseError(
            f"release {version} is a {bump} bump from {previous}, but the changes need a {required} bump:\n"
            + "\n".join(needing)
            + f"\nFix: release {next_version(previous, required)} (set it in pyproject.toml)"
        )
    return bump, required


def _datasheet_template() -> str:
    root = repo_root()
    template = (root / "docs" / "DATASHEET.template.md") if root is not None else None
    if template is None or not template.is_file():
        raise ReleaseError("docs/DATASHEET.template.md not found: releases are cut from a checkout of the repository")
    return template.read_text(encoding="utf-8")


def _stage(stage: Path, build_dir: Path, schema: Schema, *, version: str, date: str, previous: str | None,
           previous_dir: Path | None, url: str) -> None:
    """Write the release folder in ``stage`` from the validated build ``build_dir``; it must verify."""
    manifest = _checked_build(build_dir)
    stage.mkdir()
    for p in sorted((Path(build_dir) / "data").rglob("*.parquet")):
        target = stage / p.relative_to(build_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(p, target)
    tables = {n: read_table(stage, n) for n in folder_tables(stage)}
    missing = [n for n in schema.table_names if n not in tables]
    if missing:
        raise ReleaseError(f"{build_dir} has no Parquet file for {', '.join(missing)}. Fix: rebuild it with `claimbank build`")
    counts = {n: t.num_rows for n, t in tables.items()}
    write_card(stage, schema, tables, version=version, date=date, url=url, datasheet=True)

    changes = diff_folders(previous_dir, stage, old_name=previous or "nothing", new_name=version, new_tables=tables)
    bump, required = _bump(changes, version, previous)
    datasheet = render_datasheet(_datasheet_template(), tables, schema, version=version)
    (stage / "DATASHEET.md").write_text(datasheet, encoding="utf-8")
    record = {
        "version": version,
        "date": date,
        "previous": previous,
        "bump": bump if previous else None,
        "required_bump": required if previous else None,
        "schema_sha256": manifest["schema_sha256"],
        "inputs": manifest["inputs"],
        "tables": {n: {"rows": counts[n]} for n in schema.table_names},
        "changes": [{"bump": b, "change": d} for b, d in changes.changes()] if previous else [],
        "changelog": changes.to_markdown() if previous else "First release.\n\n" + changes.to_markdown(),
    }
    (stage / RELEASE_JSON).write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    write_label_files(stage, schema)
    meta = croissant(schema, stage, version=version, date=date, datasheet=datasheet, url=url)
    (stage / "croissant.json").write_text(render_croissant(meta), encoding="utf-8")
    (stage / SUMS).write_text(render_sums(stage, release_files(stage)), encoding="utf-8")
    problems = verify_folder(stage, index=False)
    if problems:
        raise ReleaseError("the staged release does not verify:\n" + "\n".join(f"  - {p}" for p in problems))


def cut_release(version: str, *, build_dir: Path | None = None, releases_dir: Path | None = None,
                data: Path | None = None, date: str | None = None, check_project: bool = True,
                url: str | None = None) -> Path:
    """Cut ``releases_dir/version`` and return it.

    ``url``: the dataset's page, stated in croissant.json and the card (default: ``Dataset`` or
    ``Homepage`` of ``[project.urls]`` in pyproject.toml; one of them is required).

    ``build_dir``: release this validated build instead of building ``data`` afresh.
    ``check_project``: require ``version`` to be the project version and the generated files
    of the repository to be current (off for releases outside the repository, e.g. benchmarks).
    """
    rdir = Path(releases_dir) if releases_dir is not None else default_releases_dir()
    dest = rdir / version
    previous = _previous_release(version, rdir, check_project)
    url = dataset_url(url, version)
    date = release_date(date)
    schema = load_schema()

    rdir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{version}.work-", dir=rdir))
    stage = work / version
    try:
        if build_dir is None:
            build_dir = build(out=work / "build", data=data, full_validation=True)
        _stage(stage, build_dir, schema, version=version, date=date, previous=previous,
               previous_dir=rdir / previous if previous else None, url=url)
        if dest.exists():  # cut concurrently
            raise ReleaseError(f"release {version} already exists at {dest}; a release is never modified or cut twice")
        # The repository's record of the release, outside its folder: what `claimbank verify` checks the folder against.
        record_release(rdir, version, sums_digest(stage))
        try:
            os.replace(stage, dest)
        except BaseException:
            record_release(rdir, version, None)
            raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if check_project:
        generate.write_release_files()
    return dest


def record_release(releases: Path, version: str, digest: str | None) -> None:
    """Record (or, with None, withdraw) the SHA-256 of release ``version``'s SHA256SUMS in ``releases/index.json``."""
    records = read_index(releases)
    if digest is None:
        records.pop(version, None)
    else:
        records[version] = digest
    write_text_atomic(Path(releases) / INDEX, render_index(records), INDEX)
