"""The schema is the single source: generated files are current, and inconsistencies are caught."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import yaml

from claimbank.card import card_metadata
from claimbank.schema import SchemaError, load_schema
from conftest import REPO, repo_copy


def test_generated_files_are_current():
    proc = subprocess.run([sys.executable, "-m", "claimbank", "generate", "--check"], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr


def _repo_copy(tmp_path):
    return repo_copy(tmp_path / "repo")


def test_datasheet_figures_follow_the_data(tmp_path):
    copy = _repo_copy(tmp_path)
    env = {"CLAIMBANK_ROOT": str(copy), "PATH": ""}
    check = [sys.executable, "-m", "claimbank", "generate", "--check"]
    assert subprocess.run(check, capture_output=True, text=True, env=env).returncode == 0
    claims = copy / "data/documents/d000/claims.yaml"
    text = claims.read_text(encoding="utf-8")
    assert text.count("    claim_type: event\n") > 1
    claims.write_text(text.replace("    claim_type: event\n", "    claim_type: quote\n", 1), encoding="utf-8")
    proc = subprocess.run(check, capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert proc.stderr == "stale: DATASHEET.md; run `claimbank generate` to regenerate it\n"
    subprocess.run([sys.executable, "-m", "claimbank", "generate"], check=True, capture_output=True, env=env)
    sheet = (copy / "DATASHEET.md").read_text(encoding="utf-8")
    before = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    n = int(before.split("| `event` | ")[1].split(" |")[0])
    assert f"| `event` | {n - 1} |" in sheet


def test_stale_generated_file_is_named_with_the_command_that_regenerates_it(tmp_path):
    copy = _repo_copy(tmp_path)
    table = json.loads((copy / "schema/tables/claims.json").read_text())
    table["fields"][0]["description"] = "Changed."
    (copy / "schema/tables/claims.json").write_text(json.dumps(table))
    env = {"CLAIMBANK_ROOT": str(copy), "PATH": ""}
    proc = subprocess.run([sys.executable, "-m", "claimbank", "generate", "--check"], capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert "stale: docs/SCHEMA.md; run `claimbank generate` to regenerate it" in proc.stderr


def test_every_contract_column_is_declared():
    schema = load_schema()
    contract = {
        "documents": "doc_id title publisher_id url published_date retrieved_date language text sha256 license",
        "speakers": "speaker_id name kind description affiliation_id country wikidata_id aliases",
        "claims": "claim_id doc_id span_start span_end quote claim_text claimant_id claim_type checkworthy claim_date topics",
        "sourcing": "claim_id position source_id role source_type cue cue_start cue_end",
        "stances": "claim_id holder_id stance doc_id span_start span_end",
        "verdicts": "claim_id veracity fidelity confidence rationale reviewed_date",
        "evidence": "evidence_id claim_id url title publisher published_date excerpt relation",
    }
    for table, cols in contract.items():
        assert set(cols.split()) <= set(schema[table].names), table
    assert schema["sourcing"].primary_key == ("claim_id", "position")
    assert schema["stances"].primary_key == ("claim_id", "holder_id")


def test_contract_label_sets():
    ls = load_schema().label_sets
    assert ls["claim_type"].names == ["event", "quote", "position", "prediction", "causal", "numerical"]
    assert ls["source_type"].names == ["article_voice", "news_outlet", "named_person", "institution", "anonymous"]
    assert ls["stance"].names == ["supports", "denies", "questions", "neutral"]
    assert ls["veracity"].names == ["supported", "refuted", "misleading", "not_enough_evidence", "not_checkable"]
    assert ls["fidelity"].names == ["accurate", "distorted", "misattributed", "source_not_found", "own_voice"]
    assert ls["confidence"].names == ["high", "medium", "low"]
    for s in ls.values():
        assert all(label.description for label in s.labels)


def test_card_features_come_from_the_schema(small_build):
    text = (small_build / "README.md").read_text()
    header = yaml.safe_load(text.split("---\n")[1])
    schema = load_schema()
    counts = {c["config_name"]: c["splits"][0]["num_examples"] for c in header["dataset_info"]}
    assert header == card_metadata(schema, counts, ["en"])
    assert [c["config_name"] for c in header["configs"]] == schema.table_names
    assert [c for c in header["configs"] if c.get("default")] == [header["configs"][2]]


def test_label_enum_that_drifts_from_its_label_set_is_a_schema_error(tmp_path):
    shutil.copytree(REPO / "schema", tmp_path / "schema")
    path = tmp_path / "schema/tables/verdicts.json"
    table = json.loads(path.read_text())
    table["fields"][1]["constraints"]["enum"] = ["supported", "refuted"]
    path.write_text(json.dumps(table))
    with pytest.raises(SchemaError, match="constraints.enum .* differs from label set 'veracity'"):
        load_schema(tmp_path / "schema")
