"""Shared fixtures: real curation folders copied to a temporary place, and real builds."""

from __future__ import annotations

import os
import tempfile

# Tests never touch the network: the Hugging Face libraries run offline.
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
# `datasets` reads its cache location when imported: keep a test run's cache out of the home folder.
os.environ["HF_DATASETS_CACHE"] = tempfile.mkdtemp(prefix="claimbank-test-hf-")

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from claimbank.build import build

# Property-based tests run a bounded number of examples, the same ones on every run (`ci`, the default);
# HYPOTHESIS_PROFILE=thorough explores many more, new ones each time. No "explain" phase: it traces every
# line, which slows a build that validates tenfold and would pass for a hang.
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
_HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
settings.register_profile("ci", max_examples=30, deadline=None, derandomize=True, database=None, print_blob=True,
                          phases=_PHASES, suppress_health_check=_HEALTH)
settings.register_profile("thorough", max_examples=1000, deadline=None, print_blob=True, phases=_PHASES,
                          suppress_health_check=_HEALTH)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

FIXTURES = Path(__file__).parent / "fixtures"
CURATION = FIXTURES / "curation"
REPO = Path(__file__).resolve().parent.parent
# The dataset page test releases state (a reserved example domain: the tests publish nothing).
TEST_URL = "https://example.org/claimbank"


def curation_copy(dest: Path, defect: str | None = None) -> Path:
    """Copy the valid test curation to ``dest``/data, with the edits of fixture ``defect`` applied.

    An edit names a ``file`` and either replaces text in it (``replace`` ... ``with``), gives its
    whole ``content``, or puts in its place a ``symlink`` to a target, a ``fifo`` or a ``folder``.
    """
    shutil.copytree(CURATION / "_base" / "data", dest / "data")
    if defect is not None:
        spec = json.loads((CURATION / f"{defect}.json").read_text(encoding="utf-8"))
        for edit in spec["edits"]:
            path = dest / edit["file"]
            if "replace" in edit:
                raw = path.read_bytes().decode("utf-8")
                assert edit["replace"] in raw, f"fixture {defect}: {edit['replace']!r} not in {edit['file']}"
                path.write_bytes(raw.replace(edit["replace"], edit["with"], 1).encode("utf-8"))
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
            if "content" in edit:
                path.write_bytes(edit["content"].encode("utf-8"))
            elif "symlink" in edit:
                path.symlink_to(edit["symlink"])
            elif edit.get("fifo"):
                os.mkfifo(path)
            elif edit.get("folder"):
                path.mkdir()
            else:
                raise AssertionError(f"fixture {defect}: unknown edit {edit}")
    return dest / "data"


def repo_copy(dest: Path, *, data: Path | None = None) -> Path:
    """A working copy of the repository's sources at ``dest`` (use with CLAIMBANK_ROOT=dest).

    ``data``: a curation folder to use instead of the repository's data/.
    """
    for name in ("schema", "docs", "releases"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dest / name)
    shutil.copytree(data if data is not None else REPO / "data", dest / "data")
    for name in ("pyproject.toml", "DATASHEET.md", "CHANGELOG.md", "CITATION.cff"):
        if (REPO / name).is_file():
            shutil.copy(REPO / name, dest / name)
    return dest


def defect_names() -> list[str]:
    return sorted(p.stem for p in CURATION.glob("*.json"))


def defect_messages(defect: str) -> list[str]:
    return json.loads((CURATION / f"{defect}.json").read_text(encoding="utf-8"))["messages"]


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes: for byte-identical comparisons."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


STORY = FIXTURES / "story" / "data"


