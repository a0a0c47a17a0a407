"""Releases: cut in a working copy of the repository, versioned by the changes, immutable, verified."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from claimbank import generate
from claimbank.cli import main
from claimbank.diff import diff_folders
from claimbank.problems import CurationError
from claimbank.release import ReleaseError, cut_release
from claimbank.verify import verify_folder
from conftest import TEST_URL, curation_copy, repo_copy, tree_bytes

NEW_CLAIM = """  - claim_id: d900-c03
    quote: the bridge will reopen on Monday
    claim_text: The town bridge will reopen on Monday.
    claimant_id: the-mayor
    claim_type: prediction
    checkworthy: false
    claim_date: null
    topics: []
    location: body
    sourcing:
      - source_id: town-gazette
        source_type: article_voice
      - source_id: the-mayor
        source_type: named_person
        cue: says
    verdict:
      veracity: not_checkable
      confidence: high
      rationale: A prediction.
      fidelity: source_not_found
      fidelity_confidence: low
      fidelity_rationale: Test data.
      reviewed_date: 2024-06-01
"""


def _set_version(root: Path, version: str) -> None:
    path = root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^version = "[^"]+"', f'version = "{version}"', text, count=1), encoding="utf-8")


def _set_url(root: Path, url: str) -> None:
    """Name the dataset's page in [project.urls] of the copy's pyproject.toml (the repository names none)."""
    path = root / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    assert "[project.urls]" not in text
    path.write_text(text.replace("\n[project.optional-dependencies]", f'\n[project.urls]\nDataset = "{url}"\n\n[project.optional-dependencies]', 1),
                    encoding="utf-8")


@pytest.fixture
def workspace(tmp_path, monkeypatch):
    """A copy of the repository holding the small test curation and no release yet."""
    root = repo_copy(tmp_path / "repo", data=curation_copy(tmp_path / "src"))
    shutil.rmtree(root / "releases", ignore_errors=True)
    monkeypatch.setenv("CLAIMBANK_ROOT", str(root))
    _set_version(root, "1.0.0")
    _set_url(root, TEST_URL)
    generate.write_all()
    generate.write_release_files()
    return root


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.slow  # three releases cut, one refused
def test_release_lifecycle_versions_by_change_and_never_rewrites(workspace, capsys):
    releases = workspace / "releases"
    first = cut_release("1.0.0", date="2026-01-01")
    assert first == releases / "1.0.0"
    assert verify_folder(first) == []
    assert _entries(first) == ["DATASHEET.md", "LICENSE", "README.md", "SHA256SUMS", "croissant.json", "data", "labels",
                               "release.json"]
    assert json.loads((first / "croissant.json").read_text(encoding="utf-8"))["url"] == TEST_URL  # from [project.urls]
    changelog = (workspace / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## 1.0.0 — 2026-01-01\n\nFirst release.\n\n" in changelog
    assert "- **claims**: table added (2 rows)\n- **documents**: table added (1 row)" in changelog
    citation = (workspace / "CITATION.cff").read_text(encoding="utf-8")
    assert 'version: "1.0.0"\ndate-released: "2026-01-01"\n' in citation
    assert generate.check() == []
    snapshot = tree_bytes(first)

    # The same version again: refused, the folder untouched.
    with pytest.raises(ReleaseError) as exc:
        cut_release("1.0.0", date="2026-01-02")
    assert str(exc.value) == (
        f"release 1.0.0 already exists at {first}; a release is never modified or cut twice. "
        "Fix: set a new version in pyproject.toml and release that"
    )
    assert tree_bytes(first) == snapshot

    # A new claim and a corrected rationale: a patch bump is refused, naming what needs more.
    claims = workspace / "data/documents/d900/claims.yaml"
    text = claims.read_text(encoding="utf-8")
    text = text.replace("rationale: Nothing was searched; this is test data.", "rationale: Nothing was searched; test data.")
    claims.write_text(text + NEW_CLAIM, encoding="utf-8")
    _set_version(workspace, "1.0.1")
    generate.write_all()
    with pytest.raises(ReleaseError) as exc:
        cut_release("1.0.1", date="2026-02-01")
    assert str(exc.value) == (
        "release 1.0.1 is a patch bump from 1.0.0, but the changes need a minor bump:\n"
        "  - claims: 1 row(s) added (d900-c03) (needs minor)\n"
        "  - sourcing: 2 row(s) added (d900-c03/0, d900-c03/1) (needs minor)\n"
        "  - verdicts: 1 row(s) added (d900-c03) (needs minor)\n"
        "Fix: release 1.1.0 (set it in pyproject.toml)"
    )
    assert _entries(releases) == ["1.0.0", "index.json"]  # nothing staged is left behind

    _set_version(workspace, "1.1.0")
    second = cut_release("1.1.0", date="2026-02-01")
    record = json.loads((second / "release.json").read_text(encoding="utf-8"))
    assert (record["previous"], record["bump"], record["required_bump"]) == ("1.0.0", "minor", "minor")
    assert {"bump": "patch", "change": "verdicts: 1 row(s) corrected (d900-c01)"} in record["changes"]
    assert tree_bytes(first) == snapshot
    changelog = (workspace / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 1.1.0 — 2026-02-01") < changelog.index("## 1.0.0 — 2026-01-01")
    assert "A minor release after 1.0.0 (the changes need at least minor)." in changelog
    assert "  - changed: d900-c01 (rationale)" in changelog

    # diff by id, as JSON from the command line.
    assert main(["diff", str(first), str(second), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["required_bump"] == "minor"
    assert d["tables"]["claims"]["added"] == ["d900-c03"]
    assert d["tables"]["verdicts"]["changed"] == {"d900-c01": ["rationale"]}
    assert d["tables"]["speakers"] == {"name": "speakers", "status": "same", "rows_old": 3, "rows_new": 3}

    # A changed label set and a removed column need a major bump.
    labels_path = workspace / "schema/labels.json"
    labels = json.loads(labels_path.read_text(encoding="utf-8"))
    labels["labelSets"]["confidence"]["labels"].append({"name": "certain", "description": "No doubt left."})
    labels_path.write_text(json.dumps(labels, indent=2), encoding="utf-8")
    for table_path in sorted((workspace / "schema/tables").glob("*.json")):  # every column of that label set
        table = json.loads(table_path.read_text(encoding="utf-8"))
        for f in table["fields"]:
            if f.get("labelSet") == "confidence":
                f["constraints"]["enum"].append("certain")
        table_path.write_text(json.dumps(table, indent=2), encoding="utf-8")
    speakers_path = workspace / "schema/tables/speakers.json"
    speakers = json.loads(speakers_path.read_text(encoding="utf-8"))
    speakers["fields"] = [f for f in speakers["fields"] if f["name"] != "country"]
    speakers_path.write_text(json.dumps(speakers, indent=2), encoding="utf-8")
    _set_version(workspace, "1.2.0")
    generate.write_all()
    with pytest.raises(ReleaseError) as exc:
        cut_release("1.2.0", date="2026-03-01")
    assert str(exc.value) == (
        "release 1.2.0 is a minor bump from 1.1.0, but the changes need a major bump:\n"
        "  - annotations.confidence: label set changed (needs major)\n"
        "  - claim_links.confidence: label set changed (needs major)\n"
        "  - speakers.country: column removed or renamed (needs major)\n"
        "  - verdicts.confidence: label set changed (needs major)\n"
        "  - verdicts.fidelity_confidence: label set changed (needs major)\n"
        "Fix: release 2.0.0 (set it in pyproject.toml)"
    )
    _set_version(workspace, "2.0.0")
    third = cut_release("2.0.0", date="2026-03-01")
    assert verify_folder(third) == []
    assert _entries(releases) == ["1.0.0", "1.1.0", "2.0.0", "index.json"]
    # The repository's record of each release, outside the release folders: the SHA-256 of its SHA256SUMS.
    index = json.loads((releases / "index.json").read_text(encoding="utf-8"))
    assert index["releases"] == {v: hashlib.sha256((releases / v / "SHA256SUMS").read_bytes()).hexdigest()
                                 for v in ("1.0.0", "1.1.0", "2.0.0")}


@pytest.mark.slow  # releases cut in a copy of the repository
def test_version_must_be_the_project_version_and_greater(workspace):
    with pytest.raises(ReleaseError) as exc:
        cut_release("1.0.1", date="2026-01-01")
    assert str(exc.value) == (
        'version 1.0.1 is not the project version 1.0.0 (pyproject.toml, [project] version, the one version source). '
        'Fix: set version = "1.0.1" in pyproject.toml, or release 1.0.0'
    )
    with pytest.raises(ReleaseError, match=r"^version '1\.0' is not MAJOR\.MINOR\.PATCH"):
        cut_release("1.0")
    cut_release("1.0.0", date="2026-01-01")
    with pytest.raises(ReleaseError) as exc:
        cut_release("0.9.0", releases_dir=workspace / "releases", check_project=False, date="2026-01-01", url=TEST_URL)
    assert str(exc.value) == "version 0.9.0 is not greater than the latest release 1.0.0. Fix: release a greater version"


def test_a_failed_release_writes_nothing(workspace):
    claims = workspace / "data/documents/d900/claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("claim_type: event", "claim_type: evnet"), encoding="utf-8")
    with pytest.raises(CurationError):
        cut_release("1.0.0", date="2026-01-01")
    assert list(workspace.glob("releases/*")) == []
    assert "## 1.0.0" not in (workspace / "CHANGELOG.md").read_text(encoding="utf-8")


@pytest.mark.slow  # two releases cut
def test_same_input_same_release_bytes(tmp_path):
    data = curation_copy(tmp_path / "src")
    a = cut_release("1.0.0", releases_dir=tmp_path / "a", data=data, check_project=False, date="2026-01-01", url=TEST_URL)
    b = cut_release("1.0.0", releases_dir=tmp_path / "b", data=data, check_project=False, date="2026-01-01", url=TEST_URL)
    assert tree_bytes(a) == tree_bytes(b)
    assert diff_folders(a, b).required_bump == "none"


def test_verify_names_every_tampered_missing_and_extra_file(small_release, capsys):
    assert main(["verify", str(small_release)]) == 0
    claims = small_release / "data/claims/claims-00000-of-00001.parquet"
    claims_sha = hashlib.sha256(claims.read_bytes()).hexdigest()
    raw = bytearray(claims.read_bytes())
    raw[100] ^= 0xFF
    claims.write_bytes(bytes(raw))
    (small_release / "data/stances/stances-00000-of-00001.parquet").unlink()
    (small_release / "notes.txt").write_text("added later\n")
    capsys.readouterr()
    assert main(["verify", str(small_release)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        f"{small_release} does not verify: 6 problem(s)",
        "  - data/claims/claims-00000-of-00001.parquet: SHA-256 differs from SHA256SUMS: the file was modified after "
        "the release was cut [checksum-mismatch]",
        "  - data/stances/stances-00000-of-00001.parquet: listed in SHA256SUMS but missing from the folder [file-missing]",
        "  - notes.txt: not listed in SHA256SUMS: a release folder holds only the files it was cut with. "
        "Fix: remove the file [file-extra]",
        "  - data/claims/claims-00000-of-00001.parquet: SHA-256 differs from the one croissant.json states "
        f"({claims_sha}): the file or croissant.json was modified after the release was cut [croissant-mismatch]",
        "  - croissant.json: the file object 'data/stances/stances-00000-of-00001.parquet' names no Parquet file of the "
        "folder [croissant-mismatch]",
        "  - data/stances/: config 'stances' of the card has no Parquet file [split-files-missing]",
    ]


def test_verify_checks_the_card_split_sizes(small_release, capsys):
    card = small_release / "README.md"
    card.write_text(card.read_text(encoding="utf-8").replace("num_examples: 2\n", "num_examples: 5\n", 1), encoding="utf-8")
    assert main(["verify", str(small_release), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [p["slug"] for p in report["problems"]] == ["checksum-mismatch", "split-size-mismatch"]
    assert report["problems"][1]["message"] == (
        "config 'claims' split 'train' says num_examples 5, the Parquet files of data/claims/ hold 2 rows"
    )
