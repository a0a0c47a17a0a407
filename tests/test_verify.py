"""`claimbank verify` trusts no single file: every hash a release states, every Parquet footer, no links,
and the digest the repository recorded for the release outside its folder (releases/index.json)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from claimbank.compiled import PARQUET_OPTIONS
from claimbank.cli import main
from claimbank.release import cut_release, existing_releases
from claimbank.folders import SUMS, release_files, render_sums
from claimbank.verify import verify_folder
from conftest import REPO, TEST_URL, curation_copy

CLAIMS = "data/claims/claims-00000-of-00001.parquet"
DOCUMENTS = "data/documents/documents-00000-of-00001.parquet"


@pytest.fixture
def release(small_release) -> Path:
    return small_release  # this test's copy of a release cut once per session


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _restate_sums(folder: Path) -> None:
    """Rewrite SHA256SUMS for the files as they are now (what a careless or hostile edit would do)."""
    (folder / SUMS).write_text(render_sums(folder, release_files(folder)), encoding="utf-8")


def _restate_croissant(folder: Path) -> None:
    """Rewrite croissant.json's SHA-256 and size of every Parquet file for the files as they are now."""
    path = folder / "croissant.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    for d in meta["distribution"]:
        if d["@type"] == "cr:FileObject":
            d["sha256"] = _sha(folder / d["contentUrl"])
            d["contentSize"] = f"{(folder / d['contentUrl']).stat().st_size} B"
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _verify(folder: Path, capsys) -> list[str]:
    capsys.readouterr()
    code = main(["verify", str(folder)])
    err = capsys.readouterr().err.splitlines()
    assert code == (1 if err else 0)
    return err


def test_parquet_byte_flip_with_its_sums_line_updated_is_caught(release, capsys):
    """The issue's case: flip a byte of a Parquet file and update its SHA256SUMS line."""
    claims = release / CLAIMS
    before = _sha(claims)
    sums_before = _sha(release / SUMS)
    raw = bytearray(claims.read_bytes())
    raw[100] ^= 0xFF
    claims.write_bytes(bytes(raw))
    _restate_sums(release)
    after, sums_after = _sha(claims), _sha(release / SUMS)
    assert _verify(release, capsys) == [
        f"{release} does not verify: 2 problem(s)",
        f"  - {CLAIMS}: SHA-256 differs from the one croissant.json states ({before}): the file or croissant.json was "
        "modified after the release was cut [croissant-mismatch]",
        f"  - SHA256SUMS: SHA-256 {sums_after} differs from {sums_before}, recorded for release 1.0.0 in "
        f"{release.parent / 'index.json'}: the release folder was rewritten after it was cut. "
        "Fix: restore it (git checkout -- releases/1.0.0) [index-mismatch]",
    ]
    assert after != before


def test_parquet_file_replaced_by_a_link_is_refused(release, tmp_path, capsys):
    claims = release / CLAIMS
    elsewhere = tmp_path / "elsewhere.parquet"
    shutil.copyfile(claims, elsewhere)  # the very same bytes
    claims.unlink()
    claims.symlink_to(elsewhere)
    assert _verify(release, capsys) == [
        f"{release} does not verify: 3 problem(s)",
        f"  - {CLAIMS}: is a link (to {elsewhere}); a release folder holds only its own files and folders. "
        "Fix: replace it with the file it stands for [link]",
        f"  - croissant.json: the file object '{CLAIMS}' names no Parquet file of the folder [croissant-mismatch]",
        "  - data/claims/: config 'claims' of the card has no Parquet file [split-files-missing]",
    ]


def test_release_folder_that_is_a_link_is_refused(release, tmp_path, capsys):
    link = tmp_path / "1.0.0"
    link.symlink_to(release)
    assert _verify(link, capsys) == [
        f"{link} does not verify: 1 problem(s)",
        f"  - .: {link} is a link (to {release}); a release is a folder of its own. Fix: verify the folder itself [link]",
    ]


def test_consistent_rewrite_of_the_whole_folder_is_caught_by_the_recorded_digest(release, capsys):
    """New claims data, with SHA256SUMS and croissant.json restated to match: only the repository's record differs."""
    claims = release / CLAIMS
    table = pq.read_table(claims)
    i = table.schema.get_field_index("claim_text")
    table = table.set_column(i, "claim_text", pc.utf8_upper(table.column(i)))
    pq.write_table(table, claims, **PARQUET_OPTIONS)
    recorded = _sha(release / SUMS)
    _restate_croissant(release)
    _restate_sums(release)
    assert _verify(release, capsys) == [
        f"{release} does not verify: 1 problem(s)",
        f"  - SHA256SUMS: SHA-256 {_sha(release / SUMS)} differs from {recorded}, recorded for release 1.0.0 in "
        f"{release.parent / 'index.json'}: the release folder was rewritten after it was cut. "
        "Fix: restore it (git checkout -- releases/1.0.0) [index-mismatch]",
    ]