def story_copy(dest: Path) -> Path:
    """The test curation with the story fixture added: d900 the origin, d901 taken from it, and a
    round of annotation of d901 (curator, blind second annotator, adjudication)."""
    data = curation_copy(dest)
    shutil.copy(STORY / "stories.yaml", data / "stories.yaml")
    shutil.copytree(STORY / "documents" / "d901", data / "documents" / "d901")
    shutil.copytree(STORY / "annotations", data / "annotations")
    with open(data / "speakers.yaml", "a", encoding="utf-8") as f:
        f.write((STORY / "speakers.append.yaml").read_text(encoding="utf-8"))
    with open(data / "documents" / "d900" / "document.yaml", "a", encoding="utf-8") as f:
        f.write("story_id: bridge-cracks\n")
    return data



# Builds are shared: each curation is built (and validated, a few seconds) once per test session, and
# a test gets its own copy, which it may modify. The copy sits where a build of its own would: the
# build at tmp_path/"out", its curation at tmp_path/"src"/"data".

@pytest.fixture(scope="session")
def story_build_once(tmp_path_factory) -> Path:
    """The build of the story curation shared by the session; never modify it (use story_build)."""
    root = tmp_path_factory.mktemp("story-build")
    return build(out=root / "out", data=story_copy(root / "src"))


@pytest.fixture(scope="session")
def small_build_once(tmp_path_factory) -> Path:
    """The build of the test curation shared by the session; never modify it (use small_build)."""
    root = tmp_path_factory.mktemp("small-build")
    return build(out=root / "out", data=curation_copy(root / "src"))


@pytest.fixture
def story_build(tmp_path, story_build_once) -> Path:
    """A build of the test curation with a two-document story: every table has rows (this test's copy)."""
    root = tmp_path if not (tmp_path / "out").exists() else tmp_path / "story"  # beside small_build in one test
    story_copy(root / "src")
    return Path(shutil.copytree(story_build_once, root / "out"))


@pytest.fixture
def small_data(tmp_path) -> Path:
    return curation_copy(tmp_path)


@pytest.fixture
def small_build(tmp_path, small_build_once) -> Path:
    """A build of the test curation (this test's copy)."""
    root = tmp_path if not (tmp_path / "out").exists() else tmp_path / "small"  # beside story_build in one test
    curation_copy(root / "src")
    return Path(shutil.copytree(small_build_once, root / "out"))


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """A build of the repository's own data/."""
    return build(out=tmp_path_factory.mktemp("seed") / "out", data=REPO / "data")


# The dataset page of the shared test release: a Hub address, so that the card shows the repository id.
HUB_TEST_URL = "https://huggingface.co/datasets/example-org/claimbank-test"


@pytest.fixture(scope="session")
def story_release(tmp_path_factory) -> Path:
    """A release (1.0.0) of the story curation, cut once per test session; tests must not modify it
    (copy it first)."""
    from claimbank.release import cut_release

    root = tmp_path_factory.mktemp("story-release")
    data = story_copy(root / "src")
    return cut_release("1.0.0", releases_dir=root / "releases", data=data, check_project=False, date="2026-01-01",
                       url=HUB_TEST_URL)


@pytest.fixture(scope="session")
def small_release_once(tmp_path_factory) -> Path:
    """Release 1.0.0 of the test curation, cut once per session (root/src/data, root/releases/1.0.0 and its
    index.json); never modify it (use small_release)."""
    from claimbank.release import cut_release

    root = tmp_path_factory.mktemp("small-release")
    data = curation_copy(root / "src")
    return cut_release("1.0.0", releases_dir=root / "releases", data=data, check_project=False, date="2026-01-01",
                       url=TEST_URL)


@pytest.fixture
def small_release(tmp_path, small_release_once) -> Path:
    """This test's copy of release 1.0.0 of the test curation: tmp_path/releases/1.0.0 with the releases/index.json
    that records it, and the curation it was cut from at tmp_path/src/data."""
    root = small_release_once.parent.parent
    shutil.copytree(root / "src", tmp_path / "src")
    shutil.copytree(root / "releases", tmp_path / "releases")
    return tmp_path / "releases" / "1.0.0"
