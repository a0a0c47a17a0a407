"""Every table loads through pandas, pyarrow, DuckDB, Polars and `datasets`, offline."""

from __future__ import annotations

import json
from collections import Counter

import datasets
import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

import claimbank
from claimbank.schema import load_schema

SCHEMA = load_schema()
TABLES = SCHEMA.table_names


@pytest.mark.parametrize("table", TABLES)
def test_table_loads_in_every_engine_with_the_same_rows(story_build, table):
    small_build = story_build
    arrow = pq.read_table(small_build / "data" / table)
    n = arrow.num_rows
    assert n > 0
    df = claimbank.load(table, path=small_build)
    assert len(df) == n and list(df.columns) == SCHEMA[table].names
    glob = str(small_build / "data" / table / "*.parquet")
    assert duckdb.connect().execute(f"select count(*) from read_parquet('{glob}')").fetchone()[0] == n
    assert pl.read_parquet(glob).height == n
    ds = datasets.load_dataset(str(small_build), table, split="train")
    assert ds.num_rows == n
    assert list(ds.features) == SCHEMA[table].names


def test_label_columns_are_class_labels_with_schema_ids(small_build):
    ds = datasets.load_dataset(str(small_build), "verdicts", split="train")
    veracity = ds.features["veracity"]
    assert veracity.names == SCHEMA.label_sets["veracity"].names
    df = claimbank.load("verdicts", path=small_build)
    assert list(df["veracity"].cat.categories) == veracity.names
    assert list(df["veracity"].cat.codes) == ds["veracity"]
    assert [veracity.int2str(i) for i in ds["veracity"]] == list(df["veracity"].astype(str))


def test_documented_pandas_dtypes(small_build):
    claims = claimbank.load("claims", path=small_build)
    assert isinstance(claims["claim_id"].dtype, pd.StringDtype)
    assert isinstance(claims["claim_type"].dtype, pd.CategoricalDtype)
    assert str(claims["span_start"].dtype) == "Int32"
    assert str(claims["checkworthy"].dtype) == "boolean"
    assert str(claims["claim_date"].dtype) == "datetime64[s]"
    assert list(claims.loc[0, "topics"]) == ["infrastructure"]
    sourcing = claimbank.load("sourcing", path=small_build)
    assert sourcing["cue_start"].isna().sum() == 2  # the document's own link and the second claim's


def test_wrong_split_size_in_the_card_fails_the_load(small_build):
    card = small_build / "README.md"
    text = card.read_text()
    assert "num_examples: 2\n" in text
    card.write_text(text.replace("num_examples: 2\n", "num_examples: 3\n", 1))
    with pytest.raises(datasets.exceptions.NonMatchingSplitsSizesError):
        datasets.load_dataset(str(small_build), "claims", split="train", download_mode="force_redownload")


def test_unknown_table_names_the_tables(small_build):
    with pytest.raises(KeyError, match="expected one of documents, speakers, claims"):
        claimbank.load("claim", path=small_build)


def test_load_all_gives_every_table_and_says_what_was_loaded(story_release, small_build):
    frames = claimbank.load_all(path=story_release)
    assert list(frames) == TABLES
    for name, df in frames.items():
        assert len(df) == pq.read_table(story_release / "data" / name).num_rows > 0
        assert df.attrs == {"source": "release", "version": "1.0.0", "path": str(story_release.resolve()), "table": name}
        assert list(df.columns) == SCHEMA[name].names
    assert frames["verdicts"]["veracity"].dtype == claimbank.load("verdicts", path=story_release)["veracity"].dtype
    build = claimbank.load("claims", path=small_build)
    built_with = json.loads((small_build / "build.json").read_text())["claimbank_version"]
    assert build.attrs == {"source": "build", "version": built_with, "path": str(small_build.resolve()), "table": "claims"}


def test_load_all_of_a_release_older_than_some_tables():
    frames = claimbank.load_all("1.0.0")
    assert "claims" in frames and "stories" not in frames  # 1.0.0 predates the story tables
    assert frames["claims"].attrs["source"] == "release" and frames["claims"].attrs["version"] == "1.0.0"
    assert frames["claims"].attrs["path"].endswith("releases/1.0.0")


def test_flat_claims_one_row_per_claim_with_verdict_claimant_name_and_evidence_count(story_release):
    flat = claimbank.load_flat_claims(path=story_release)
    claims = pq.read_table(story_release / "data" / "claims").to_pylist()
    verdicts = {v["claim_id"]: v for v in pq.read_table(story_release / "data" / "verdicts").to_pylist()}
    names = {s["speaker_id"]: s["name"] for s in pq.read_table(story_release / "data" / "speakers").to_pylist()}
    evidence = Counter(e["claim_id"] for e in pq.read_table(story_release / "data" / "evidence").to_pylist())
    assert list(flat["claim_id"]) == [c["claim_id"] for c in claims]
    assert list(flat.columns) == SCHEMA["claims"].names + ["claimant_name", "veracity", "confidence", "rationale", "fidelity",
                                                           "fidelity_confidence", "fidelity_rationale", "reviewed_date",
                                                           "evidence_count"]
    for row, c in zip(flat.itertuples(index=False), claims):
        assert row.claimant_name == names[c["claimant_id"]]
        assert row.veracity == verdicts[c["claim_id"]]["veracity"] and row.fidelity == verdicts[c["claim_id"]]["fidelity"]
        assert row.evidence_count == evidence.get(c["claim_id"], 0)
    assert 0 in set(flat["evidence_count"]) and max(flat["evidence_count"]) > 0  # both sides exercised
    assert list(flat["veracity"].cat.categories) == SCHEMA.label_sets["veracity"].names
    assert str(flat["evidence_count"].dtype) == "Int32" and str(flat["reviewed_date"].dtype) == "datetime64[s]"
    assert flat.attrs == {"source": "release", "version": "1.0.0", "path": str(story_release.resolve()), "table": "flat_claims"}
