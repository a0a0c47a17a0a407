"""Stories: documents that re-report an origin, claims linked hop by hop, and the checks on them.

A two-document story (tests/fixtures/story: d901 takes the test curation's d900 and renders its
claim d900-c01) is built for real; each defect below is introduced into it and must be reported by
the curation reader or, written into the Parquet files directly, by the validation suites.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from claimbank.build import build
from claimbank.cli import main
from claimbank.explore import changed_words, explorer_data
from claimbank.validate import validate_folder
from conftest import curation_copy, story_copy

def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(data: Path, tmp_path: Path, capsys) -> list[str]:
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()
    return capsys.readouterr().err.splitlines()[:-1]


def test_a_story_builds_into_stories_links_and_mutations(tmp_path):
    out = build(out=tmp_path / "out", data=story_copy(tmp_path / "src"))
    links = pq.read_table(out / "data" / "claim_links").to_pylist()
    assert [(l["claim_id"], l["doc_id"], l["source_claim_id"], l["source_doc_id"], l["story_id"], l["fidelity"])
            for l in links] == [("d901-c01", "d901", "d900-c01", "d900", "bridge-cracks", "distorted")]
    muts = pq.read_table(out / "data" / "link_mutations").to_pylist()
    assert sorted(m["mutation"] for m in muts) == ["quote_altered", "source_changed"]
    docs = {d["doc_id"]: d for d in pq.read_table(out / "data" / "documents").to_pylist()}
    assert (docs["d901"]["derived_from"], docs["d901"]["text_scope"], docs["d900"]["text_scope"]) == ("d900", "excerpt", "full")
    sourcing = pq.read_table(out / "data" / "sourcing").to_pylist()
    assert [s["described_as"] for s in sourcing if s["claim_id"] == "d901-c01"] == [None, None, "Inspectors"]


def test_link_inside_one_document_is_refused(tmp_path, capsys):
    data = story_copy(tmp_path)
    edit(data / "documents/d901/claims.yaml", "source_claim_id: d900-c01", "source_claim_id: d901-c01")
    assert problems(data, tmp_path, capsys) == [
        "data/documents/d901/claims.yaml:21: claims[0].link.source_claim_id: 'd901-c01' is a claim of the same document; "
        "expected a claim of an earlier document of the story. Fix: link to the claim this one was taken from in another "
        "document, or remove the link [bad-reference]"]


def test_derivation_cycle_is_refused(tmp_path, capsys):
    data = story_copy(tmp_path)
    with open(data / "documents/d900/document.yaml", "a", encoding="utf-8") as f:
        f.write("derived_from: d901\n")
    lines = problems(data, tmp_path, capsys)
    assert ("data/documents/d900/document.yaml:15: document.derived_from: documents derive from each other: "
            "d900 <- d901 <- d900; expected a derivation graph without cycles, ending at the story's origin. "
            "Fix: correct derived_from in one of these documents [derivation-cycle]") in lines


def test_link_outside_the_derivation_is_refused(tmp_path, capsys):
    data = story_copy(tmp_path)
    # a third document taken from d901 that links past it to a claim it was not taken from is fine only via the origin;
    # here d901 claims to be taken from no document and links to a claim of a document that is not the origin
    third = data / "documents" / "d902"
    shutil.copytree(data / "documents" / "d901", third)
    edit(third / "document.yaml", "doc_id: d901", "doc_id: d902")
    edit(third / "claims.yaml", "claim_id: d901-c01", "claim_id: d902-c01")
    edit(data / "documents/d901/document.yaml", "derived_from: d900", "derived_from: null")
    edit(third / "document.yaml", "derived_from: d900", "derived_from: null")
    edit(third / "claims.yaml", "source_claim_id: d900-c01", "source_claim_id: d901-c01")
    assert problems(data, tmp_path, capsys) == [
        "data/documents/d902/claims.yaml:21: claims[0].link.source_claim_id: d902-c01 links to d901-c01 in d901, but d902 "
        "was taken from no known document and the story's origin is d900; expected a claim of the document it was taken "
        "from (derived_from), else of the story's origin. Fix: link to a claim of d900, or correct derived_from [bad-link]"]


def test_unknown_mutation_is_named_with_its_index(tmp_path, capsys):
    data = story_copy(tmp_path)
    edit(data / "documents/d901/claims.yaml", "[source_changed, quote_altered]", "[source_changed, quote_alterd]")
    assert problems(data, tmp_path, capsys) == [
        "data/documents/d901/claims.yaml:23: claims[0].link.mutations[1]: 'quote_alterd' is not in label set mutation; "
        "expected one of source_dropped, source_changed, source_added, hedge_dropped, hedge_added, certainty_raised, "
        "certainty_lowered, quote_altered, number_changed, date_changed, entity_changed, detail_omitted, detail_added, "
        "translation_shift, misattribution, framing_added. Fix: did you mean 'quote_altered'? use one of those labels "
        "(described in schema/labels.json) [not-in-label-set]"]


def _rewrite(folder: Path, table: str, column: str, values: list) -> None:
    path = next((folder / "data" / table).glob("*.parquet"))
    t = pq.read_table(path)
    i = t.schema.get_field_index(column)
    t = t.set_column(i, t.schema.field(i), pa.array(values, t.schema.field(i).type))
    pq.write_table(t, path)


@pytest.mark.parametrize("defect, check", [
    ("link_inside_one_document", "link-crosses-documents"),
    ("derivation_cycle", "derivation-acyclic"),
    ("link_to_a_later_document", "link-source-not-later"),
    ("link_outside_lineage", "link-in-lineage"),
])
@pytest.mark.slow  # the suites per defect
def test_validation_catches_story_defects_written_into_parquet(defect, check, tmp_path):
    out = build(out=tmp_path / "out", data=story_copy(tmp_path / "src"))
    assert validate_folder(out).success
    docs = pq.read_table(next((out / "data" / "documents").glob("*.parquet"))).to_pylist()
    order = [d["doc_id"] for d in docs]
    if defect == "link_inside_one_document":
        _rewrite(out, "claim_links", "source_doc_id", ["d901"])
    elif defect == "derivation_cycle":
        _rewrite(out, "documents", "derived_from", ["d901" if d == "d900" else "d900" for d in order])
    elif defect == "link_to_a_later_document":
        import datetime as dt
        _rewrite(out, "documents", "published_date",
                 [dt.date(2024, 7, 1) if d == "d900" else dt.date(2024, 6, 2) for d in order])
        _rewrite(out, "documents", "published_date_precision", ["day", "day"])
    elif defect == "link_outside_lineage":
        _rewrite(out, "documents", "derived_from", [None, None])
        (out / "data" / "stories").mkdir(exist_ok=True)
        _rewrite(out, "stories", "origin_doc_id", ["d901"])
    report = validate_folder(out)
    assert check in {f.check for f in report.failures}, report.summary()


def test_changed_words_marks_only_what_differs_and_gives_the_text_back():
    segs = changed_words("Putin rejected it and pressed ahead", "Putin rejected the deal and pressed ahead")
    assert "".join(t for t, _ in segs) == "Putin rejected the deal and pressed ahead"
    assert [t.strip() for t, changed in segs if changed] == ["the deal"]


def test_explorer_story_model_groups_renderings_under_the_origin_claim(tmp_path):
    out = build(out=tmp_path / "out", data=story_copy(tmp_path / "src"))
    [story] = explorer_data(out)["stories"]
    assert [d["doc_id"] for d in story["documents"]] == ["d900", "d901"]
    [group] = story["origin_claims"]
    assert group["claim_id"] == "d900-c01"
    [r] = group["renderings"]
    assert (r["claim_id"], r["fidelity"], r["mutations"]) == ("d901-c01", "distorted", ["quote_altered", "source_changed"])
    # the finders changed; the quotation marks that went are not in the rendering, the words kept are not marked
    assert [t for t, changed in r["diff"] if changed] == ["Inspectors "]


def test_new_scaffolds_a_document_that_the_build_reads(tmp_path, capsys):
    data = curation_copy(tmp_path)
    text = tmp_path / "article.txt"
    text.write_bytes("Headline\n\nFirst paragraph.\n".encode("utf-8"))
    assert main(["new", "d950", "--text", str(text), "--url", "https://example.org/a", "--data", str(data)]) == 0
    folder = data / "documents" / "d950"
    assert (folder / "text.txt").read_bytes() == text.read_bytes()
    assert "claims: []" in (folder / "claims.yaml").read_text(encoding="utf-8")
    capsys.readouterr()
    # the one thing the template cannot know is asked for by the build, precisely
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "data/documents/d950/document.yaml:17: document.text_rights: required field 'text_rights' is null; "
        "expected string: Who holds the copyright of the text. Fix: write the text_rights after 'text_rights:' "
        "(a required field cannot be null) [missing-field]")
    edit(folder / "document.yaml", "text_rights: null ", "text_rights: Example Ltd ")
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 0


def test_new_refuses_an_existing_folder_and_a_crlf_text(tmp_path, capsys):
    data = curation_copy(tmp_path)
    text = tmp_path / "a.txt"
    text.write_bytes(b"one\r\ntwo\r\n")
    assert main(["new", "d951", "--text", str(text), "--data", str(data)]) == 1
    assert capsys.readouterr().err.strip() == (
        f"error: {text}:1: a CR (\\r) line end; re-save the text as UTF-8 without BOM, with LF line ends, in Unicode NFC")
    assert not (data / "documents" / "d951").exists()
    assert main(["new", "d900", "--text", str(text), "--data", str(data)]) == 1
    assert "already exists; choose the next free id" in capsys.readouterr().err


def test_curator_guide_names_every_field_a_curator_writes():
    """data/README.md is the curator's guide: every column a curator writes is named in it."""
    from claimbank.schema import load_schema

    guide = (Path(__file__).resolve().parent.parent / "data" / "README.md").read_text(encoding="utf-8")
    derived = {"documents": {"text", "char_count", "published_date_precision"},
               "claims": {"doc_id", "span_start", "span_end", "claim_date_precision"},
               "sourcing": {"claim_id", "position", "role", "cue_start", "cue_end"},
               "stances": {"claim_id", "doc_id", "span_start", "span_end"},
               "verdicts": {"claim_id"}, "evidence": {"claim_id", "published_date_precision"},
               "claim_links": {"claim_id", "doc_id", "source_doc_id", "story_id"}, "link_mutations": {"claim_id", "mutation"},
               "annotations": {"annotator_id", "round", "dimension"}}
    schema = load_schema()
    missing = [f"{t}.{f.name}" for t in schema.table_names for f in schema[t].fields
               if f.name not in derived.get(t, set()) and f"{f.name}:" not in guide and f"`{f.name}`" not in guide]
    assert missing == []


