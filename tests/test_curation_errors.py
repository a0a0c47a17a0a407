"""Every class of curation error, one fixture per defect (tests/fixtures/curation/<defect>.json).

Each fixture names the edit that introduces the defect and the exact messages the build must
print: file, line, field, what was expected, the fix and the stable slug.
"""

from __future__ import annotations

import json

import pytest

from claimbank.cli import main
from conftest import curation_copy, defect_messages, defect_names, tree_bytes

DEFECTS = defect_names()


def test_every_required_defect_class_has_a_fixture():
    required = {
        "yaml_syntax", "unknown_field", "missing_field", "wrong_type", "label_outside_set", "duplicate_id",
        "unknown_reference", "quote_not_found", "quote_ambiguous", "stated_offset_mismatch", "quote_typographic_near_miss",
        # hardening (issue 13): data loss, YAML 1.1 typing, tracebacks and hangs, paths outside data/, bounded hints,
        # input accepted but wrong, messages that point the wrong way
        "claims_yaml_empty", "claims_yaml_comments_only", "document_yaml_empty", "speakers_yaml_empty",
        "yaml11_yes_no_are_not_booleans", "yaml11_boolean_hint_quotes_value_as_written",
        "yaml11_leading_zeros_hint_quotes_value_as_written", "yaml11_sexagesimal_value", "yaml11_hex_value",
        "yaml11_binary_value", "yaml11_inf_nan_values", "list_item_wrong_type_names_its_index",
        "text_file_is_a_folder", "text_file_is_a_fifo", "claims_yaml_is_a_fifo", "claims_yaml_is_a_folder",
        "yaml_nesting_1000_deep", "yaml_nesting_40_deep", "yaml_nul_byte",
        "claims_yaml_links_outside_data", "document_yaml_links_outside_data", "speakers_yaml_links_outside_data",
        "text_links_outside_data", "document_folder_links_outside_data",
        "quote_ambiguous_many_occurrences_capped",
        "quote_trailing_whitespace", "quote_leading_whitespace", "affiliation_cycle", "speaker_affiliated_to_itself",
        "text_with_control_characters", "yaml_anchor_without_alias",
        "yaml_unclosed_quote", "yaml_unclosed_quote_at_end_of_file", "yaml_alias_points_at_alias", "text_not_nfc_has_line",
        "required_field_null_at_its_line", "document_error_keeps_claims_problems",
        "unknown_reference_unrelated_id_no_suggestion",
        # found by tests/test_robustness.py: a value the reader took but the validation suites refused
        "evidence_url_without_host_name", "date_outside_range",
    }
    assert required <= set(DEFECTS)


@pytest.mark.parametrize("defect", DEFECTS)
def test_defect_is_reported_word_for_word_and_nothing_is_written(defect, tmp_path, capsys):
    data = curation_copy(tmp_path, defect)
    out = tmp_path / "out"
    assert main(["build", "--data", str(data), "--out", str(out)]) == 1
    lines = capsys.readouterr().err.splitlines()
    expected = defect_messages(defect)
    assert expected, f"fixture {defect} lists no message"
    assert lines[:-1] == expected
    n = len(expected)
    assert lines[-1] == f"{n} problem{'s' if n != 1 else ''} found; nothing was written."
    assert not out.exists()


@pytest.mark.slow  # a valid build per defect first
@pytest.mark.parametrize("defect", ["quote_not_found", "yaml_syntax", "checksum_mismatch"])
def test_failed_build_leaves_previous_output_byte_identical(defect, tmp_path, capsys):
    out = tmp_path / "out"
    good = curation_copy(tmp_path / "good")
    assert main(["build", "--data", str(good), "--out", str(out)]) == 0
    before = tree_bytes(out)
    bad = curation_copy(tmp_path / "bad", defect)
    assert main(["build", "--data", str(bad), "--out", str(out)]) == 1
    assert tree_bytes(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "good", "out"]  # no stray temporary folder


def test_problems_as_json_carry_slug_file_line_field_and_fix(tmp_path, capsys):
    data = curation_copy(tmp_path, "many_problems_at_once")
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "out"), "--json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert [(p["slug"], p["file"], p["line"], p["field"]) for p in problems] == [
        ("unknown-reference", "data/documents/d900/claims.yaml", 5, "claims[0].claimant_id"),
        ("not-in-label-set", "data/documents/d900/claims.yaml", 45, "claims[1].claim_type"),
        ("not-in-label-set", "data/speakers.yaml", 4, "speakers[0].kind"),
    ]
    assert all(p["fix"] and p["expected"] for p in problems)
