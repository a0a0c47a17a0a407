"""The ``claimbank`` command: a thin layer of verbs over the library.

One rule for the streams, in every verb: standard output carries the result (what a verb made or
found, a ``--json`` document, or content written in place of ``--out``); standard error carries
progress and problems (everything that makes the exit code non-zero, each naming the file or
field and the fix). ``--quiet`` silences progress and the text results; a ``--json`` document,
a dry-run plan and content written to standard output still print, and problems always do.
Exit codes: 0 done (or valid), 1 refused or invalid (or, with ``diff --exit-code``, changes),
2 a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from .extras import MissingExtra, quiet_warnings, require
from .files import OutputError, write_text_atomic

# The extras a verb needs beyond a plain install, checked before its modules are imported.
VERB_EXTRAS = {"build": ("build",), "validate": ("build",), "release": ("build",), "bench": ("build", "hf"),
               "publish": ("hf",)}


def _progress(args):
    """Progress on stderr, when asked for (default: when stderr is a terminal), never with --quiet."""
    if getattr(args, "quiet", False):
        return None
    on = args.progress if args.progress is not None else sys.stderr.isatty()
    if not on:
        return None
    from .progress import Progress

    return Progress(sys.stderr)


def _json(value) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def _done(args, message: str) -> None:
    """A verb's confirmation of what it wrote (standard output; none with --quiet)."""
    if not getattr(args, "quiet", False):
        print(message)


def _write(out, text: str, default_name: str) -> Path | None:
    """Content a verb made: to standard output without ``--out``, else written whole to the file (its path)."""
    if out is None:
        sys.stdout.write(text)
        return None
    return write_text_atomic(out, text, default_name)


def _started(args, message: str):
    """The verb's progress, its first line said before the verb's modules (pandas, pyarrow) are imported."""
    progress = _progress(args)
    if progress is not None:
        progress(message)
    return progress


def _build(args) -> int:
    progress = _started(args, f"build: {args.data or 'data/'} into {args.out or 'compiled/'}")
    from .build import SHARD_BYTES, BuildError, ValidationFailed, build
    from .problems import CurationError

    try:
        shard_bytes = int(args.max_shard_mb * (1 << 20)) if args.max_shard_mb else SHARD_BYTES
        out = build(out=args.out, data=args.data, shard_bytes=shard_bytes, progress=progress)
    except CurationError as exc:
        print(exc.as_json() if args.json else exc.report(), file=sys.stdout if args.json else sys.stderr)
        return 1
    except ValidationFailed as exc:
        if args.json:
            print(exc.report.to_json(), end="")
        else:
            print(f"error: {exc}", file=sys.stderr)
        return 1
    except BuildError as exc:
        if args.json:
            _json({"built": None, "error": str(exc)})
        else:
            print(f"error: {exc}", file=sys.stderr)
        return 1
    from .folders import read_manifest

    m = read_manifest(out)
    if args.json:
        _json({"built": str(out), "tables": {n: t["rows"] for n, t in m["tables"].items()}})
        return 0
    counts = ", ".join(f"{n} {t['rows']}" for n, t in m["tables"].items())
    _done(args, f"built {out}: {counts}")
    return 0


def _validate(args) -> int:
    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder; pass a build or release folder (e.g. compiled/)", file=sys.stderr)
        return 2
    how = (" on Spark" if args.engine == "spark" else "") + (", every expectation in GX" if args.full else "")
    progress = _started(args, f"validate: {folder}{how}")
    from .validate import validate_folder

    if args.engine == "spark":
        from .spark import SparkUnavailable, validate_folder_spark

        try:
            report = validate_folder_spark(folder, progress=progress, full=args.full)
        except SparkUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    else:
        report = validate_folder(folder, progress=progress, full=args.full)
    report_dir = Path(args.report_dir) if args.report_dir else folder.resolve().parent / f"{folder.resolve().name}.validation"
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "validation.json").write_text(report.to_json(), encoding="utf-8")
    (report_dir / "validation.html").write_text(report.to_html(), encoding="utf-8")
    if args.json:
        print(report.to_json(), end="")
    elif report.success:
        _done(args, report.summary())
    else:
        print(report.summary(), file=sys.stderr)  # the failures are problems: stderr, as in every verb
    if not args.json:
        _done(args, f"report: {report_dir / 'validation.html'} (results: {report_dir / 'validation.json'})")
    return 0 if report.success else 1


