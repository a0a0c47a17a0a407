"""The second annotation: blind packets, the annotations table, agreement figures and their checks."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from claimbank.agreement import agreement, cohen_kappa
from claimbank.blind import packet, write_packets
from claimbank.curation import read_corpus
from claimbank.problems import CurationError
from claimbank.schema import load_schema
from conftest import REPO, story_copy


def test_kappa_of_a_textbook_table():
    """50 items: both yes 20, yes/no 5, no/yes 10, both no 15: p_o 0.7, p_e 0.5, κ 0.4."""
    pairs = [("y", "y")] * 20 + [("y", "n")] * 5 + [("n", "y")] * 10 + [("n", "n")] * 15
    assert cohen_kappa(pairs) == pytest.approx(0.4)
    assert cohen_kappa([("a", "a")] * 5) is None  # one label only: chance agreement is 1, κ undefined
    assert cohen_kappa([("a", "b"), ("b", "a")]) == pytest.approx(-1.0)


def test_the_story_fixture_annotations_become_rows(tmp_path):
    rows = read_corpus(story_copy(tmp_path)).rows["annotations"]
    got = [(r["annotator_id"], r["dimension"], r["label"], r["mutations"]) for r in rows]
    assert got == [
        ("a1", "checkworthy", "true", []), ("a1", "veracity", "not_enough_evidence", []), ("a1", "fidelity", "distorted", []),
        ("a1", "hop_fidelity", "distorted", []), ("a1", "mutations", None, ["source_changed", "quote_altered"]),
        ("a2", "checkworthy", "true", []), ("a2", "veracity", "not_enough_evidence", []), ("a2", "fidelity", "accurate", []),
        ("a2", "hop_fidelity", "distorted", []), ("a2", "mutations", None, ["quote_altered"]),
        ("adjudication", "fidelity", "distorted", []), ("adjudication", "mutations", None, ["source_changed", "quote_altered"]),
    ]
    [fidelity] = [a for a in agreement(rows, load_schema()) if a.dimension == "fidelity"]
    assert (fidelity.items, fidelity.raw, fidelity.kappa) == (1, 0.0, 0.0)  # no label shared: chance agreement 0


def _problems(data: Path) -> list[str]:
    with pytest.raises(CurationError) as exc:
        read_corpus(data)
    return [str(p) for p in exc.value.problems]


def test_a_disagreement_without_adjudication_is_refused(tmp_path):
    data = story_copy(tmp_path)
    (data / "annotations" / "round1" / "adjudication" / "d901.yaml").unlink()
    assert _problems(data) == [
        "data/annotations/round1/a2/d901.yaml:6: claims[0].fidelity: round 1: the annotators disagree on fidelity of d901-c01 "
        "(a1 distorted, a2 accurate); expected an adjudicated label with the reason it won. Fix: add d901-c01 fidelity to "
        "data/annotations/round1/adjudication/d901.yaml [unadjudicated]",
        "data/annotations/round1/a2/d901.yaml:10: links[0].mutations: round 1: the annotators disagree on mutations of d901-c01 "
        "(a1 [source_changed, quote_altered], a2 [quote_altered]); expected an adjudicated label with the reason it won. "
        "Fix: add d901-c01 mutations to data/annotations/round1/adjudication/d901.yaml [unadjudicated]",
    ]


def test_a_final_label_the_curation_does_not_publish_is_refused(tmp_path):
    data = story_copy(tmp_path)
    adj = data / "annotations" / "round1" / "adjudication" / "d901.yaml"
    adj.write_text(adj.read_text(encoding="utf-8").replace("label: distorted", "label: accurate"), encoding="utf-8")
    assert _problems(data) == [
        "data/annotations/round1/adjudication/d901.yaml:5: claims[0].fidelity: round 1's final fidelity of d901-c01 is accurate, "
        "the curation publishes distorted; expected the published label is the last round's final label. "
        "Fix: correct the claim's label in claims.yaml, or the annotation [not-published]",
    ]


def test_a_label_outside_its_set_is_refused_at_its_line(tmp_path):
    data = story_copy(tmp_path)
    a2 = data / "annotations" / "round1" / "a2" / "d901.yaml"
    a2.write_text(a2.read_text(encoding="utf-8").replace("label: not_enough_evidence", "label: unproven"), encoding="utf-8")
    assert _problems(data) == [
        "data/annotations/round1/a2/d901.yaml:5: claims[0].veracity.label: 'unproven' is not a veracity label; expected one of "
        "supported, refuted, misleading, not_enough_evidence, not_checkable. Fix: correct the label [not-in-label-set]",
    ]


def test_a_packet_holds_no_label_of_the_curator(tmp_path):
    """What a blind annotator reads: the text, the claims, sourcing and evidence, never a label or a rationale."""
    corpus = read_corpus(REPO / "data")
    verdicts = corpus.rows["verdicts"]
    secrets = [v[k] for v in verdicts for k in ("rationale", "fidelity_rationale") if v[k]]
    secrets += [k["rationale"] for k in corpus.rows["claim_links"] if k["rationale"]]
    write_packets(corpus, (REPO / "DATASHEET.md").read_text(encoding="utf-8"), tmp_path)
    for doc in corpus.rows["documents"]:
        text = (tmp_path / f"{doc['doc_id']}.yaml").read_text(encoding="utf-8")
        read = yaml.safe_load(text)
        keys = {k for c in read["claims"] for k in c} | {k for c in read["claims"] for e in c["evidence"] for k in e}
        keys |= {k for c in read["claims"] for s in c["sourcing"] for k in s} | {k for link in read["links"] for k in link}
        assert keys.isdisjoint({"checkworthy", "claim_type", "veracity", "fidelity", "confidence", "rationale", "relation",
                                "mutations", "stances", "fidelity_rationale"}), doc["doc_id"]
        assert not [s for s in secrets if s in text], doc["doc_id"]
        assert read["text"] == doc["text"]
    read, response = packet(corpus, "d005")
    assert [c["claim_id"] for c in response["claims"]] == [c["claim_id"] for c in read["claims"]]
    assert all(v == {"label": None, "confidence": None, "rationale": None}
               for c in response["claims"] for k, v in c.items() if k != "claim_id")


def _kappa(a: pd.Series, b: pd.Series) -> float:
    """Cohen's κ from a crosstab: an independent computation of what the datasheet prints."""
    table = pd.crosstab(a, b)
    labels = sorted(set(table.index) | set(table.columns))
    table = table.reindex(index=labels, columns=labels, fill_value=0)
    n = table.to_numpy().sum()
    p_o = table.to_numpy().trace() / n
    p_e = (table.sum(axis=1).to_numpy() * table.sum(axis=0).to_numpy()).sum() / n / n
    return (p_o - p_e) / (1 - p_e)


