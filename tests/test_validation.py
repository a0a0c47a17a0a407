"""Validation: corrupt a valid build one defect at a time and assert the exact failure reported."""

from __future__ import annotations

import json
import shutil

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from claimbank import generate
from claimbank.build import ValidationFailed, build
from claimbank.cli import main
from claimbank.problems import SLUGS, Failure, Problem, register_checks, semantic_checks
from claimbank.schema import load_schema, semantic
from claimbank.suites import load_suite_dicts, suite_dicts
from claimbank.validate import validate_folder
from conftest import curation_copy, repo_copy


def _rewrite(folder, table, change):
    path = next((folder / "data" / table).glob("*.parquet"))
    pq.write_table(change(pq.read_table(path)), path)


def _set(t: pa.Table, column: str, row: int, value) -> pa.Table:
    values = t.column(column).to_pylist()
    values[row] = value
    i = t.schema.get_field_index(column)
    field = t.schema.field(i)
    return t.set_column(i, pa.field(column, field.type, nullable=value is None or field.nullable), pa.array(values, field.type))


def _row(t: pa.Table, column: str, value) -> int:
    return t.column(column).to_pylist().index(value)


def _drop_speaker(t):
    return t.filter(pc.not_equal(t.column("speaker_id"), "two-inspectors"))


def _alter_quote(t):
    return _set(t, "quote", _row(t, "claim_id", "d900-c01"), "engineers found cracks")


def _duplicate_id(t):
    return _set(t, "claim_id", _row(t, "claim_id", "d900-c02"), "d900-c01")


def _label_outside(t):
    return _set(t, "veracity", _row(t, "claim_id", "d900-c02"), "true_ish")


def _null_required(t):
    return _set(t, "claim_text", _row(t, "claim_id", "d900-c02"), None)


def _span_past_end(t):
    return _set(t, "span_end", 0, 10_000)


def _wrong_type(t):
    i = t.schema.get_field_index("span_start")
    return t.set_column(i, "span_start", pc.cast(t.column(i), pa.string()))


def _missing_column(t):
    return t.drop_columns(["checkworthy"])


def _unexpected_column(t):
    return t.append_column("notes", pa.array(["x"] * t.num_rows))


def _checksum(t):
    return _set(t, "sha256", 0, "0" * 64)


# defect -> (table, corruption, the failures expected as (table, column, check, rows))
DEFECTS = {
    "referenced_row_dropped": ("speakers", _drop_speaker, [
        ("claims", "claimant_id", "foreign-key", [{"claim_id": "d900-c01"}]),
        ("sourcing", "source_id", "foreign-key", [{"claim_id": "d900-c01", "position": 2}]),
    ]),
    "quote_altered": ("claims", _alter_quote, [
        ("claims", "quote", "quote-matches-text", [{"claim_id": "d900-c01"}]),
    ]),
    "id_duplicated": ("claims", _duplicate_id, [
        ("claims", "claim_id", "unique", [{"claim_id": "d900-c01"}, {"claim_id": "d900-c01"}]),
        ("claims", "claimant_id", "claimant-ends-chain", [{"claim_id": "d900-c01"}]),
        # the rows of the claim whose id was overwritten are now orphans
        ("sourcing", "claim_id", "foreign-key", [{"claim_id": "d900-c02", "position": 0}]),
        ("verdicts", "claim_id", "foreign-key", [{"claim_id": "d900-c02"}]),
    ]),
    "label_outside_set": ("verdicts", _label_outside, [
        ("verdicts", "veracity", "label-set", [{"claim_id": "d900-c02"}]),
    ]),
    "null_in_required_column": ("claims", _null_required, [
        ("claims", "claim_text", "required", [{"claim_id": "d900-c02"}]),
    ]),
    "span_past_end_of_text": ("stances", _span_past_end, [
        ("stances", "quote", "stance-quote-matches-text", [{"claim_id": "d900-c01", "holder_id": "the-mayor"}]),
        ("stances", "_doc_length", "stance-span-inside-document", [{"claim_id": "d900-c01", "holder_id": "the-mayor"}]),
    ]),
    "column_of_wrong_type": ("claims", _wrong_type, [
        ("claims", "span_start", "arrow-type", []),
        ("claims", "span_start", "type", []),
        ("claims", "span_start", "minimum", []),
        ("claims", "quote", "quote-matches-text", [{"claim_id": "d900-c01"}, {"claim_id": "d900-c02"}]),
        ("claims", "span_end", "span-not-empty", []),
    ]),
    "column_missing": ("claims", _missing_column, [
        ("claims", None, "columns", []),
    ]),
    "unexpected_column": ("claims", _unexpected_column, [
        ("claims", None, "columns", []),
    ]),
    "checksum_no_longer_matches": ("documents", _checksum, [
        ("documents", "sha256", "sha256-matches-text", [{"doc_id": "d900"}]),
    ]),
}


