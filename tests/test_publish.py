"""Publishing: the plan is exactly the verified release folder; the Hub is not reachable from the
tests (offline mode), so the upload call itself is reached and fails cleanly, sending nothing."""

from __future__ import annotations

import shutil

import pytest

from claimbank.cli import main
from claimbank.publish import PublishError, plan, upload
from claimbank.release import existing_releases
from conftest import REPO, tree_bytes

CURRENT = existing_releases(REPO / "releases")[-1]
FOLDER = REPO / "releases" / CURRENT


def test_dry_run_prints_every_file_the_tag_and_sends_nothing(capsys):
    assert main(["publish", CURRENT, "--repo-id", "claimbank/claimbank", "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "dry run, nothing sent:"
    assert out[1] == "repository: claimbank/claimbank (type dataset, created if missing)"
    sums = [line.split("  ", 1)[1] for line in (FOLDER / "SHA256SUMS").read_text().splitlines()]
    assert out[2].startswith(f"commit: 'ClaimBank {CURRENT}' on main, adding {len(sums) + 1} files (")
    listed = [line.split()[-1] for line in out[3:-1]]
    assert listed == sorted(sums + ["SHA256SUMS"])
    for line in out[3:-1]:
        digest, size, path = line.split()
        assert int(size) == (FOLDER / path).stat().st_size
    assert out[-1] == f"tag: v{CURRENT} on that commit"


def test_a_bad_repo_id_is_refused_with_the_fix(capsys):
    assert main(["publish", CURRENT, "--repo-id", "claimbank", "--dry-run"]) == 1
    assert capsys.readouterr().err == (
        "error: repo id 'claimbank' is not OWNER/NAME (letters, digits, '-', '_', '.'). "
        "Fix: pass e.g. --repo-id my-org/claimbank\n"
    )


def test_a_release_that_does_not_verify_is_not_published(tmp_path):
    copy = tmp_path / CURRENT
    shutil.copytree(FOLDER, copy)
    (copy / "croissant.json").write_text("{}", encoding="utf-8")
    with pytest.raises(PublishError) as exc:
        plan(copy, "claimbank/claimbank")
    parquet = sorted(p.relative_to(copy).as_posix() for p in copy.glob("data/*/*.parquet"))
    assert str(exc.value) == "\n".join(
        [f"{copy} does not verify, nothing was sent:",
         "  - croissant.json: SHA-256 differs from SHA256SUMS: the file was modified after the release was cut [checksum-mismatch]"]
        + [f"  - {rel}: croissant.json has no file object for this Parquet file [croissant-mismatch]" for rel in parquet]
    )


def test_upload_reaches_the_hub_client_and_fails_cleanly_offline():
    before = tree_bytes(FOLDER)
    p = plan(FOLDER, "claimbank/claimbank")
    with pytest.raises(PublishError) as exc:
        upload(p)
    assert str(exc.value).startswith("the Hub could not be reached or refused the upload (OfflineModeIsEnabled: ")
    assert str(exc.value).endswith("Check the network and the token (HF_TOKEN or --token); the release folder is unchanged")
    assert tree_bytes(FOLDER) == before