def test_the_datasheet_agreement_figures_are_recomputed_from_the_built_table(seed_build):
    """Every κ and raw agreement in DATASHEET.md, recomputed from the Parquet annotations of a build of data/."""
    frame = pq.read_table(seed_build / "data" / "annotations").to_pandas()
    if frame.empty:
        pytest.skip("the curation has no second annotation")
    datasheet = (REPO / "DATASHEET.md").read_text(encoding="utf-8")
    printed = {(int(m[0]), m[2]): (m[3], m[4], m[5]) for m in
               re.findall(r"^\| (\d+) \| (a1 vs a\d+) \| (\w+) \| (\d+) \| (-?[\d.]+|–) \| ([\d.]+)%", datasheet, re.M)}
    assert printed, "DATASHEET.md has no agreement table"
    frame["value"] = [("+".join(m) if d == "mutations" else l) for d, l, m in zip(frame.dimension, frame.label, frame.mutations)]
    for (rnd, dim), (items, kappa, raw) in printed.items():
        sub = frame[(frame["round"] == rnd) & (frame.dimension == dim)]
        wide = sub.pivot(index="claim_id", columns="annotator_id", values="value")
        other = [c for c in wide.columns if c not in ("a1", "adjudication")]
        assert len(other) == 1
        both = wide[["a1", other[0]]].dropna()
        assert len(both) == int(items), (rnd, dim)
        if dim == "mutations":
            names = load_schema().label_sets["mutation"].names
            a = pd.Series([m in v.split("+") for v in both["a1"] for m in names])
            b = pd.Series([m in v.split("+") for v in both[other[0]] for m in names])
        else:
            a, b = both["a1"], both[other[0]]
        assert f"{100 * (a == b).mean():.1f}" == raw, (rnd, dim)
        assert f"{_kappa(a, b):.3f}" == kappa, (rnd, dim)


