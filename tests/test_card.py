"""The dataset card: the sections and metadata Hugging Face users look for, every figure computed from the
tables, and nothing the package cannot back (no `pip install claimbank`, no ordered categoricals, no num_bytes
that `datasets` would compute differently)."""

from __future__ import annotations

import re
import shutil
from collections import Counter

import datasets
import pyarrow.parquet as pq
import pytest
import yaml

import claimbank
from claimbank.card import LICENSE_TEXT, hub_repo_id
from conftest import HUB_TEST_URL

SECTIONS = {  # card section -> the datasheet heading its link points to
    "Uses": "Uses",
    "Out-of-scope uses": "Uses",
    "Bias": "Uses",
    "Limitations": "12. Known limitations",
    "Personal and sensitive information": "Composition",
}


def _header(folder):
    return yaml.safe_load((folder / "README.md").read_text(encoding="utf-8").split("---\n", 2)[1])


def _section(card: str, title: str) -> str:
    m = re.search(rf"(?ms)^## {re.escape(title)}\n\n(.*?)\n\n## ", card)
    assert m, f"no section {title!r} in the card"
    return m.group(1)


def _anchor(heading: str) -> str:
    """The anchor GitHub and the Hub give a Markdown heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_metadata_says_who_made_what_and_the_licence_is_true(story_release, small_build):
    for folder in (story_release, small_build):
        header = _header(folder)
        assert header["annotations_creators"] == ["expert-generated"]
        assert header["language_creators"] == ["found", "expert-generated"]
        assert header["source_datasets"] == ["original"]
        assert header["multilinguality"] == ["monolingual"]  # the test curation is English only
        assert header["task_categories"] == ["text-classification"]  # no token-classification: there is no token data
        assert (header["license"], header["license_link"]) == ("other", "LICENSE")
        licence = (folder / header["license_link"]).read_text(encoding="utf-8")
        assert licence == LICENSE_TEXT
        assert "licensed under the Creative Commons Attribution 4.0" in licence
        assert "each remains the copyright of its publisher" in licence and "not\ncovered by the CC BY licence" in licence


def test_no_num_bytes_and_datasets_checks_the_split_sizes(story_release, tmp_path):
    header = _header(story_release)
    for info in header["dataset_info"]:
        assert [set(s) for s in info["splits"]] == [{"name", "num_examples"}]
    ds = datasets.load_dataset(str(story_release), "claims", split="train", cache_dir=str(tmp_path / "cache"))
    assert ds.num_rows == pq.read_table(story_release / "data" / "claims").num_rows == header["dataset_info"][2]["splits"][0]["num_examples"]


def test_sections_on_use_are_short_computed_and_link_the_datasheet_beside_the_card(story_release):
    card = (story_release / "README.md").read_text(encoding="utf-8")
    datasheet = (story_release / "DATASHEET.md").read_text(encoding="utf-8")
    anchors = {_anchor(h) for h in re.findall(r"(?m)^#{2,3} (.+)$", datasheet)}
    for title, heading in SECTIONS.items():
        body = _section(card, title)
        assert len(body) < 700, f"{title}: {len(body)} characters"
        links = re.findall(r"\]\(DATASHEET\.md#([^)]+)\)", body)
        assert links == [_anchor(heading)] and links[0] in anchors, (title, links)

    t = {n: pq.read_table(story_release / "data" / n) for n in ("documents", "claims", "speakers", "verdicts", "evidence")}
    claims = t["claims"].num_rows
    checkworthy = sum(t["claims"].column("checkworthy").to_pylist())
    assert f"(`claims.checkworthy`: {checkworthy} of {claims} claims)" in _section(card, "Uses")
    nee = Counter(t["verdicts"].column("veracity").to_pylist())["not_enough_evidence"]
    assert f"A `not_enough_evidence` verdict ({nee} of {claims} claims)" in _section(card, "Out-of-scope uses")
    docs = t["documents"].num_rows
    excerpts = t["documents"].column("text_scope").to_pylist().count("excerpt")
    assert f"{excerpts} of {docs} documents are stored as excerpts" in _section(card, "Limitations")
    kinds = Counter(t["speakers"].column("kind").to_pylist())
    assert f"{kinds['person']} of {t['speakers'].num_rows} speakers are persons" in _section(card, "Personal and sensitive information")
    languages = Counter(t["documents"].column("language").to_pylist())
    assert "documents by language: " + ", ".join(f"{k} {v}" for k, v in languages.most_common()) in _section(card, "Bias")


def test_a_build_card_names_the_datasheet_without_a_dead_link(small_build):
    card = (small_build / "README.md").read_text(encoding="utf-8")
    assert not (small_build / "DATASHEET.md").exists()
    assert "](DATASHEET.md" not in card
    for title in SECTIONS:
        assert _section(card, title).endswith(
            "in the datasheet (DATASHEET.md in the repository; every release carries its own).")


def test_install_and_dtypes_are_what_exists(story_release):
    card = (story_release / "README.md").read_text(encoding="utf-8")
    assert not re.search(r"pip install claimbank(?![-\w])", card)  # not a published package
    assert "(`pip install .`)" in card and "`pip wheel . --no-deps`" in card
    assert "`pip install claimbank-1.0.0-py3-none-any.whl`" in card
    assert "ordered categoricals" not in card and "pandas categoricals, not ordered" in card
    df = claimbank.load("verdicts", path=story_release)
    assert df["veracity"].cat.ordered is False
    # The dataset page is on the Hub: the card loads it by its repository id.
    assert hub_repo_id(HUB_TEST_URL) == "example-org/claimbank-test"
    assert 'datasets.load_dataset("example-org/claimbank-test", "claims", split="train")' in card
    assert f"Dataset page: {HUB_TEST_URL}" in card


def test_a_card_is_byte_identical_for_the_same_release(story_release, tmp_path):
    from claimbank.card import write_card
    from claimbank.folders import read_table
    from claimbank.schema import load_schema

    schema = load_schema()
    copy = tmp_path / "again"
    shutil.copytree(story_release, copy)
    tables = {n: read_table(copy, n) for n in schema.table_names}
    write_card(copy, schema, tables, version="1.0.0", date="2026-01-01", url=HUB_TEST_URL, datasheet=True)
    assert (copy / "README.md").read_bytes() == (story_release / "README.md").read_bytes()
    assert (copy / "LICENSE").read_bytes() == (story_release / "LICENSE").read_bytes()
