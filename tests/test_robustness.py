"""No bad input may lose data, crash or hang the build (property-based, on the repository's seed).

Each example copies data/ (the seed), mutates its YAML and its text — byte flips, deleted and
duplicated lines, values of another type, deep nesting, control characters, truncation, and
files replaced by FIFOs, folders, links or nothing — and runs `claimbank build --json` over a
previous good output. Each run must either

- exit 1 with problems that each name a file of the curation (and a line, where the problem has
  one), leaving the previous output byte-identical and no staging folder behind, or
- exit 0 with an output that `claimbank validate` accepts;

never a traceback, never more than a bounded time. The number of examples is bounded by the
Hypothesis profile (tests/conftest.py): `ci` by default, `HYPOTHESIS_PROFILE=thorough` for more.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # property-based: many builds of mutated curations; left out of `scripts/test --fast`
from hypothesis import event, given
from hypothesis import strategies as st

from claimbank.cli import main
from claimbank.problems import SLUGS
from conftest import REPO, tree_bytes

SECONDS = 60  # per build: a hang is reported, not waited for
FILES = ["speakers.yaml", "documents/d000/document.yaml", "documents/d000/claims.yaml", "documents/d000/text.txt"]
YAML_FILES = FILES[:3]
PLACES = FILES + ["documents/d000", "documents"]  # what a special file can replace
# Problems about a whole file or folder carry no line; every other one does.
WHOLE_FILE = {"missing-file", "empty-file", "not-a-file", "path-outside-data"}
VALUES = ["[]", "{}", "42", "-1", "true", "null", "''", '"text"', "[a, b]", "{a: 1}", "0x1F", "yes", "3:2", ".inf",
          "2024-13-45", "- item", "&x 1", "*x", "!!python/object:os.system x", '"unclosed', "1" * 40]
CONTROL = ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\u2028", "\ufeff", "\ud7ff", "\r"]


@dataclass(frozen=True)
class Mutation:
    kind: str
    file: str
    where: float  # a place in the file, as a fraction of its size or lines
    arg: object = None

    def apply(self, data: Path) -> None:
        path = data / self.file
        if self.kind == "special":
            _replace_with(path, self.arg, data)
            return
        if not path.is_file() or path.is_symlink():
            return
        raw = path.read_bytes()
        if self.kind == "flip":
            i = int(self.where * len(raw)) if raw else 0
            if raw:
                raw = raw[:i] + bytes([raw[i] ^ self.arg]) + raw[i + 1:]
        elif self.kind == "truncate":
            raw = raw[: int(self.where * len(raw))]
        elif self.kind == "insert":
            i = int(self.where * len(raw))
            while 0 < i < len(raw) and (raw[i] & 0xC0) == 0x80:  # not inside a UTF-8 sequence
                i -= 1
            raw = raw[:i] + self.arg.encode("utf-8") + raw[i:]
        else:
            lines = raw.split(b"\n")
            k = min(int(self.where * len(lines)), len(lines) - 1)
            if self.kind == "delete":
                del lines[k]
            elif self.kind == "duplicate":
                lines.insert(k, lines[k])
            elif self.kind in ("retype", "nest"):
                keyed = [j for j, line in enumerate(lines) if b": " in line or line.rstrip().endswith(b":")]
                if not keyed:
                    return
                j = keyed[int(self.where * len(keyed)) % len(keyed)]
                head = lines[j].split(b":", 1)[0]
                if self.kind == "retype":
                    value = self.arg.encode("utf-8")
                else:
                    depth, style = self.arg
                    value = ("[" * depth + "]" * depth if style == "flow" else
                             "{a: " * depth + "1" + "}" * depth if style == "map" else "").encode("utf-8")
                    if style == "block":
                        indent = len(head) - len(head.lstrip())
                        block = [b" " * (indent + 2 * (d + 1)) + b"k:" for d in range(depth)]
                        lines[j:j + 1] = [head + b":"] + block
                        path.write_bytes(b"\n".join(lines))
                        return
                lines[j] = head + b": " + value
            raw = b"\n".join(lines)
        path.write_bytes(raw)


def _replace_with(path: Path, kind: str, data: Path) -> None:
    if not path.parent.is_dir() or path.parent.is_symlink():  # its folder was replaced by an earlier mutation
        return
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "outside":
        path.symlink_to("/etc/passwd" if "." in path.name else "/etc")
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "dangling":
        path.symlink_to("nowhere-" + path.name)
    elif kind == "inside":  # a link to another file of the curation: allowed, read as that file
        path.symlink_to(os.path.relpath(data / "speakers.yaml", path.parent))
    elif kind == "absent":
        pass


fraction = st.floats(0, 1, exclude_max=True, allow_nan=False)
mutations = st.one_of(
    st.builds(Mutation, st.just("flip"), st.sampled_from(FILES), fraction, st.integers(1, 255)),
    st.builds(Mutation, st.just("truncate"), st.sampled_from(FILES), fraction),
    st.builds(Mutation, st.just("insert"), st.sampled_from(FILES), fraction, st.sampled_from(CONTROL)),
    st.builds(Mutation, st.sampled_from(["delete", "duplicate"]), st.sampled_from(FILES), fraction),
    st.builds(Mutation, st.just("retype"), st.sampled_from(YAML_FILES), fraction, st.sampled_from(VALUES)),
    st.builds(Mutation, st.just("nest"), st.sampled_from(YAML_FILES), fraction,
              st.tuples(st.sampled_from([7, 31, 33, 200, 999, 1001, 1500]), st.sampled_from(["flow", "map", "block"]))),
    st.builds(Mutation, st.just("special"), st.sampled_from(PLACES), st.just(0.0),
              st.sampled_from(["fifo", "folder", "empty", "outside", "loop", "dangling", "inside", "absent"])),
)


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang(f"the build ran over {SECONDS} s")


class Workspace(dict):
    def __repr__(self) -> str:  # Hypothesis prints the arguments of a failing example: not the output's bytes
        return f"Workspace({self['base']})"


@pytest.fixture(scope="module")
def workspace():
    """A previous good output of the seed, built once; every example builds over it."""
    with tempfile.TemporaryDirectory(prefix="claimbank-robustness-") as tmp:
        base = Path(tmp)
        out = base / "out"
        assert main(["build", "--data", str(REPO / "data"), "--out", str(out)]) == 0
        yield Workspace(base=base, out=out, before=tree_bytes(out))


def _lines(path: Path) -> int | None:
    try:
        if path.is_file() and not path.is_symlink():
            return path.read_bytes().count(b"\n") + 1
    except OSError:
        pass
    return None


@given(st.lists(mutations, min_size=1, max_size=3))
def test_mutated_seed_is_refused_with_located_problems_or_builds_valid_output(workspace, capsys, changes):
    base, out = workspace["base"], workspace["out"]
    data = base / "data"
    if data.exists():
        shutil.rmtree(data)
    shutil.copytree(REPO / "data", data)
    for m in changes:
        m.apply(data)
    capsys.readouterr()
    stdout = io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(SECONDS)
    start = time.perf_counter()
    try:
        with contextlib.redirect_stdout(stdout):
            code = main(["build", "--data", str(data), "--out", str(out), "--json"])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert time.perf_counter() - start < SECONDS
    stderr = capsys.readouterr().err
    event(f"exit {code}")
    assert "Traceback" not in stderr
    assert sorted(p.name for p in base.iterdir()) == ["data", "out"], "a staging folder was left behind"
    if code == 0:
        from claimbank.validate import validate_folder

        report = validate_folder(out)
        assert report.success, report.summary()
        workspace["before"] = tree_bytes(out)
        return
    assert code == 1, stderr
    assert not stderr.startswith("error:"), f"refused without a located problem: {stderr}"
    problems = json.loads(stdout.getvalue())
    assert problems
    for p in problems:
        assert p["slug"] in SLUGS, p
        assert p["file"] == "data" or p["file"].startswith("data/"), p
        assert p["message"] and p["expected"] and p["fix"], p
        if p["line"] is None:
            assert p["slug"] in WHOLE_FILE, f"a problem without a line: {p}"
        else:
            assert p["line"] >= 1, p
            n = _lines(base / p["file"])
            if n is not None:
                assert p["line"] <= n, f"line {p['line']} is past the end of {p['file']} ({n} lines): {p}"
    assert tree_bytes(out) == workspace["before"], "a refused build changed the previous output"