def test_every_parquet_footer_is_opened(release, capsys):
    claims = release / CLAIMS
    claims.write_bytes(claims.read_bytes()[:-12])  # the footer's length and magic are gone
    _restate_croissant(release)
    _restate_sums(release)
    lines = _verify(release, capsys)
    assert lines[0] == f"{release} does not verify: 2 problem(s)"
    assert lines[1].startswith(f"  - {CLAIMS}: cannot be read as Parquet: ")
    assert lines[1].endswith("[parquet-unreadable]")
    assert lines[2].endswith("[index-mismatch]")


def test_release_json_text_hashes_are_checked_against_the_texts(release, capsys):
    """A changed text with its sha256 column updated, every other hash restated: release.json still names the old one."""
    documents = release / DOCUMENTS
    table = pq.read_table(documents)
    text = table.column("text")[0].as_py().replace("bridge", "tunnel")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    table = table.set_column(table.schema.get_field_index("text"), table.schema.field("text"),
                             [[text]]).set_column(table.schema.get_field_index("sha256"), table.schema.field("sha256"), [[digest]])
    pq.write_table(table, documents, **PARQUET_OPTIONS)
    _restate_croissant(release)
    _restate_sums(release)
    lines = _verify(release, capsys)
    assert lines[:2] == [
        f"{release} does not verify: 2 problem(s)",
        f"  - release.json: no text input of data/documents/d900/ has the SHA-256 {digest} of the text of d900 in "
        f"{DOCUMENTS} [text-mismatch]",
    ]
    assert lines[2].endswith("[index-mismatch]")


def test_release_json_row_counts_and_version_are_checked(release, capsys):
    path = release / "release.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    record["version"] = "1.0.1"
    record["tables"]["claims"]["rows"] = 3
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    _restate_sums(release)
    assert _verify(release, capsys)[1:3] == [
        "  - release.json: version '1.0.1' is not the folder's name '1.0.0' [release-mismatch]",
        "  - release.json: table 'claims' has 3 rows in release.json, the Parquet files of data/claims/ hold 2 [release-mismatch]",
    ]


def test_unrecorded_release_does_not_verify(tmp_path, capsys):
    data = curation_copy(tmp_path / "src")
    release = cut_release("9.0.0", releases_dir=tmp_path / "releases", data=data, check_project=False, date="2026-01-01", url=TEST_URL)
    (release.parent / "index.json").unlink()
    assert _verify(release, capsys) == [
        f"{release} does not verify: 1 problem(s)",
        f"  - SHA256SUMS: release 9.0.0 is not recorded in {release.parent / 'index.json'} or "
        f"{REPO / 'releases' / 'index.json'}: the repository records the SHA-256 of each release's SHA256SUMS when "
        "`claimbank release` cuts it. Fix: verify a release cut by `claimbank release`, against the repository that cut it "
        "[unrecorded]",
    ]


@pytest.mark.parametrize("version", existing_releases(REPO / "releases"))
def test_committed_release_is_recorded_and_a_copy_is_checked_against_the_record(version, tmp_path, capsys):
    """releases/index.json records every committed release; a copy elsewhere is verified against it too."""
    index = json.loads((REPO / "releases" / "index.json").read_text(encoding="utf-8"))["releases"]
    assert index[version] == _sha(REPO / "releases" / version / SUMS)
    copy = tmp_path / version
    shutil.copytree(REPO / "releases" / version, copy)
    assert verify_folder(copy) == []
    (copy / "DATASHEET.md").write_text("rewritten\n", encoding="utf-8")
    _restate_sums(copy)
    assert [p.slug for p in verify_folder(copy)] == ["index-mismatch"]


def test_a_recorded_release_is_never_cut_again(release):
    """A release folder removed after it was cut cannot be cut anew with other bytes: the record stays."""
    from claimbank.release import ReleaseError

    shutil.rmtree(release)
    with pytest.raises(ReleaseError) as exc:
        cut_release("1.0.0", releases_dir=release.parent, data=release.parent.parent / "src" / "data",
                    check_project=False, date="2026-02-02", url=TEST_URL)
    assert str(exc.value) == (
        f"release 1.0.0 is recorded in {release.parent / 'index.json'} but its folder is missing; a release is never cut "
        f"twice. Fix: restore {release} (e.g. git checkout -- {release}), or release a new version"
    )
