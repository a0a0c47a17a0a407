"""The command line as sqlite-utils and frictionless users expect it: results on stdout, progress and problems
on stderr in every verb, --json and --quiet alike everywhere, diff --exit-code, progress bars by time with rate
and ETA, no file dropped beside a folder by default, advice that fits the folder given, help that says what a
verb does."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claimbank.cli import main
from claimbank.progress import Progress
from conftest import REPO, curation_copy

CLAIMBANK = [sys.executable, "-m", "claimbank"]


def _run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_result_on_stdout_problems_on_stderr_json_on_stdout(tmp_path, capsys):
    data = curation_copy(tmp_path / "src")
    code, out, err = _run(capsys, "build", "--data", str(data), "--out", str(tmp_path / "out"))
    assert code == 0 and err == ""
    assert out.startswith(f"built {(tmp_path / 'out').resolve()}: documents 1, speakers 3, claims 2,")
    code, out, err = _run(capsys, "build", "--data", str(data), "--out", str(tmp_path / "out"), "--json")
    assert code == 0 and err == ""
    result = json.loads(out)
    assert result["built"] == str((tmp_path / "out").resolve()) and result["tables"]["claims"] == 2
    (data / "speakers.yaml").write_text("speakers: []\n", encoding="utf-8")
    code, out, err = _run(capsys, "build", "--data", str(data), "--out", str(tmp_path / "out"))
    assert code == 1 and out == "" and re.search(r"\[[a-z-]+\]$", err.strip().splitlines()[0])
    code, out, err = _run(capsys, "build", "--data", str(data), "--out", str(tmp_path / "out"), "--json")
    assert code == 1 and err == "" and json.loads(out)


def test_quiet_prints_no_result_but_still_every_problem(small_build, tmp_path, capsys):
    data = curation_copy(tmp_path / "quiet-src")
    assert _run(capsys, "--quiet", "build", "--data", str(data), "--out", str(tmp_path / "built")) == (0, "", "")
    assert (tmp_path / "built" / "build.json").is_file()
    assert _run(capsys, "validate", "-q", str(small_build), "--report-dir", str(tmp_path / "r")) == (0, "", "")
    code, out, err = _run(capsys, "-q", "verify", str(small_build))
    assert (code, out) == (1, "") and err.startswith(f"{small_build} does not verify")
    (data / "speakers.yaml").write_text("speakers: []\n", encoding="utf-8")
    code, out, err = _run(capsys, "-q", "build", "--data", str(data), "--out", str(tmp_path / "built"))
    assert code == 1 and out == "" and "[" in err  # the problems, each with its slug
    code, out, err = _run(capsys, "-q", "build", "--data", str(data), "--out", str(tmp_path / "built"), "--json")
    assert code == 1 and err == "" and json.loads(out)  # asked for: still printed


def test_verify_on_a_build_gives_advice_that_fits_a_build(small_build, capsys):
    code, out, err = _run(capsys, "verify", str(small_build))
    assert (code, out) == (1, "")
    assert err == (
        f"{small_build} does not verify: 1 problem(s)\n"
        f"  - .: {small_build} is a build (it has build.json), not a release: verify checks what a release states "
        "(SHA256SUMS, croissant.json, release.json), which a build does not have. Fix: check a build with "
        f"`claimbank validate {small_build}`, compare it with a release with `claimbank diff releases/VERSION "
        f"{small_build}`, or cut a release from it with `claimbank release VERSION --build {small_build}` [not-a-release]\n")


def test_validate_failures_are_problems_on_stderr(small_build, tmp_path, capsys):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = next((small_build / "data" / "claims").glob("*.parquet"))
    t = pq.read_table(path)
    quotes = t.column("quote").to_pylist()
    quotes[0] = quotes[0] + " (changed)"
    pq.write_table(t.set_column(t.schema.get_field_index("quote"), "quote", pa.array(quotes)), path)
    code, out, err = _run(capsys, "validate", str(small_build), "--report-dir", str(tmp_path / "r"))
    assert code == 1
    assert out == f"report: {tmp_path / 'r' / 'validation.html'} (results: {tmp_path / 'r' / 'validation.json'})\n"
    assert err.startswith(f"{small_build}: INVALID") and "FAIL claims.quote [quote-matches-text]" in err


def test_diff_prints_once_and_exit_code_says_whether_anything_changed(small_build, story_build, capsys):
    code, out, err = _run(capsys, "diff", str(small_build), str(small_build))
    assert (code, out, err) == (0, f"{small_build} -> {small_build}: no changes\n", "")
    assert _run(capsys, "diff", str(small_build), str(small_build), "--exit-code") == (0, f"{small_build} -> {small_build}: no changes\n", "")
    code, out, err = _run(capsys, "diff", str(small_build), str(story_build), "--exit-code")
    assert code == 1 and out.startswith(f"{small_build} -> {story_build}: needs a minor version bump\n- **") and err == ""
    assert _run(capsys, "diff", str(small_build), str(story_build)) [0] == 0  # without --exit-code, changes are a result
    assert _run(capsys, "-q", "diff", str(small_build), str(story_build)) == (1, "", "")  # as git diff --quiet
    assert _run(capsys, "-q", "diff", str(small_build), str(small_build)) == (0, "", "")


def test_explore_and_export_write_nothing_beside_the_folder_by_default(small_build, capsys):
    around = small_build.parent
    before = sorted(p.name for p in around.iterdir())
    code, out, err = _run(capsys, "explore", str(small_build))
    assert code == 0 and out.startswith("<!doctype html>") and err == ""
    code, out, err = _run(capsys, "export", "claimreview", str(small_build), "--base-url", "https://example.org/c/")
    assert code == 0 and json.loads(out)["@graph"] and err == ""
    assert sorted(p.name for p in around.iterdir()) == before


@pytest.mark.slow  # the command in a process of its own
def test_explore_to_a_terminal_says_how_to_save_the_page(small_build):
    main_fd, term_fd = pty.openpty()
    try:
        proc = subprocess.run(CLAIMBANK + ["explore", str(small_build)], stdout=term_fd, stderr=subprocess.PIPE,
                              text=True, timeout=300)
    finally:
        os.close(term_fd)
        os.close(main_fd)
    assert proc.returncode == 2
    assert proc.stderr == (
        f"error: claimbank explore writes the HTML page to standard output, which is a terminal here. Fix: redirect it "
        f"(claimbank explore {small_build} > explorer.html) or pass --out FILE\n")


def test_progress_bar_has_rate_and_eta_and_prints_by_time_into_a_log():
    log = io.StringIO()
    p = Progress(log, terminal=False)
    p("read", done=0, total=3, unit="documents")
    first = log.getvalue()
    assert re.fullmatch(r"\[\s+\d+\.\ds\] read:\s+0%\|\s*\| 0/3 \[00:00<\?, \?documents/s\]\n", first), first
    p("read", done=1, total=3, unit="documents")
    assert log.getvalue() == first  # within LOG_INTERVAL: no new line
    p.bar.last_print_t -= 10  # as if ten seconds had passed since the last line
    p("read", done=2, total=3, unit="documents")
    second = log.getvalue()[len(first):]
    # count, elapsed<remaining, and the rate (tqdm shows seconds per document when slower than one a second)
    assert re.fullmatch(r"\[\s+\d+\.\ds\] read:\s+67%\|#+\d?\s*\| 2/3 \[\d\d:\d\d<\d\d:\d\d, +(?:[\d.]+documents/s|[\d.]+s/documents)\]\n",
                        second), second
    p("read", done=3, total=3, unit="documents")
    p("compiled claims 2")
    assert "\r" not in log.getvalue()
    assert log.getvalue().splitlines()[-1].endswith("] compiled claims 2")


@pytest.mark.slow  # synth and build in processes of their own
def test_progress_starts_at_once_and_results_stay_on_stdout(tmp_path):
    subprocess.run(CLAIMBANK + ["synth", "--claims", "400", "--out", str(tmp_path / "data")], check=True, capture_output=True)
    start = time.monotonic()
    proc = subprocess.Popen(CLAIMBANK + ["build", "--progress", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "out")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stderr.readline()
    to_first_line = time.monotonic() - start
    err = first + proc.stderr.read()
    out = proc.stdout.read()
    assert proc.wait() == 0
    assert first.startswith("[") and "] build: " in first
    assert re.search(r"read: 100%\|#+\| \d+/\d+ \[\d\d:\d\d<00:00, +(?:[\d.]+documents/s|[\d.]+s/documents)\]", err), err
    assert out.startswith("built ") and "read" not in out
    # The first line comes once the command has started Python and imported claimbank; measured, not asserted here
    # against a fixed bound, since the machine's load sets it (README, "The command line", gives the figure).
    print(f"first progress line after {to_first_line:.2f} s")


@pytest.mark.parametrize("verb", ["build", "validate", "synth"])
def test_the_first_progress_line_comes_before_the_heavy_imports(verb, tmp_path):
    """What a verb says first reaches stderr before pandas or pyarrow is imported (-X importtime writes one
    line per module to the same stream, in order), so it shows as soon as Python and the CLI have started."""
    args = {"build": ["build", "--out", str(tmp_path / "out")],
            "validate": ["validate", str(tmp_path)],
            "synth": ["synth", "--claims", "10", "--out", str(tmp_path / "data")]}[verb]
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "claimbank", *args, "--progress"],
                          capture_output=True, text=True)
    lines = proc.stderr.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("[") and f"] {verb}: " in line)
    heavy = [i for i, line in enumerate(lines) if re.search(r"\|\s+(?:pandas|pyarrow)$", line)]
    assert heavy and first < heavy[0], lines[: first + 1]


def test_help_says_what_each_verb_does(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "between two release or build folders" in text
    assert "docs/SCHEMA.md, the suites, DATASHEET.md, CHANGELOG.md and CITATION.cff" in text
    assert "every other file deleted" in text
    assert "Results go to standard output, progress and problems to standard error, in every command." in text
    with pytest.raises(SystemExit):
        main(["diff", "--help"])
    assert "--exit-code" in capsys.readouterr().out


def test_bench_json_is_one_document_on_stdout(tmp_path, capsys):
    runs = []
    for claims, factor in ((100, 1.0), (1000, 9.0)):
        steps = {op: {"seconds": factor * (i + 1)} for i, op in enumerate(("build", "validate", "release", "load", "datasets", "duckdb"))}
        (tmp_path / f"{claims}.json").write_text(json.dumps({"results": [{"claims": claims, "steps": steps}]}))
        runs.append(tmp_path / f"{claims}.json")
    code, out, err = _run(capsys, "bench", "--scaling", str(runs[1]), str(runs[0]), "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == {"scaling": {op: 9.0 for op in ("build", "validate", "release", "load", "datasets", "duckdb")},
                               "claims": [100, 1000]}
    code, out, err = _run(capsys, "bench", "--scaling", str(runs[0]), str(runs[1]))
    assert out.startswith("scaling 100 -> 1,000 claims") and err == ""