@pytest.fixture(scope="module")
def valid_build(small_build_once):
    return small_build_once  # shared by the session: the tests copy it before corrupting it


def test_valid_build_passes_every_check(valid_build):
    report = validate_folder(valid_build)
    assert report.success, report.summary()
    assert report.checks > 200


@pytest.mark.slow  # the suites per defect
@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_defect_is_caught_with_a_precise_failure(defect, valid_build, tmp_path):
    folder = tmp_path / "corrupt"
    shutil.copytree(valid_build, folder)
    table, corrupt, expected = DEFECTS[defect]
    _rewrite(folder, table, corrupt)
    report = validate_folder(folder)
    got = [(f.table, f.column, f.check, f.rows) for f in report.failures]
    if defect == "column_missing":
        # the missing column also makes its own checks fail to run; the columns check names it
        assert ("claims", None, "columns", []) in got
        msg = next(f.message for f in report.failures if f.check == "columns")
        assert msg.endswith("missing column(s) checkworthy")
        assert {f.column for f in report.failures if f.check != "columns"} == {"checkworthy"}
    else:
        assert got == expected, report.summary()
    if defect == "unexpected_column":
        assert report.failures[0].message.endswith("unexpected column(s) notes")
    if defect == "column_of_wrong_type":
        assert report.failures[0].message == "stored as string, expected int32"


def test_missing_table_is_reported(valid_build, tmp_path):
    folder = tmp_path / "corrupt"
    shutil.copytree(valid_build, folder)
    shutil.rmtree(folder / "data" / "evidence")
    report = validate_folder(folder)
    assert [(f.table, f.check) for f in report.failures] == [("evidence", "table-present")]
    failure = report.failures[0]  # a problem like the curation's and verify's, of the table's folder
    assert isinstance(failure, Problem)
    assert (failure.slug, failure.file, failure.line, failure.field, failure.expected, failure.message) == (
        "table-present", "data/evidence/", None, "", "data/evidence/ holds the evidence table", "no Parquet file in data/evidence/")


def test_every_check_validation_reports_is_registered_with_a_description():
    schema = load_schema()
    register_checks(schema)
    reported = {"table-present", "table-readable", "arrow-type"}  # validate's own
    for suites in (load_suite_dicts(schema), suite_dicts(schema)):  # as committed, and as generated now
        reported |= {e["meta"]["check"] for suite in suites.values() for e in suite["expectations"]}
    assert sorted(c for c in reported if not SLUGS.get(c)) == []
    hand_written: dict[str, str] = {}  # slug -> the description of its first use
    for expectations in semantic(schema)["tables"].values():
        for e in expectations:
            hand_written.setdefault(e["meta"]["check"], e["meta"]["description"])
    assert semantic_checks(schema) == hand_written
    assert {c: SLUGS[c] for c in hand_written} == hand_written


def test_a_check_slug_is_registered_once(tmp_path):
    with pytest.raises(ValueError, match="^unknown problem slug 'no-such-check'$"):
        Failure.of("claims", "no-such-check", "quote", "claims.quote is fine", "claims.quote is fine: violated by 1 of 2 rows")
    root = tmp_path / "schema"
    shutil.copytree(load_schema().root, root)
    sem = json.loads((root / "semantic.json").read_text(encoding="utf-8"))
    sem["tables"]["claims"].append({"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "quote"},
                                    "meta": {"check": "required", "description": "claims.quote is never null"}})
    (root / "semantic.json").write_text(json.dumps(sem), encoding="utf-8")
    n = len(sem["tables"]["claims"]) - 1
    with pytest.raises(ValueError) as exc:
        semantic_checks(load_schema(root))
    assert str(exc.value) == (f"{root.resolve() / 'semantic.json'}: tables.claims[{n}]: the check 'required' is registered "
                              "already (A null in a column the schema requires.); expected a slug of its own")
    del sem["tables"]["claims"][n]["meta"]["check"]
    (root / "semantic.json").write_text(json.dumps(sem), encoding="utf-8")
    with pytest.raises(ValueError) as exc:
        suite_dicts(load_schema(root))  # what `claimbank generate` writes the suites from
    assert str(exc.value) == (f"{root.resolve() / 'semantic.json'}: tables.claims[{n}]: meta.check and meta.description "
                              "are required; expected a slug such as 'quote-matches-text' and the check in words")


