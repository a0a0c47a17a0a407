"""Bad input may not lose data, crash, hang or mislead (issue 13): what the fixtures of
tests/fixtures/curation/ cannot show, because the input is valid or the point is time, memory or files."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from claimbank import yamlsafe
from claimbank.build import build
from claimbank.cli import main
from claimbank.files import _host, remove_stale
from claimbank.spans import SpanError, locate
from conftest import curation_copy, tree_bytes


# -- 1. an empty list is said, never assumed ----------------------------------------------------------------

def test_a_document_without_claims_says_claims_empty_list(tmp_path):
    data = curation_copy(tmp_path / "src")
    (data / "documents/d900/claims.yaml").write_text("# nothing claimed in this document\nclaims: []\n", encoding="utf-8")
    out = build(out=tmp_path / "out", data=data)
    assert pq.read_table(out / "data/claims").num_rows == 0
    assert pq.read_table(out / "data/documents").num_rows == 1


@pytest.mark.slow  # a valid build per case first
@pytest.mark.parametrize("name", ["data/speakers.yaml", "data/documents/d900/document.yaml", "data/documents/d900/claims.yaml"])
def test_an_emptied_file_keeps_the_previous_output(name, tmp_path, capsys):
    data = curation_copy(tmp_path / "src")
    out = build(out=tmp_path / "out", data=data)
    before = tree_bytes(out)
    (tmp_path / "src" / name).write_text("# emptied by mistake\n", encoding="utf-8")
    assert main(["build", "--data", str(data), "--out", str(out)]) == 1
    assert f"{name}: the file holds no data (it is empty or has only comments)" in capsys.readouterr().err
    assert tree_bytes(out) == before


# -- 2. the YAML 1.2 core schema ----------------------------------------------------------------------------

@pytest.mark.parametrize("written, value", [
    ("true", True), ("False", False), ("TRUE", True),
    ("yes", "yes"), ("no", "no"), ("NO", "NO"), ("on", "on"), ("off", "off"), ("y", "y"), ("n", "n"),
    ("12", 12), ("-3", -3), ("0012", 12), ("1.5", 1.5), (".5", 0.5), ("1e3", 1000.0),
    ("3:2", "3:2"), ("1:30", "1:30"), ("0x1F", "0x1F"), ("0o17", "0o17"), ("0b11", "0b11"), ("1_000", "1_000"),
    (".inf", ".inf"), ("-.inf", "-.inf"), (".NaN", ".NaN"), (".nan", ".nan"),
    ("null", None), ("~", None), ("", None), ("2024-06-01", "2024-06-01"), ("d900-c01", "d900-c01"),
])
def test_plain_scalars_follow_the_yaml_1_2_core_schema(written, value):
    loaded = yamlsafe.load(f"key: {written}\n", "f.yaml")
    assert loaded == {"key": value}
    assert type(loaded["key"]) is type(value)
    if not isinstance(value, str):
        assert loaded.source("key") == written  # how it was written, for the hints


def test_yaml_1_1_words_are_text_where_text_is_expected(tmp_path):
    data = curation_copy(tmp_path / "src")
    speakers = data / "speakers.yaml"
    speakers.write_text(speakers.read_text(encoding="utf-8").replace("    description: The mayor of the town.\n", "    description: no\n"),
                        encoding="utf-8")
    claims = data / "documents/d900/claims.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("    topics: [infrastructure]\n", "    topics: [on, 3:2, .inf]\n"),
                      encoding="utf-8")
    out = build(out=tmp_path / "out", data=data)
    rows = {r["speaker_id"]: r for r in pq.read_table(out / "data/speakers").to_pylist()}
    assert rows["the-mayor"]["description"] == "no"
    topics = {r["claim_id"]: r["topics"] for r in pq.read_table(out / "data/claims").to_pylist()}
    assert topics["d900-c01"] == ["on", "3:2", ".inf"]


# -- 5. hints in near-linear time, bounded memory, capped size ----------------------------------------------

def _prose(n: int) -> str:
    words = ("the mayor said that engineers found serious cracks in the bridge which will reopen on monday "
             "according to two inspectors who asked not to be named while the gazette reported").split()
    out, k, size = [], 0, 0
    while size < n:  # a text with no long repeats, cheap to make
        out.append(words[k % len(words)] + (str(k) if k % 7 == 0 else ""))
        size += len(out[-1]) + 1
        k += 1
    return " ".join(out)[:n]


def test_a_long_quote_with_one_wrong_character_is_answered_fast_and_briefly():
    text = _prose(300_000)
    quote = text[100_000:200_000]
    quote = quote[:50_000] + "#" + quote[50_001:]
    start = time.perf_counter()
    with pytest.raises(SpanError) as exc:
        locate(text, quote)
    assert time.perf_counter() - start < 5  # was over 7 minutes
    assert exc.value.slug == "quote-not-found"
    assert len(exc.value.message) < 600
    assert f"its first 50000 characters occur at offset 100000, then the text has {text[150_000]!r} (offset 150000) " \
           "where the quote has '#': ..." in exc.value.message
    assert f"[{text[150_000]}]" in exc.value.message  # the differing character, pointed at


def test_a_short_missing_quote_in_a_50_mb_text_takes_bounded_time_and_memory():
    text = _prose(1_000_000) * 50
    tracemalloc.start()
    try:
        start = time.perf_counter()
        with pytest.raises(SpanError) as exc:
            locate(text, "a zebra crossing was painted")
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < 20  # was 33 s
    assert peak < 3 * len(text)  # was 2.7 GB: now at most a folded copy of the text or two
    assert len(exc.value.message) < 600


def test_a_quote_occurring_600000_times_gets_a_short_message():
    text = "ab " * 600_000
    with pytest.raises(SpanError) as exc:
        locate(text, "ab")
    assert exc.value.slug == "quote-ambiguous"
    assert exc.value.message.startswith("'ab' occurs 600000 times (occurrence 1 at 0: ")
    assert exc.value.message.endswith("; and 599997 more)")
    assert len(exc.value.message) < 600  # was 66 MB
    with pytest.raises(SpanError) as exc:
        locate(text, "ab", start=1)
    assert exc.value.message == "span_start 1 does not match: 'ab' occurs at 0, 3, 6 and 599997 more"
    assert locate(text, "ab", occurrence=600_000).start == 3 * 599_999


def test_a_long_near_miss_is_shown_around_its_first_difference():
    text = _prose(300_000).replace(" the ", " “the” ")
    start, end = text.index("mayor", 1000), text.index(" ", 101_000)
    passage = text[start:end]
    quote = passage.replace("“", '"').replace("”", '"')
    with pytest.raises(SpanError) as exc:
        locate(text, quote)
    first = start + passage.index("“")
    assert exc.value.slug == "quote-near-miss"
    assert f"differs only by typographic quotes, dashes or whitespace from the passage at offsets {start} to {end}, " \
           f"first at offset {first}: ...{text[first - 30:first]}[“]" in exc.value.message
    assert exc.value.fix == f"copy the passage from offset {start} to {end} of the stored text exactly"
    assert len(exc.value.message) < 700


# -- 8. no leftovers, usual permissions ---------------------------------------------------------------------

@pytest.mark.slow  # a build per umask
@pytest.mark.parametrize("umask, mode", [(0o022, 0o755), (0o027, 0o750)])
def test_the_output_folder_gets_the_usual_permissions(umask, mode, tmp_path):
    data = curation_copy(tmp_path / "src")
    old = os.umask(umask)
    try:
        out = build(out=tmp_path / "out", data=data)
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == mode  # was 0700 (mkdtemp's)


_PAUSED_BUILD = """
import sys, time
from claimbank.build import build

