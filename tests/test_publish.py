"""Publishing: the plan makes the Hub repository hold exactly the verified release folder, deleting what the
release no longer has; the Hub is not reachable from the tests (offline mode), so listing and uploading are
reached and fail cleanly, sending nothing."""

from __future__ import annotations

import fnmatch
import shutil

import pytest
import yaml

from claimbank.cli import main
from claimbank.publish import PublishError, hub_files, plan, upload
from claimbank.release import existing_releases
from conftest import REPO, tree_bytes

CURRENT = existing_releases(REPO / "releases")[-1]
FOLDER = REPO / "releases" / CURRENT


def _release_paths(folder):
    return sorted(line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()) + ["SHA256SUMS"]


def test_dry_run_lists_the_hub_first_and_sends_nothing_offline(capsys):
    assert main(["publish", CURRENT, "--repo-id", "claimbank/claimbank", "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: cannot list the files of claimbank/claimbank on the Hub (OfflineModeIsEnabled: ")
    assert err.endswith("the plan deletes the files the release does not have, so it needs them. Check the network and "
                        "the token (HF_TOKEN or --token); nothing was sent\n")
    with pytest.raises(PublishError):
        hub_files("claimbank/claimbank")


def test_the_plan_of_a_new_repository_adds_every_file_and_deletes_nothing():
    p = plan(FOLDER, "claimbank/claimbank", [])
    out = p.describe().splitlines()
    assert out[0] == "repository: claimbank/claimbank (type dataset, created if missing)"
    sums = _release_paths(FOLDER)
    assert out[1].startswith(f"commit: 'ClaimBank {CURRENT}' on main, adding {len(sums)} files (")
    listed = [line.split()[-1] for line in out[2:2 + len(sums)]]
    assert listed == sorted(sums)
    for line in out[2:2 + len(sums)]:
        digest, size, path = line.split()
        assert int(size) == (FOLDER / path).stat().st_size
    assert out[2 + len(sums):] == ["  and deleting nothing: the repository holds no file the release does not have",
                                   f"tag: v{CURRENT} on that commit"]
    assert p.deletions == ()


def test_the_plan_deletes_what_the_release_no_longer_has_so_the_card_globs_read_only_its_files():
    """The Hub holds an earlier publish: claims in two shards, a table the release has not, an old extra file."""
    earlier = [".gitattributes", "README.md", "SHA256SUMS", "croissant.json",
               "data/claims/claims-00000-of-00002.parquet", "data/claims/claims-00001-of-00002.parquet",
               "data/speakers/speakers-00000-of-00001.parquet", "data/retired/retired-00000-of-00001.parquet",
               "notes.txt"]
    p = plan(FOLDER, "claimbank/claimbank", earlier)
    release = _release_paths(FOLDER)
    assert p.deletions == ("data/claims/claims-00000-of-00002.parquet", "data/claims/claims-00001-of-00002.parquet",
                           "data/retired/retired-00000-of-00001.parquet", "notes.txt")
    after = p.after(earlier)
    assert after == sorted(release + [".gitattributes"])  # the release, and the Hub's own .gitattributes
    card = yaml.safe_load((FOLDER / "README.md").read_text(encoding="utf-8").split("---\n", 2)[1])
    for config in card["configs"]:
        pattern = config["data_files"][0]["path"]
        assert fnmatch.filter(after, pattern) == fnmatch.filter(release, pattern) != []
    text = p.describe().splitlines()
    assert text[-6:] == ["  and deleting 4 files the release does not have:",
                         "  delete  data/claims/claims-00000-of-00002.parquet",
                         "  delete  data/claims/claims-00001-of-00002.parquet",
                         "  delete  data/retired/retired-00000-of-00001.parquet",
                         "  delete  notes.txt",
                         f"tag: v{CURRENT} on that commit"]


def test_publishing_a_release_over_the_previous_one_deletes_its_files_the_new_one_lacks():
    previous = existing_releases(REPO / "releases")[-2]
    on_hub = _release_paths(REPO / "releases" / previous) + [".gitattributes"]
    p = plan(FOLDER, "claimbank/claimbank", on_hub)
    assert set(p.deletions) == set(on_hub) - set(_release_paths(FOLDER)) - {".gitattributes"}
    assert p.after(on_hub) == sorted(_release_paths(FOLDER) + [".gitattributes"])


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
    p = plan(FOLDER, "claimbank/claimbank", ["data/old/old-00000-of-00001.parquet"])
    with pytest.raises(PublishError) as exc:
        upload(p)
    assert str(exc.value).startswith("the Hub could not be reached or refused the upload (OfflineModeIsEnabled: ")
    assert str(exc.value).endswith("Check the network and the token (HF_TOKEN or --token); the release folder is unchanged")
    assert tree_bytes(FOLDER) == before
