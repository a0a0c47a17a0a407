"""Big tables: Parquet shards of bounded size, row groups for streaming, and every reader over them."""

from __future__ import annotations

import json

import datasets
import duckdb
import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.slow  # sharded builds of synthetic corpora, validated; left out of `scripts/test --fast`

import claimbank
from claimbank.build import build
from claimbank.files import sha256_file
from claimbank.folders import read_footers, table_files
from claimbank.schema import load_schema
from claimbank.synth import synth
from claimbank.validate import validate_folder
from conftest import tree_bytes

SCHEMA = load_schema()
SHARD = 150_000  # bytes of Arrow data per shard: splits the bigger tables of a 2,000-claim corpus
ROW_GROUP = 20_000


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("shards")
    data = synth(2000, tmp / "data", seed=11)
    whole = build(out=tmp / "whole", data=data)
    sharded = build(out=tmp / "sharded", data=data, shard_bytes=SHARD, row_group_bytes=ROW_GROUP)
    return data, whole, sharded


def test_big_tables_are_split_and_small_ones_keep_the_single_file_name(builds):
    _, whole, sharded = builds
    for name in SCHEMA.table_names:
        assert [p.name for p in (whole / "data" / name).iterdir()] == [f"{name}-00000-of-00001.parquet"]
    claims = sorted(p.name for p in (sharded / "data" / "claims").iterdir())
    n = len(claims)
    assert n > 1
    assert claims == [f"claims-{i:05d}-of-{n:05d}.parquet" for i in range(n)]
    assert [p.name for p in (sharded / "data" / "speakers").iterdir()] == ["speakers-00000-of-00001.parquet"]


def test_shards_and_row_groups_are_bounded(builds):
    _, _, sharded = builds
    for path in (sharded / "data").rglob("*.parquet"):
        t = pq.read_table(path)
        f = pq.ParquetFile(path)
        if t.num_rows > 1:
            assert t.nbytes <= SHARD * 1.01, path.name
        per_row = t.nbytes / max(1, t.num_rows)
        for g in range(f.num_row_groups):
            rows = f.metadata.row_group(g).num_rows
            assert rows == 1 or rows * per_row <= ROW_GROUP * 1.01, (path.name, g)
    claims = pq.ParquetFile(next((sharded / "data" / "claims").iterdir()))
    assert claims.num_row_groups > 1


def test_manifest_lists_every_file_with_rows_and_checksum(builds):
    _, _, sharded = builds
    manifest = json.loads((sharded / "build.json").read_text())
    listed = set()
    for name, entry in manifest["tables"].items():
        assert sum(f["rows"] for f in entry["files"]) == entry["rows"] == pq.read_table(sharded / "data" / name).num_rows
        for f in entry["files"]:
            assert sha256_file(sharded / f["path"]) == f["sha256"]
            assert pq.read_metadata(sharded / f["path"]).num_rows == f["rows"]
            listed.add(f["path"])
    assert listed == {p.relative_to(sharded).as_posix() for p in (sharded / "data").rglob("*.parquet")}


def test_sharded_build_has_the_same_rows_in_the_same_order_for_every_reader(builds):
    _, whole, sharded = builds
    for name in ("claims", "sourcing", "documents"):
        a = claimbank.load(name, path=whole)
        b = claimbank.load(name, path=sharded)
        assert a.equals(b), name
    glob = str(sharded / "data" / "claims" / "*.parquet")
    assert duckdb.connect().execute(f"select count(*) from read_parquet('{glob}')").fetchone()[0] == 2000


def test_the_footers_list_each_shard_in_order_with_its_rows(builds):
    _, _, sharded = builds
    footers = read_footers(sharded, "claims")
    assert len(footers) > 1 and [f.path for f in footers] == table_files(sharded, "claims")
    read = [pq.read_table(f.path) for f in footers]
    assert [f.num_rows for f in footers] == [t.num_rows for t in read] and sum(f.num_rows for f in footers) == 2000
    assert all(f.arrow_schema.equals(t.schema) for f, t in zip(footers, read))
    assert read_footers(sharded, "no_such_table") == []


def test_datasets_streams_over_the_shards(builds):
    _, whole, sharded = builds
    stream = datasets.load_dataset(str(sharded), "claims", split="train", streaming=True)
    ids = [row["claim_id"] for row in stream]
    assert ids == pq.read_table(whole / "data" / "claims", columns=["claim_id"]).column(0).to_pylist()
    first = next(iter(datasets.load_dataset(str(sharded), "verdicts", split="train", streaming=True)))
    assert first["veracity"] in range(len(SCHEMA.label_sets["veracity"].names))


def test_sharded_build_validates_and_rebuilds_byte_identically(builds, tmp_path):
    data, _, sharded = builds
    report = validate_folder(sharded)
    assert report.success, report.summary()
    assert report.rows["claims"] == 2000
    again = build(out=tmp_path / "again", data=data, shard_bytes=SHARD, row_group_bytes=ROW_GROUP)
    assert tree_bytes(again) == tree_bytes(sharded)


def test_rebuild_with_fewer_shards_leaves_no_stale_shard(builds, tmp_path):
    data, whole, _ = builds
    out = build(out=tmp_path / "out", data=data, shard_bytes=SHARD, row_group_bytes=ROW_GROUP)
    assert len(list((out / "data" / "claims").iterdir())) > 1
    build(out=out, data=data)
    assert tree_bytes(out) == tree_bytes(whole)