def progress(message):
    if message.startswith("wrote "):  # the first table is written: the staging folder is half full
        print("paused", flush=True)
        time.sleep(600)

build(out=sys.argv[1], data=sys.argv[2], progress=progress)
"""


def _dead_pid() -> int:
    p = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    return int(p.stdout)


@pytest.mark.slow  # a build killed in a process of its own
def test_a_killed_build_leaves_staging_folders_that_the_next_build_removes(tmp_path):
    data = curation_copy(tmp_path / "src")
    out = tmp_path / "out"
    build(out=out, data=data)
    before = tree_bytes(out)
    # A real build, killed while it writes its staging folder.
    proc = subprocess.Popen([sys.executable, "-c", _PAUSED_BUILD, str(out), str(data)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline() == "paused\n"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
    killed = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.tmp-")]
    assert killed == [p.name for p in tmp_path.iterdir() if p.name.startswith(f".out.tmp-{_host()}-{proc.pid}-")]
    assert tree_bytes(out) == before  # the killed build did not touch the output
    # What a build killed between its two renames leaves: the previous output moved aside.
    dead = _dead_pid()
    (tmp_path / f".out.old-{_host()}-{dead}-k2x9q1").mkdir()
    (tmp_path / f".out.old-{_host()}-{dead}-k2x9q1" / "build.json").write_text("{}\n")
    # Not ours, or not stale: kept.
    keep = [
        f".out.tmp-{_host()}-{os.getppid()}-live01",  # a live process
        f".out.tmp-00000000-{dead}-otherhost",  # another host
        f".other.tmp-{_host()}-{dead}-abc123",  # another output
        ".out.tmp-notes",  # not our pattern
    ]
    for name in keep:
        (tmp_path / name).mkdir()
    (tmp_path / f".out.tmp-{_host()}-{dead}-afile1").write_text("a file, not a staging folder\n")
    (tmp_path / f".out.tmp-{_host()}-{dead}-alink1").symlink_to(tmp_path / "src")
    keep += [f".out.tmp-{_host()}-{dead}-afile1", f".out.tmp-{_host()}-{dead}-alink1"]

    build(out=out, data=data)  # the next build
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(keep + ["out", "src"])
    assert (data / "speakers.yaml").is_file()  # the link's target is untouched
    assert remove_stale(out) == []
