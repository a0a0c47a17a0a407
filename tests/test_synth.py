"""The synthetic corpus: deterministic, in step with the schema, and it builds and validates cleanly."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import pyarrow.parquet as pq
import pytest

from claimbank.build import build
from claimbank.curation import HOP_FIDELITY
from claimbank.schema import load_schema
from claimbank.synth import SynthError, synth
from conftest import REPO, tree_bytes

SCHEMA = load_schema()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("synth")
    data = synth(1500, tmp / "data", seed=7)
    return data, build(out=tmp / "out", data=data)


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path):
    a = tree_bytes(synth(300, tmp_path / "a", seed=1))
    b = tree_bytes(synth(300, tmp_path / "b", seed=1))
    c = tree_bytes(synth(300, tmp_path / "c", seed=2))
    assert a == b
    assert a != c
    assert sum(1 for p in a if p.endswith("claims.yaml")) >= 300 // 32


def test_corpus_builds_and_validates_with_the_requested_number_of_claims(corpus):
    data, out = corpus
    claims = pq.read_table(out / "data" / "claims")
    assert claims.num_rows == 1500
    assert pq.read_table(out / "data" / "verdicts").num_rows == 1500
    docs = pq.read_table(out / "data" / "documents").to_pylist()
    texts = {d["doc_id"]: d["text"] for d in docs}
    for c in claims.to_pylist():
        assert texts[c["doc_id"]][c["span_start"]:c["span_end"]] == c["quote"]
    # the curation the build read is the synthetic one, every file of it
    assert sum(1 for _ in (data / "documents").iterdir()) == len(docs)


def test_every_label_of_every_label_column_occurs(corpus):
    _, out = corpus
    for t in SCHEMA.tables.values():
        if t.name == "annotations":
            continue  # a synthetic corpus has no second annotation: the table is empty
        table = pq.read_table(out / "data" / t.name)
        for f in t.fields:
            if f.label_set is None:
                continue
            seen = set(table.column(f.name).drop_null().to_pylist())
            allowed = set(HOP_FIDELITY) if (t.name, f.name) == ("claim_links", "fidelity") else set(f.label_set.names)
            assert seen == allowed, f"{t.name}.{f.name}: {sorted(seen)}"


def test_proportions_are_realistic(corpus):
    _, out = corpus
    sourcing = pq.read_table(out / "data" / "sourcing").to_pylist()
    lengths = Counter(Counter(s["claim_id"] for s in sourcing).values())
    assert set(lengths) == {1, 2, 3, 4}
    assert lengths[2] > lengths[3] > lengths[4]
    # cues are located in the text, including repeated ones (written with cue_occurrence)
    cues = [s for s in sourcing if s["cue"] is not None]
    assert len(cues) == sum(n * (k - 1) for k, n in lengths.items())
    verdicts = pq.read_table(out / "data" / "verdicts").to_pylist()
    own = {s["claim_id"] for s in sourcing if s["position"] == 0} - {s["claim_id"] for s in sourcing if s["position"] == 1}
    assert {v["claim_id"] for v in verdicts if v["fidelity"] == "own_voice"} == own
    evidence = pq.read_table(out / "data" / "evidence").num_rows
    assert 0.8 < evidence / len(verdicts) < 2.0
    stances = pq.read_table(out / "data" / "stances").num_rows
    assert 0.5 < stances / len(verdicts) < 1.2


def test_occurrence_disambiguation_is_exercised(corpus):
    data, _ = corpus
    text = "".join(p.read_text() for p in sorted((data / "documents").glob("*/claims.yaml")))
    assert "cue_occurrence:" in text and "\n        occurrence:" in text


def test_refuses_to_replace_a_folder_that_is_not_synthetic(tmp_path):
    precious = tmp_path / "data"
    precious.mkdir()
    (precious / "speakers.yaml").write_text("speakers: []\n")
    with pytest.raises(SynthError, match="not a synthetic corpus"):
        synth(10, precious)
    assert (precious / "speakers.yaml").read_text() == "speakers: []\n"
    again = synth(10, tmp_path / "syn")
    assert synth(12, again) == again  # an earlier synthetic corpus is replaced


def test_command_line(tmp_path):
    out = tmp_path / "syn"
    proc = subprocess.run([sys.executable, "-m", "claimbank", "synth", "--claims", "40", "--out", str(out), "--seed", "3"],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("wrote a synthetic curation of 40 claims (seed 3)")
    assert tree_bytes(out) == tree_bytes(synth(40, tmp_path / "again", seed=3))


@pytest.mark.slow  # the whole benchmark, a process per step
def test_benchmark_runs_every_step_on_a_small_corpus(tmp_path):
    """The benchmark script works end to end (its figures are not asserted: it is not a timed test)."""
    from claimbank.bench import render

    proc = subprocess.run([sys.executable, "-m", "claimbank", "bench", "--claims", "200", "--work", str(tmp_path), "--json", "--no-spark",
                           "--out", str(tmp_path / "results.json")], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr[-3000:]
    # --json: one JSON document on stdout, as every verb's --json, the same as the file written; progress on stderr
    assert json.loads(proc.stdout) == json.loads((tmp_path / "results.json").read_text())
    assert "200 claims: build" in proc.stderr
    result = json.loads(proc.stdout)["results"][0]
    table = render(result)
    assert "| build " in table and "| validate (pandas) " in table
    assert result["claims"] == 200 and result["rows"]["claims"] == 200
    assert set(result["ratios"]) == {"build", "validate", "load", "datasets", "duckdb"}  # --no-spark: no Spark ratio
    assert all(r > 0 for r in result["ratios"].values())
    assert set(result["steps"]) >= {"build", "build_floor", "validate", "read_table", "release", "load",
                                    "read_table_to_pandas", "datasets", "duckdb"}
    assert result["steps"]["datasets"]["rows"] == 200 and result["steps"]["duckdb"]["rows"] == 200