def _rewrite(folder: Path, table: str, edit) -> None:
    """Replace a built table's Parquet file by ``edit(rows)``, keeping its Arrow schema."""
    import pyarrow as pa

    [path] = sorted((folder / "data" / table).glob("*.parquet"))
    t = pq.read_table(path)
    pq.write_table(pa.Table.from_pylist(edit(t.to_pylist()), schema=t.schema), path)


@pytest.mark.parametrize("full", [False, True], ids=["scans", "full"])
def test_the_suites_enforce_the_annotation_rules(story_build, full):
    """A not-checkworthy claim with a veracity verdict, a not_checkable verdict citing evidence as decisive,
    a disagreement without adjudication and a label outside its set all fail validation of the built folder."""
    from claimbank.validate import validate_folder

    claims = {c["claim_id"]: c for c in pq.read_table(story_build / "data" / "claims").to_pylist()}
    [not_worthy] = [c for c, row in claims.items() if row["checkworthy"] is False]
    cited = pq.read_table(story_build / "data" / "evidence").column("evidence_id")[0].as_py()

    def verdicts(rows):
        return [{**r, "veracity": "misleading"} if r["claim_id"] == not_worthy else r for r in rows]

    def annotations(rows):
        rows = [r for r in rows if not (r["annotator_id"] == "adjudication" and r["dimension"] == "fidelity")]
        return [{**r, "label": "unproven"} if (r["annotator_id"], r["dimension"]) == ("a2", "veracity") else r for r in rows]

    _rewrite(story_build, "verdicts", verdicts)
    assert validate_folder(story_build, full=full).failures[0].check == "not-checkworthy-not-checkable"
    _rewrite(story_build, "verdicts", lambda rows: [{**r, "veracity": "not_checkable"} if r["claim_id"] == not_worthy else r
                                                    for r in rows])
    _rewrite(story_build, "evidence", lambda rows: [{**r, "claim_id": not_worthy, "evidence_id": f"{not_worthy}-e9", "relation": "supports"}
                                                    if r["evidence_id"] == cited else r for r in rows])
    _rewrite(story_build, "annotations", annotations)
    report = validate_folder(story_build, full=full)
    got = sorted((f.table, f.check, f.unexpected_count) for f in report.failures)
    assert got == [("annotations", "annotation-label-in-set", 1), ("annotations", "disagreement-adjudicated", 4),  # fidelity, and veracity where a2 says "unproven"
                   ("verdicts", "not-checkable-without-decisive-evidence", 1)]


def test_the_card_shows_the_agreement_of_its_own_tables(story_build):
    """The build's card states what its annotations table gives: here one claim, on whose fidelity a1 and a2 differ."""
    card = (story_build / "README.md").read_text(encoding="utf-8")
    assert "## Annotation agreement" in card
    assert "| 1 | a1 vs a2 | fidelity | 1 | 0.000 | 0.0% |" in card
    assert "| 1 | a1 vs a2 | veracity | 1 | – | 100.0% |" in card  # one label only: κ undefined
    assert "compared with blind second annotations in 1 round and adjudicated" in card