def _synth(args) -> int:
    progress = _started(args, f"synth: {args.claims} claims into {args.out}")
    from .synth import SynthError, synth

    try:
        out = synth(args.claims, args.out, seed=args.seed, progress=progress)
    except SynthError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _done(args, f"wrote a synthetic curation of {args.claims} claims (seed {args.seed}) to {out}")
    return 0


def _generate(args) -> int:
    from .generate import check, write_all

    if args.check:
        stale = check()
        for path in stale:
            print(f"stale: {path}; run `claimbank generate` to regenerate it", file=sys.stderr)
        return 1 if stale else 0
    for path in write_all():
        _done(args, f"wrote {path}")
    return 0


def _explore(args) -> int:
    from .explore import render_explorer

    if args.out is None and sys.stdout.isatty():
        print(f"error: claimbank explore writes the HTML page to standard output, which is a terminal here. Fix: redirect "
              f"it (claimbank explore {args.dir} > explorer.html) or pass --out FILE", file=sys.stderr)
        return 2
    try:
        out = _write(args.out, render_explorer(Path(args.dir)), "explorer.html")
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if out is not None:
        _done(args, f"explorer: {out}")
    return 0


def _export_claimreview(args) -> int:
    from .claimreview import BaseUrlError, render_claimreview

    try:
        text = render_claimreview(args.dir, args.base_url)
        out = _write(args.out, text, "claimreview.jsonld")
    except (BaseUrlError, OutputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if out is not None:
        n = text.count('"@type": "ClaimReview"')
        _done(args, f"ClaimReview: {n} reviews in {out}")
    return 0


def _release(args) -> int:
    from .build import BuildError
    from .problems import CurationError
    from .release import ReleaseError, cut_release

    try:
        dest = cut_release(args.version, build_dir=args.build, date=args.date, url=args.url)
    except CurationError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except (ReleaseError, BuildError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    from .folders import release_record

    record = release_record(dest)
    _done(args, f"released {dest}: " + ", ".join(f"{n} {t['rows']}" for n, t in record["tables"].items()))
    _done(args, record["changelog"])
    return 0


def _diff(args) -> int:
    from .diff import diff_folders

    for folder in (args.old, args.new):
        if not (Path(folder) / "data").is_dir():
            print(f"error: {folder} holds no data/ folder; pass two release or build folders (e.g. releases/1.0.0)", file=sys.stderr)
            return 2
    d = diff_folders(Path(args.old), Path(args.new), old_name=args.old, new_name=args.new)
    changed = d.required_bump != "none"
    if args.json:
        print(d.to_json(), end="")
    elif not args.quiet:
        if changed:
            print(f"{args.old} -> {args.new}: needs a {d.required_bump} version bump")
            print(d.to_markdown())
        else:
            print(f"{args.old} -> {args.new}: no changes")
    return 1 if changed and (args.exit_code or args.quiet) else 0


def _verify(args) -> int:
    from .verify import report_json, verify_folder

    folder = Path(args.dir)
    if not folder.is_dir():
        print(f"error: {folder} is not a folder; pass a release folder (e.g. releases/1.0.0)", file=sys.stderr)
        return 2
    problems = verify_folder(folder)
    if args.json:
        print(report_json(folder, problems), end="")
    elif problems:
        print(f"{folder} does not verify: {len(problems)} problem(s)", file=sys.stderr)
        for p in problems:
            print(f"  - {p}", file=sys.stderr)
    else:
        _done(args, f"{folder} verifies: every file matches SHA256SUMS, croissant.json and release.json, every Parquet "
                    f"file opens with the rows the card and release.json state, and SHA256SUMS is the one the repository "
                    f"recorded")
    return 1 if problems else 0


def _publish(args) -> int:
    from .paths import releases_dir
    from .publish import PublishError, hub_files, plan, upload

    try:
        p = plan(releases_dir() / args.version, args.repo_id)  # the release verifies before the Hub is asked anything
        p = p.against(hub_files(args.repo_id, args.token))
        if args.dry_run:
            print("dry run, nothing sent:")
            print(p.describe())
            return 0
        url = upload(p, token=args.token)
    except PublishError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _done(args, f"published {args.version} to {args.repo_id}: {url} (tag {p.tag})")
    return 0


def _new(args) -> int:
    from .paths import data_dir
    from .scaffold import ScaffoldError, new_document

    try:
        folder = new_document(args.data or data_dir(), args.doc_id, args.text, url=args.url)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _done(args, f"created {folder}: text.txt, document.yaml, claims.yaml (claims: []), searches.md; "
                f"fill in document.yaml, then annotate claims.yaml (data/README.md)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="claimbank", description="Build, check and release the ClaimBank dataset.",
        epilog="Results go to standard output, progress and problems to standard error, in every command. "
               "Exit codes: 0 done, 1 refused or invalid (diff --exit-code: changes), 2 usage error.")
    parser.add_argument("--version", action="version", version=f"claimbank {__version__}")
    parser.add_argument("-q", "--quiet", action="store_true", default=False,
                        help="no progress and no text results; --json documents, dry-run plans and content written to "
                             "standard output still print; problems always print on standard error")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add = sub.add_parser

    def add_parser(*a, **k):
        k.setdefault("parents", [common])
        return _add(*a, **k)

    sub.add_parser = add_parser

    p = sub.add_parser("build", help="compile data/ into validated Parquet tables")
    p.add_argument("--out", type=Path, default=None, help="output folder (default: compiled/ in the repository)")
    p.add_argument("--data", type=Path, default=None, help="curation folder (default: data/ in the repository)")
    p.add_argument("--json", action="store_true", help="print the result (the tables built, or the problems) as JSON on stdout")
    p.add_argument("--max-shard-mb", type=float, default=None,
                   help="split a table into Parquet shards of at most this many MiB of Arrow data (default: 256)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="print progress on stderr (default: when stderr is a terminal)")
    p.set_defaults(func=_build)

    p = sub.add_parser("new", help="scaffold a document folder in data/documents/: the text stored, its sha256, templates")
    p.add_argument("doc_id", help="the new document's id, e.g. d021 (never reused)")
    p.add_argument("--text", type=Path, required=True, help="the file holding the text to store (UTF-8, LF, NFC)")
    p.add_argument("--url", default=None, help="where the document was published")
    p.add_argument("--data", type=Path, default=None, help="curation folder (default: data/ in the repository)")
    p.set_defaults(func=_new)

    p = sub.add_parser("validate", help="run every validation suite over a build or release folder")
    p.add_argument("dir", help="a build or release folder")
    p.add_argument("--json", action="store_true", help="print the machine-readable results instead of the summary")
    p.add_argument("--report-dir", default=None, help="where to write validation.json and validation.html (default: DIR.validation/ beside DIR)")
    p.add_argument("--engine", choices=("pandas", "spark"), default="pandas",
                   help="run the suites on pandas in this process (default) or on Apache Spark (docs/SCALE.md)")
    p.add_argument("--full", action="store_true",
                   help="run every expectation in Great Expectations, not only those the compiled scans find suspects for "
                        "(for releases and CI)")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="print progress on stderr (default: when stderr is a terminal)")
    p.set_defaults(func=_validate)

    p = sub.add_parser("synth", help="write a synthetic curation corpus of N claims (for benchmarks and scale tests)")
    p.add_argument("--claims", type=int, required=True, help="number of claims")
    p.add_argument("--out", type=Path, required=True, help="the folder to write (a data/-like folder)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0); same seed, same files")
    p.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="print progress on stderr (default: when stderr is a terminal)")
    p.set_defaults(func=_synth)

    p = sub.add_parser("bench", help="benchmark build, validation, release and loading against their floors (docs/SCALE.md)",
                       add_help=False)
    p.add_argument("bench_args", nargs=argparse.REMAINDER, help="arguments of scripts/bench (--help lists them)")

    p = sub.add_parser("generate", help="regenerate the files derived from schema/, data/ and releases/: docs/SCHEMA.md, "
                                        "the suites, DATASHEET.md, CHANGELOG.md and CITATION.cff")
    p.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    p.set_defaults(func=_generate)

    p = sub.add_parser("explore", help="render a build or release folder into one self-contained HTML explorer")
    p.add_argument("dir", help="a build or release folder")
    p.add_argument("--out", type=Path, default=None, help="the HTML file to write (default: standard output)")
    p.set_defaults(func=_explore)

    p = sub.add_parser("export", help="export the verdicts for other tools")
    export = p.add_subparsers(dest="format", required=True, metavar="FORMAT")
    q = export.add_parser("claimreview", help="schema.org ClaimReview JSON-LD for every claim with a verdict (docs/CLAIMREVIEW.md)",
                          parents=[common])
    q.add_argument("dir", help="a build or release folder")
    q.add_argument("--base-url", required=True,
                   help="where the reviews are published: each review's url is BASE/CLAIM_ID, and BASE is the url of the "
                        "reviewing organisation (Google's ClaimReview guidelines require both)")
    q.add_argument("--out", type=Path, default=None, help="the JSON-LD file to write (default: standard output)")
    q.set_defaults(func=_export_claimreview)

    p = sub.add_parser("release", help="cut releases/VERSION/ from a fresh validated build")
    p.add_argument("version", help="MAJOR.MINOR.PATCH; must be the version in pyproject.toml")
    p.add_argument("--build", type=Path, default=None, help="release this validated build folder instead of building data/ afresh")
    p.add_argument("--date", default=None, help="release date YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today in UTC)")
    p.add_argument("--url", default=None,
                   help="the dataset's page, stated in croissant.json and the card (default: Dataset or Homepage in "
                        "[project.urls] of pyproject.toml; one is required), e.g. https://huggingface.co/datasets/OWNER/NAME")
    p.set_defaults(func=_release)

    p = sub.add_parser("diff", help="rows added, removed and changed by id, and schema changes, between two release or build folders")
    p.add_argument("old", help="the older release or build folder")
    p.add_argument("new", help="the newer release or build folder")
    p.add_argument("--json", action="store_true", help="print the changes as JSON")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when there are changes, 0 when there are none (as git diff)")
    p.set_defaults(func=_diff)

    p = sub.add_parser("verify", help="check a release folder against every hash it states and the repository's record of it "
                                      "(a build folder is checked with validate)")
    p.add_argument("dir", help="a release folder, e.g. releases/1.0.0")
    p.add_argument("--json", action="store_true", help="print the problems as JSON")
    p.set_defaults(func=_verify)

    p = sub.add_parser("publish", help="make a Hugging Face Hub dataset repository hold a release folder (its files added, "
                                       "every other file deleted), tagged with its version")
    p.add_argument("version", help="the release to publish (a folder in releases/)")
    p.add_argument("--repo-id", required=True, help="the dataset repository on the Hub, OWNER/NAME")
    p.add_argument("--token", default=None, help="Hub token (default: HF_TOKEN or the saved login)")
    p.add_argument("--dry-run", action="store_true", help="print exactly what would be sent, send nothing")
    p.set_defaults(func=_publish)

    quiet_warnings()
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] in (["-q"], ["--quiet"]) and argv[1:2] == ["bench"]:
        argv = ["bench", "--quiet"] + argv[2:]
    bench = argv[:1] == ["bench"]  # every argument after the verb belongs to the benchmark's own parser
    args = None if bench else parser.parse_args(argv)
    command = "bench" if bench else args.command
    try:
        for extra in _extras(command, args):
            require(extra, f"claimbank {command}")
        if bench:
            from .bench import main as bench_main

            return bench_main(argv[1:])
        return args.func(args)
    except MissingExtra as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _extras(command: str, args: argparse.Namespace | None) -> tuple[str, ...]:
    spark = ("spark",) if args is not None and getattr(args, "engine", None) == "spark" else ()
    return VERB_EXTRAS.get(command, ()) + spark


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
