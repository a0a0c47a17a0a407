"""The build: happy path, determinism, atomicity."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import claimbank.compiled as compiled_module
from claimbank.build import BuildError, build
from claimbank.schema import load_schema
from conftest import REPO, curation_copy, tree_bytes


def test_build_writes_one_zstd_parquet_per_table_with_card_and_manifest(small_build):
    schema = load_schema()
    manifest = json.loads((small_build / "build.json").read_text())
    assert list(manifest["tables"]) == schema.table_names
    assert {n: t["rows"] for n, t in manifest["tables"].items()} == {
        "documents": 1, "speakers": 3, "claims": 2, "sourcing": 4, "stances": 1, "verdicts": 2, "evidence": 1,
        "stories": 0, "claim_links": 0, "link_mutations": 0, "annotations": 0,
    }
    for name in schema.table_names:
        files = sorted((small_build / "data" / name).glob("*.parquet"))
        assert len(files) == 1
        meta = pq.ParquetFile(files[0]).metadata
        assert meta.row_group(0).column(0).compression == "ZSTD"
        assert pq.read_schema(files[0]).remove_metadata() == schema[name].arrow_schema().remove_metadata()
    assert (small_build / "README.md").read_text().startswith("---\n")
    assert set(manifest["inputs"]) == {
        "data/speakers.yaml", "data/documents/d900/document.yaml", "data/documents/d900/text.txt", "data/documents/d900/claims.yaml",
    }


def test_derived_columns_follow_the_text(small_build):
    claims = pq.read_table(small_build / "data/claims").to_pylist()
    text = pq.read_table(small_build / "data/documents").column("text")[0].as_py()
    for c in claims:
        assert text[c["span_start"]:c["span_end"]] == c["quote"]
    sourcing = pq.read_table(small_build / "data/sourcing").to_pylist()
    chain = [s for s in sourcing if s["claim_id"] == "d900-c01"]
    assert [(s["position"], s["role"], s["source_id"]) for s in chain] == [
        (0, "author", "town-gazette"), (1, "relay", "town-gazette"), (2, "origin", "two-inspectors"),
    ]
    assert [text[s["cue_start"]:s["cue_end"]] for s in chain[1:]] == ["reported", "according to"]
    doc = pq.read_table(small_build / "data/documents").to_pylist()[0]
    assert doc["published_date_precision"] == "month" and str(doc["published_date"]) == "2024-05-01"


@pytest.mark.slow  # two builds of its own
def test_two_builds_of_the_same_inputs_are_byte_identical(tmp_path):
    data = curation_copy(tmp_path / "src")
    a = tree_bytes(build(out=tmp_path / "a", data=data))
    b = tree_bytes(build(out=tmp_path / "b", data=data))
    assert a == b
    assert len(a) == len(load_schema().table_names) + 3  # one file per table, the card, its LICENSE and the manifest
    assert "LICENSE" in a and "README.md" in a and "build.json" in a


@pytest.mark.slow  # two builds of its own
def test_rebuild_in_place_is_byte_identical_and_leaves_no_temporary_folder(tmp_path):
    data = curation_copy(tmp_path / "src")
    out = tmp_path / "out"
    first = tree_bytes(build(out=out, data=data))
    assert tree_bytes(build(out=out, data=data)) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]


@pytest.mark.slow  # a build, then one that fails
def test_failure_injected_mid_write_leaves_previous_output_untouched(tmp_path, monkeypatch):
    data = curation_copy(tmp_path / "src")
    out = tmp_path / "out"
    before = tree_bytes(build(out=out, data=data))
    # Change the curation so that a successful build would differ, then fail on the fourth table.
    claims = data / "documents/d900/claims.yaml"
    claims.write_text(claims.read_text().replace("Engineers found serious cracks", "Engineers found cracks"))
    calls = []
    real = compiled_module.write_parquet

    def failing(table, path, **options):
        calls.append(path)
        if len(calls) == 4:
            raise OSError("disk full (injected)")
        real(table, path, **options)

    monkeypatch.setattr(compiled_module, "write_parquet", failing)
    with pytest.raises(OSError, match="injected"):
        build(out=out, data=data)
    assert len(calls) == 4
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "src"]


def test_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path):
    data = curation_copy(tmp_path / "src")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(BuildError, match="is not a ClaimBank build"):
        build(out=precious, data=data)
    assert (precious / "notes.txt").read_text() == "keep me"


@pytest.mark.slow  # the seed built by the installed command
def test_console_command_builds_the_repository_data(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "claimbank", "build", "--out", str(out)], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    documents = sorted(p.name for p in (REPO / "data" / "documents").iterdir() if p.is_dir())
    assert proc.stdout.startswith(f"built {out}: documents {len(documents)}, speakers ")
    assert (out / "build.json").is_file()


def test_repository_data_builds_and_quotes_match(seed_build):
    claims = pq.read_table(seed_build / "data/claims").to_pylist()
    texts = {d["doc_id"]: d["text"] for d in pq.read_table(seed_build / "data/documents").to_pylist()}
    assert claims and {c["doc_id"] for c in claims} <= set(texts)
    assert all(texts[c["doc_id"]][c["span_start"]:c["span_end"]] == c["quote"] for c in claims)
