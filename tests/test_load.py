"""Every table loads through pandas, pyarrow, DuckDB, Polars and `datasets`, offline."""

from __future__ import annotations

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