def test_cli_exit_codes_summary_json_and_offline_html(valid_build, tmp_path, capsys):
    reports = tmp_path / "reports"
    assert main(["validate", str(valid_build), "--report-dir", str(reports)]) == 0
    results = json.loads((reports / "validation.json").read_text())
    assert results["success"] is True and results["checks"] > 0
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{valid_build}: valid — {results['checks']} checks over " + ", ".join(f"{t} {n}" for t, n in results["rows"].items()))
    folder = tmp_path / "corrupt"
    shutil.copytree(valid_build, folder)
    _rewrite(folder, "claims", _alter_quote)
    assert main(["validate", str(folder), "--report-dir", str(reports)]) == 1
    out, err = capsys.readouterr()
    assert "FAIL claims.quote [quote-matches-text]: claims.quote == documents.text[span_start:span_end]: violated by 1 of 2 rows; " \
           "e.g. ['engineers found cracks', 'engineers found “serious cracks” in the bridge']; rows: claim_id=d900-c01" in err
    assert out == f"report: {reports / 'validation.html'} (results: {reports / 'validation.json'})\n"
    results = json.loads((reports / "validation.json").read_text())
    assert results["success"] is False
    assert [(f["table"], f["check"], f["rows"]) for f in results["failures"]] == [("claims", "quote-matches-text", [{"claim_id": "d900-c01"}])]
    assert list(results["failures"][0]) == ["table", "check", "column", "description", "message", "unexpected_count",
                                            "examples", "rows"]
    page = (reports / "validation.html").read_text()
    assert "quote-matches-text" in page and "INVALID" in page
    assert "http://" not in page and "https://" not in page  # nothing fetched from elsewhere
    assert main(["validate", str(folder), "--json", "--report-dir", str(reports)]) == 1
    assert json.loads(capsys.readouterr().out)["failures"][0]["check"] == "quote-matches-text"


def _stricter_suites(tmp_path, monkeypatch, table: str, expectation: dict):
    """A copy of the repository whose schema/semantic.json adds ``expectation``, a check the curation reader does not
    make: what passes the reader and fails validation. The suites are regenerated from it."""
    root = repo_copy(tmp_path / "repo", data=curation_copy(tmp_path / "src"))
    path = root / "schema" / "semantic.json"
    semantic = json.loads(path.read_text(encoding="utf-8"))
    semantic["tables"].setdefault(table, []).append(expectation)
    path.write_text(json.dumps(semantic, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    monkeypatch.setenv("CLAIMBANK_ROOT", str(root))
    generate.write_all(release_files=False)
    return root / "data"


def test_build_refuses_output_that_fails_validation(tmp_path, monkeypatch):
    data = _stricter_suites(tmp_path, monkeypatch, "evidence", {
        "type": "expect_column_value_lengths_to_be_between", "kwargs": {"column": "excerpt", "max_value": 10},
        "meta": {"check": "excerpt-short", "description": "evidence.excerpt is at most 10 characters"}})
    out = tmp_path / "out"
    with pytest.raises(ValidationFailed) as exc:
        build(out=out, data=data)
    failures = exc.value.report.failures
    assert [(f.table, f.column, f.check, f.rows) for f in failures] == [
        ("evidence", "excerpt", "excerpt-short", [{"evidence_id": "d900-c01-e1"}])
    ]
    assert str(exc.value).endswith("Nothing was written.")
    assert not out.exists()


def test_build_cli_reports_validation_failure_and_exits_1(tmp_path, monkeypatch, capsys):
    data = _stricter_suites(tmp_path, monkeypatch, "documents", {
        "type": "expect_column_value_lengths_to_be_between", "kwargs": {"column": "title", "max_value": 5},
        "meta": {"check": "title-short", "description": "documents.title is at most 5 characters"}})
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "FAIL documents.title [title-short]: documents.title is at most 5 characters" in err
    assert err.rstrip().endswith("Nothing was written.")
    assert not (tmp_path / "out").exists()