def _blocks(markdown: str, lang: str) -> list[str]:
    import re

    return re.findall(rf"```{lang}\n(.*?)```", markdown, flags=re.S)


def test_the_story_query_in_the_docs_gives_the_answer_the_docs_print():
    """docs/STORIES.md: the pandas code and the DuckDB query run on the release and print the answer shown."""
    import os
    import subprocess
    import sys

    import duckdb

    root = Path(__file__).resolve().parent.parent
    doc = (root / "docs" / "STORIES.md").read_text(encoding="utf-8")
    [code], [sql], [answer] = _blocks(doc, "python"), _blocks(doc, "sql"), _blocks(doc, "text")
    env = {**os.environ, "CLAIMBANK_ROOT": str(root)}
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True).stdout
    assert out == answer
    rows = duckdb.connect().execute(sql.replace("'releases/", f"'{root}/releases/")).fetchall()
    expected = [line.split() for line in answer.splitlines()[1:]]
    assert [r[1] for r in rows] == [next(w for w in e if w.startswith("d0")) for e in expected]
    by_claim = {r[1]: r for r in rows}
    for line in answer.splitlines()[1:]:
        cid = next(w for w in line.split() if w.startswith("d0"))
        printed = set(line.split(cid, 1)[1].replace(",", " ").split())
        queried = {m for cell in by_claim[cid][2:] if cell for m in cell.split(", ")}
        assert printed == queried
