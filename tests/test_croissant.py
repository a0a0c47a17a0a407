"""croissant.json of a release: the dataset url, RAI conformance, the annotation protocol, label sets as
enumerations the label fields reference, and every record set read correctly through one mlcroissant Dataset."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import mlcroissant as mlc
import numpy as np
import pyarrow.parquet as pq
import pytest

from claimbank.release import ReleaseError, cut_release
from claimbank.schema import load_schema
from conftest import HUB_TEST_URL, curation_copy

SCHEMA = load_schema()


def _meta(folder: Path) -> dict:
    return json.loads((folder / "croissant.json").read_text(encoding="utf-8"))


def _plain(value):
    """An mlcroissant value as the Parquet reader gives it."""
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _rows(records, name: str) -> list[tuple]:
    out = [tuple((k.split("/", 1)[1], _plain(v)) for k, v in sorted(r.items())) for r in records]
    return sorted(out, key=repr)


def _expected(folder: Path, name: str) -> list[tuple]:
    if name in SCHEMA.tables:
        rows = pq.read_table(folder / "data" / name).to_pylist()
    else:  # a label set
        rows = [{"id": i, "label": label.name, "description": label.description}
                for i, label in enumerate(SCHEMA.label_sets[name].labels)]
    return sorted((tuple(sorted(r.items())) for r in rows), key=repr)


def test_dataset_url_conforms_to_rai_and_validates_without_warnings(story_release):
    meta = _meta(story_release)
    assert meta["url"] == HUB_TEST_URL
    assert meta["conformsTo"] == ["http://mlcommons.org/croissant/1.0", "http://mlcommons.org/croissant/RAI/1.0"]
    cli = Path(sys.executable).parent / "mlcroissant"
    proc = subprocess.run([str(cli), "validate", "--jsonld", str(story_release / "croissant.json")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "Done." in proc.stderr
    assert not [line for line in proc.stderr.splitlines() if line.startswith(("W", "E"))], proc.stderr


def test_annotation_protocol_is_the_summary_of_the_rules(story_release):
    meta = _meta(story_release)
    protocol = meta["rai:dataAnnotationProtocol"]
    datasheet = (story_release / "DATASHEET.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- rai:dataAnnotationProtocol -->\n(.*?)\n<!-- /rai -->", datasheet, re.S).group(1)
    assert len(protocol) == block.count("\n- ") + 1 >= 10
    heads = [p.split(".", 1)[0] for p in protocol]
    assert heads == ["Claims", "Claim type and check-worthiness", "Claim date", "Sourcing chain", "Stances", "Fidelity",
                     "Veracity", "Confidence", "Evidence", "Links across a story"]
    assert "The quote is the shortest contiguous passage carrying the whole assertion" in protocol[0]
    assert all("**" not in p and "\n" not in p for p in protocol)


def test_label_sets_are_enumerations_that_label_fields_reference(story_release):
    meta = _meta(story_release)
    record_sets = {rs["@id"]: rs for rs in meta["recordSet"]}
    files = {d["@id"]: d for d in meta["distribution"]}
    for ls in SCHEMA.label_sets.values():
        rs = record_sets[ls.name]
        assert rs["dataType"] == "sc:Enumeration" and rs["key"] == {"@id": f"{ls.name}/label"}
        assert files[f"labels/{ls.name}.csv"]["encodingFormat"] == "text/csv"
    seen = 0
    for table in SCHEMA.tables.values():
        fields = {f["name"]: f for f in record_sets[table.name]["field"]}
        for f in table.fields:
            if f.label_set is not None:
                assert fields[f.name]["references"] == {"fileObject": {"@id": f"labels/{f.label_set.name}.csv"},
                                                        "extract": {"column": "label"}}
                seen += 1
        for fk in table.foreign_keys:
            assert "references" in fields[fk.fields[0]], (table.name, fk)
    assert seen == sum(1 for t in SCHEMA.tables.values() for f in t.fields if f.label_set is not None) > 10


@pytest.mark.slow  # mlcroissant reads 24 record sets twice
def test_every_record_set_reads_correctly_through_one_dataset_in_any_order(story_release):
    """mlcroissant caches a referenced record set's records inside a Dataset: with {"field": ...} references,
    claims after documents fails in a Join and documents after claims yields column names. The references name
    the files' columns instead, and every read is right."""
    logging.disable(logging.WARNING)
    try:
        names = [rs["@id"] for rs in _meta(story_release)["recordSet"]]
        assert names[:len(SCHEMA.table_names)] == SCHEMA.table_names and len(names) == len(SCHEMA.table_names) + len(SCHEMA.label_sets)
        expected = {n: _expected(story_release, n) for n in names}
        for order in (names, names[::-1]):
            ds = mlc.Dataset(jsonld=str(story_release / "croissant.json"))
            for name in order:
                got = _rows(ds.records(record_set=name), name)
                assert got == expected[name], name
    finally:
        logging.disable(logging.NOTSET)


def test_the_foreign_keys_the_old_form_could_not_state_are_references_now(story_release):
    fields = {f["@id"]: f for rs in _meta(story_release)["recordSet"] for f in rs["field"]}
    # a record set referring to itself, and the two that referred to each other in a cycle
    assert fields["speakers/affiliation_id"]["references"] == {"fileSet": {"@id": "speakers-parquet"}, "extract": {"column": "speaker_id"}}
    assert fields["documents/derived_from"]["references"] == {"fileSet": {"@id": "documents-parquet"}, "extract": {"column": "doc_id"}}
    assert fields["stories/origin_doc_id"]["references"] == {"fileSet": {"@id": "documents-parquet"}, "extract": {"column": "doc_id"}}
    # a field with two foreign keys references the first and states the second
    assert fields["evidence/claim_id"]["references"] == {"fileSet": {"@id": "claims-parquet"}, "extract": {"column": "claim_id"}}
    assert fields["evidence/claim_id"]["description"].endswith(
        "Foreign key to verdicts.claim_id as well (a Croissant field references one target).")


def test_a_release_needs_a_true_url(tmp_path):
    data = curation_copy(tmp_path / "src")
    with pytest.raises(ReleaseError) as exc:
        cut_release("1.0.0", releases_dir=tmp_path / "releases", data=data, check_project=False, date="2026-01-01")
    assert str(exc.value) == (
        "release 1.0.0 needs the dataset's URL, which croissant.json states (Croissant 1.0 requires it) and the card "
        "links; none was given and pyproject.toml has no Dataset or Homepage in [project.urls]. Fix: pass --url URL "
        "(e.g. the Hugging Face dataset page https://huggingface.co/datasets/OWNER/NAME you will publish to), or add "
        'Dataset = "URL" under [project.urls] in pyproject.toml')
    with pytest.raises(ReleaseError) as exc:
        cut_release("1.0.0", releases_dir=tmp_path / "releases", data=data, check_project=False, date="2026-01-01",
                    url="huggingface.co/datasets/x/y")
    assert str(exc.value) == (
        "the dataset URL 'huggingface.co/datasets/x/y' (--url) is not an http(s) address with a host name (or a "
        "file:/// address for a local release). Fix: give the full address, e.g. https://huggingface.co/datasets/OWNER/NAME")
    assert not (tmp_path / "releases").exists()
