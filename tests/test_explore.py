"""The explorer page without a browser: determinism, escaping, segmentation and errors."""

from __future__ import annotations

import pytest

import json
import re

from claimbank.build import build
from claimbank.cli import main
from claimbank.explore import TABLES, _segments, explorer_data, render_explorer, script_json
from claimbank.folders import read_rows

from conftest import curation_copy


@pytest.mark.slow  # two builds of its own
def test_same_curation_gives_byte_identical_pages(tmp_path, capsys):
    data = curation_copy(tmp_path / "src")
    a = build(out=tmp_path / "a", data=data)
    b = build(out=tmp_path / "b", data=data)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["explore", str(a)]) == 0  # default: the page on standard output, no file written anywhere
    page = capsys.readouterr().out.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert main(["explore", str(b), "--out", str(tmp_path / "b.html")]) == 0
    assert (tmp_path / "b.html").read_bytes() == page
    assert render_explorer(a).encode("utf-8") == page


def test_the_page_embeds_its_data_as_escaped_json_and_loads_nothing(seed_build):
    page = render_explorer(seed_build)
    blocks = re.findall(r'<script type="application/json" id="claimbank-data">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    data = blocks[0]
    assert not set("<>&\u2028\u2029") & set(data)
    assert json.loads(data) == json.loads(json.dumps(explorer_data(seed_build), default=str))
    assert not re.search(r'\b(src|href)\s*=\s*"(https?:)?//', page)  # no CDN, no external file
    assert "default-src 'none'" in page and "connect-src 'none'" in page
    assert page.count("<script") == 2


def test_script_json_escapes_what_could_end_or_break_a_script():
    text = script_json({"a": "</script><!-- & \u2028\u2029 🌉"})
    assert text == '{"a":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029 🌉"}'
    assert json.loads(text) == {"a": "</script><!-- & \u2028\u2029 🌉"}


def test_segments_cut_at_every_boundary_in_code_points():
    text = "🌉 abcdefghij"
    spans = [(2, 8, "claim", "A"), (4, 6, "claim", "B"), (6, 12, "claim", "C"), (3, 4, "cue", "A#1")]
    segs = _segments(text, spans)
    assert "".join(s for s, _ in segs) == text
    assert segs == [
        ["🌉 ", {}],
        ["a", {"claim": ["A"]}],
        ["b", {"claim": ["A"], "cue": ["A#1"]}],
        ["cd", {"claim": ["A", "B"]}],
        ["ef", {"claim": ["A", "C"]}],
        ["ghij", {"claim": ["C"]}],
    ]
    for start, end, kind, key in spans:
        assert "".join(s for s, cover in segs if key in cover.get(kind, [])) == text[start:end]


def test_seed_segments_give_back_the_text_and_every_quote(seed_build):
    model = explorer_data(seed_build)
    rows = read_rows(seed_build, TABLES)
    texts = {d["doc_id"]: d["text"] for d in rows["documents"]}
    assert [d["doc_id"] for d in model["documents"]] == sorted(texts)
    for doc in model["documents"]:
        text = "".join(s for s, _ in doc["segments"])
        assert text == texts[doc["doc_id"]] and len(text) == doc["char_count"]
        for cid in doc["claim_ids"]:
            c = model["claims"][cid]
            assert "".join(s for s, cover in doc["segments"] if cid in cover.get("claim", [])) == c["quote"]
            assert text[c["span_start"]:c["span_end"]] == c["quote"]
    assert sorted(model["claims"]) == sorted(c["claim_id"] for c in rows["claims"])


def test_explore_on_a_folder_without_tables_says_what_to_pass(tmp_path, capsys):
    (tmp_path / "notabuild").mkdir()
    assert main(["explore", str(tmp_path / "notabuild"), "--out", str(tmp_path / "x.html")]) == 2
    err = capsys.readouterr().err
    assert "notabuild: not a build or release folder" in err
    assert "data/documents/" in err and "claimbank build --out DIR" in err and "releases/VERSION/" in err
    assert not (tmp_path / "x.html").exists()
    assert main(["explore", str(tmp_path / "missing")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_a_release_layout_with_sharded_tables_gives_the_same_outputs(small_build, tmp_path):
    """A release folder has data/<table>/ but no build.json, and a table may be split over several files."""
    import shutil

    import pyarrow.parquet as pq

    from claimbank.claimreview import render_claimreview

    release = tmp_path / "release"
    shutil.copytree(small_build / "data", release / "data")
    (release / "README.md").write_text("card\n", encoding="utf-8")
    for table in ("claims", "verdicts", "sourcing"):
        (path,) = (release / "data" / table).glob("*.parquet")
        t = pq.read_table(path)
        assert t.num_rows >= 2
        path.unlink()
        pq.write_table(t.slice(0, 1), release / "data" / table / f"{table}-00000-of-00002.parquet")
        pq.write_table(t.slice(1), release / "data" / table / f"{table}-00001-of-00002.parquet")
    assert not (release / "build.json").exists()
    assert render_explorer(release) == render_explorer(small_build)
    assert render_claimreview(release, "https://example.org/c/") == render_claimreview(small_build, "https://example.org/c/")
    assert len(explorer_data(release)["claims"]) == 2
