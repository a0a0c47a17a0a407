"""Reading the curation in ``data/`` into table rows, collecting every problem.

Layout (documented in data/README.md)::

    data/speakers.yaml                  speakers: [ {speaker_id, name, kind, ...}, ... ]
    data/documents/<doc_id>/document.yaml   the document's metadata
    data/documents/<doc_id>/text.txt        the text, verbatim
    data/documents/<doc_id>/claims.yaml     claims: [ {claim_id, quote, ..., sourcing, stances, verdict}, ... ]

Keys are the column names of the tables in ``schema/``; the reader checks each value
against its column's declaration (type, pattern, label set, required), so the schema is
the one place where a field is defined. Columns the build derives (offsets, positions,
ids of the enclosing record, checksums of texts) are not written by curators, except that
a curator may state ``span_start``/``cue_start`` (checked) or ``occurrence``/``cue_occurrence``
to say which of several identical passages is meant.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import yamlsafe
from .files import NotRegularFile, read_regular
from .problems import CurationError, Problem
from .progress import step
from .schema import DATE_RANGE, Field, Schema, Table, load_schema, semantic
from .spans import SpanError, locate, show

_DATE_FULL = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_PRECISION = {1: "year", 2: "month", 3: "day"}
_LIST_FILES_PATTERN = "claims.yaml"
PROGRESS_EVERY = 2000  # documents
HOP_FIDELITY = ("accurate", "distorted", "misattributed")  # a hop renders a claim; the other fidelity labels describe a document
# What an annotation judges (claim dimensions, then link dimensions), and the labels each allows.
ANNOTATION_DIMENSIONS = ("checkworthy", "veracity", "fidelity", "hop_fidelity", "mutations")
ADJUDICATION = "adjudication"  # the annotator id of the label decided where a round's annotators disagree


def voters(labels: dict) -> dict:
    """Annotator -> label of one item, dimension and round, the adjudicated label left out."""
    return {a: lab for a, lab in labels.items() if a != ADJUDICATION}


def disagree(labels: dict) -> bool:
    """The annotators of a round gave more than one label (the adjudicated one aside)."""
    return len(set(voters(labels).values())) > 1


ANNOTATION_LABELS = {
    "checkworthy": lambda schema: ["true", "false"],
    "veracity": lambda schema: schema.label_sets["veracity"].names,
    "fidelity": lambda schema: schema.label_sets["fidelity"].names,
    "hop_fidelity": lambda schema: list(HOP_FIDELITY),
    "mutations": lambda schema: schema.label_sets["mutation"].names,
}
CLOSE = 0.8  # difflib ratio from which "did you mean" suggests a name: typos, not merely similar words
# Control characters a stored text may not hold: every C0 and C1 control but tab and line feed (CR is refused apart).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {0: "NUL", 7: "BEL", 8: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL"}
# An empty file is never taken for an empty list: (what was expected, the fix) per file.
_EMPTY = {
    "speakers.yaml": ("'speakers:' and the list of speakers", "list the speakers under 'speakers:'"),
    "document.yaml": ("the document's fields", "write the document's fields (data/README.md, document.yaml)"),
    "claims.yaml": ("'claims:' and the list of claims", "list the claims under 'claims:'; a document without claims says 'claims: []'"),
}
CHUNK_ROWS = 200_000  # rows of all tables held as Python dicts at a time, when read_corpus has a sink


@dataclass
class Corpus:
    """The curation as table rows, in the column order of the schema."""

    rows: dict[str, list[dict]] = field(default_factory=dict)
    inputs: list[Path] = field(default_factory=list)


class _Reader:
    def __init__(self, data_dir: Path, schema: Schema):
        self.data = data_dir
        self.data_resolved = data_dir.resolve()
        self.root = data_dir.parent
        self.schema = schema
        self.problems: list[Problem] = []
        self.rows: dict[str, list[dict]] = {t: [] for t in schema.table_names}
        self.inputs: list[Path] = []
        # id -> (file, line) of first definition, per id kind
        self.defined: dict[str, dict[str, tuple[str, int]]] = {t: {} for t in schema.table_names}
        # references to check once everything is read: (kind, id, file, line, field, allowed kinds)
        self.refs: list[tuple[str, str, str, int, str]] = []
        # tables whose defining file could not be read: references to them are not checked
        self.unreadable: set[str] = set()
        # stories: story -> (origin doc, file, line, field); doc -> (story, derived_from, file, line); pending links
        self.story_origin: dict[str, tuple] = {}
        self.doc_story: dict[str, tuple] = {}
        self.links: list[tuple] = []
        # annotations: (round, claim, dimension) -> [(annotator, label, file, line, path)]; published labels
        self.annotated: dict[tuple, list] = {}
        self.annotated_links: list[tuple] = []
        self.published: dict[tuple[str, str], object] = {}
        # the regular expressions schema/semantic.json adds to a column: checked here too, at the value's line
        self.regexes: dict[tuple[str, str], list[tuple[re.Pattern, str, str]]] = {}
        for tname, checks in semantic(schema)["tables"].items():
            for c in checks:
                if c["type"] == "expect_column_values_to_match_regex":
                    self.regexes.setdefault((tname, c["kwargs"]["column"]), []).append(
                        (re.compile(c["kwargs"]["regex"]), c["meta"]["check"], c["meta"]["description"]))

    # -- helpers -------------------------------------------------------------------------
    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def problem(self, slug, file, line, fieldpath, message, expected, fix):
        self.problems.append(Problem(slug, file, line, fieldpath, message, expected, fix))

    def read_yaml(self, path: Path):
        """The values of a YAML file of the curation, or None (with the problem recorded)."""
        file = self.rel(path)
        if not self.linked_inside(path, file):
            return None
        self.inputs.append(path)
        try:
            raw = read_regular(path)
        except FileNotFoundError:
            self.problem("missing-file", file, None, "", "the file does not exist", "the file", f"create {file}")
            return None
        except NotRegularFile as exc:
            self.problem("not-a-file", file, None, "", f"the path is {exc.kind}, not a file", "a regular file",
                         f"replace it with the file {path.name}")
            return None
        except OSError as exc:
            self.problem("missing-file", file, None, "", f"the file cannot be read ({exc.strerror or exc})", "a readable file",
                         "check the file's permissions")
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.problem("text-encoding", file, raw.count(b"\n", 0, exc.start) + 1, "",
                         f"not UTF-8 ({exc.reason} at byte {exc.start})", "UTF-8", "save the file as UTF-8")
            return None
        try:
            value = yamlsafe.load(text, file)
        except yamlsafe.YamlError as exc:
            self.problems.extend(exc.problems)
            return None
        if value is None:
            expected, fix = _EMPTY.get(path.name, ("data", "write the data"))
            self.problem("empty-file", file, None, "", "the file holds no data (it is empty or has only comments)", expected, fix)
        return value

    def outside(self, path: Path) -> tuple[str, str] | None:
        """None when ``path`` resolves inside data/; else (slug, why not)."""
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError, ValueError) as exc:  # a loop of links, an impossible name
            return "not-a-file", f"cannot be resolved ({exc})"
        try:
            resolved.relative_to(self.data_resolved)
            return None
        except ValueError:
            return "path-outside-data", f"resolves outside data/ (to {resolved})"

    def linked_inside(self, path: Path, file: str) -> bool:
        """A file or folder of the layout (speakers.yaml, a document folder ...): refused if it leads outside data/."""
        refused = self.outside(path)
        if refused is None:
            return True
        self.problem(refused[0], file, None, "", f"the path {refused[1]}", "a file or folder inside data/",
                     "replace the link with the file or folder itself, or point it inside data/")
        return False

    def inside_data(self, path: Path, written: str, file: str, line: int, fieldpath: str) -> bool:
        refused = self.outside(path)
        if refused is None:
            return True
        if refused[0] == "path-outside-data":
            self.problem("path-outside-data", file, line, fieldpath, f"{written!r} resolves outside data/",
                         "a file inside data/", "move the file into the document's folder under data/ and name it relatively")
        else:
            self.problem(refused[0], file, line, fieldpath, f"{written!r} {refused[1]}", "a file inside data/",
                         "name the document's text file")
        return False

    # -- the generic record check: keys and values against the schema ---------------------
    def record(self, m, table: Table, file: str, path: str, *, derived: set[str], extra: dict[str, type],
               parent_line: int) -> dict | None:
        """Check mapping ``m`` against ``table``'s columns; return converted values or None."""
        if not isinstance(m, dict):
            self.problem("wrong-type", file, parent_line, path, f"expected a mapping of {table.name} fields, got {_typename(m)}",
                         "a mapping (key: value lines)", "write the entry as 'key: value' lines")
            return None
        writable = [f for f in table.fields if f.name not in derived]
        allowed = {f.name for f in writable} | set(extra)
        out: dict = {}
        for key in m:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=CLOSE)
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.problem("unknown-field", file, m.lines[key], f"{path}.{key}", f"unknown field {show(key, 60)}",
                             f"one of {', '.join(sorted(allowed))}", f"{hint}rename or remove it")
        for f in writable:
            fpath = f"{path}.{f.name}"
            value = m.get(f.name)
            line = m.lines.get(f.name, m.line)
            if value is None or value == "" or value == []:
                if f.required and f.name in m and f.type != "array":
                    empty = "null" if value is None and m.source(f.name) else "empty"
                    self.problem("missing-field", file, line, fpath, f"required field {f.name!r} is {empty}",
                                 f"{f.type_label}: {f.description.rstrip('.')}",
                                 f"write the {f.name} after '{f.name}:' (a required field cannot be null)")
                elif f.required and f.name not in m:
                    self.problem("missing-field", file, m.line, fpath, f"required field {f.name!r} is missing",
                                 f"{f.type_label}: {f.description.rstrip('.')}", f"add '{f.name}:' to this entry")
                out[f.name] = [] if f.type == "array" else None
                continue
            out[f.name] = v = self.value(f, value, file, line, fpath, m.source(f.name))
            for rx, check, description in self.regexes.get((table.name, f.name), ()) if v is not None else ():
                if not rx.search(v):
                    self.problem("bad-format", file, line, fpath, f"{show(v)} fails the check {check}", description,
                                 f"correct the {f.name}")
        for key, typ in extra.items():
            if key in m and m[key] is not None and not (isinstance(m[key], typ) and not (typ is int and isinstance(m[key], bool))):
                written = m.source(key) or (show(m[key], 40) if isinstance(m[key], str) else None)
                self.problem("wrong-type", file, m.lines[key], f"{path}.{key}",
                             f"{key} is {_typename(m[key])}" + (f" ({written})" if written else ""),
                             _typename_expected(typ), f"write {key} as {_typename_expected(typ)}")
        return out

    def value(self, f: Field, v, file: str, line: int, fpath: str, src: str | None = None):
        """``v`` checked against its column; ``src`` is how a value that is not text was written."""
        def bad_type(expected: str, fix: str):
            self.problem("wrong-type", file, line, fpath, f"{src if src is not None else _shown(v)} is {_typename(v)}", expected, fix)

        if f.type == "string":
            if not isinstance(v, str):
                fix = f"put the value in quotes: {f.name}: {yamlsafe.quoted(src)}" if src is not None else f"write {f.name} as text"
                bad_type("text", fix)
                return None
            if f.label_set is not None and v not in f.label_set.names:
                close = difflib.get_close_matches(v, f.label_set.names, n=1, cutoff=CLOSE)
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.problem("not-in-label-set", file, line, fpath, f"{show(v)} is not in label set {f.label_set.name}",
                             f"one of {', '.join(f.label_set.names)}",
                             f"{hint}use one of those labels (described in schema/labels.json)")
                return None
            if f.pattern and not re.fullmatch(f.pattern, v):
                self.problem("bad-format", file, line, fpath, f"{show(v)} does not match the pattern {f.pattern}",
                             f"text matching {f.pattern}", f"rewrite the value so it matches {f.pattern}")
                return None
            if f.min_length and len(v.strip()) < f.min_length:
                self.problem("missing-field", file, line, fpath, f"{f.name} is blank", f"at least {f.min_length} character(s)",
                             f"write the {f.name}")
                return None
            return v
        if f.type == "integer":
            if not isinstance(v, int) or isinstance(v, bool):
                bad_type("a whole number", f"write {f.name} as digits without quotes")
                return None
            if f.minimum is not None and v < f.minimum:
                self.problem("bad-format", file, line, fpath, f"{v} is below the minimum {f.minimum}",
                             f"a number >= {f.minimum}", f"correct {f.name}")
                return None
            return v
        if f.type == "boolean":
            if not isinstance(v, bool):
                bad_type("true or false", f"write {f.name}: true or {f.name}: false")
                return None
            return v
        if f.type == "date":
            return self.date(f, v, file, line, fpath, partial=False)
        if f.type == "array":
            if not isinstance(v, list):
                bad_type("a list of text items", f"write {f.name} as a list, e.g. {f.name}: [a, b]")
                return None
            bad = [i for i, x in enumerate(v) if not isinstance(x, str)]
            for i in bad:
                x, xsrc = v[i], v.source(i)
                written = f" ({xsrc})" if xsrc else ""
                fix = ("remove the empty item" if x is None else f"put the item in quotes: {yamlsafe.quoted(xsrc)}" if xsrc
                       else "write the item as text")
                self.problem("wrong-type", file, v.lines[i], f"{fpath}[{i}]", f"item {i} of {f.name} is {_typename(x)}{written}",
                             "text", fix)
            return None if bad else list(v)
        raise AssertionError(f.type)

    def date(self, f: Field, v, file, line, fpath, *, partial: bool):
        if partial and isinstance(v, int) and not isinstance(v, bool):
            v = str(v)  # a bare year
        if not isinstance(v, str):
            self.problem("wrong-type", file, line, fpath, f"{_shown(v)} is {_typename(v)}", "a date YYYY-MM-DD",
                         f"write {f.name} as YYYY-MM-DD")
            return None
        m = _DATE_PARTIAL.fullmatch(v) if partial else (_DATE_FULL.fullmatch(v) and _DATE_PARTIAL.fullmatch(v))
        expected = "a date YYYY-MM-DD, YYYY-MM or YYYY" if partial else "a date YYYY-MM-DD"
        if not m:
            self.problem("bad-format", file, line, fpath, f"{show(v)} is not a date", expected, f"write {f.name} as {expected[7:]}")
            return None
        parts = [p for p in m.groups() if p is not None]
        try:
            value = dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
        except ValueError as exc:
            self.problem("bad-format", file, line, fpath, f"{v!r} is not a valid date ({exc})", expected, "correct the date")
            return None
        if not DATE_RANGE[0] <= value.isoformat() <= DATE_RANGE[1]:
            self.problem("bad-format", file, line, fpath, f"{v!r} lies outside the dates the dataset holds",
                         f"a date from {DATE_RANGE[0]} to {DATE_RANGE[1]}", "correct the date")
            return None
        return (value, _PRECISION[len(parts)]) if partial else value

    def dated(self, out: dict, m: dict, name: str, table: Table, file: str, path: str):
        """A date with a ``<name>_precision`` sibling: curators write YYYY, YYYY-MM or YYYY-MM-DD."""
        v = m.get(name)
        if v is None:
            out[name], out[f"{name}_precision"] = None, None
            return
        res = self.date(table.field(name), v, file, m.lines.get(name, m.line), f"{path}.{name}", partial=True)
        out[name], out[f"{name}_precision"] = res if res else (None, None)

    def define(self, table: str, key: str, file: str, line: int, fpath: str) -> bool:
        if key is None:
            return False
        seen = self.defined[table]
        if key in seen:
            f0, l0 = seen[key]
            self.problem("duplicate-id", file, line, fpath, f"{table} id {key!r} is already used at {f0}:{l0}",
                         "an id used once", "give this entry a new id (ids are never reused, even after removal)")
            return False
        seen[key] = (file, line)
        return True

    def ref(self, table: str, key, file: str, line: int, fpath: str):
        # an id already defined stays defined: only the others wait for the check at the end
        if key is not None and key not in self.defined[table]:
            self.refs.append((table, key, file, line, fpath))

    def span(self, text: str | None, m: dict, quote_key: str, occ_key: str, start_key: str, file: str, path: str):
        quote = m.get(quote_key)
        if not isinstance(quote, str) or not quote:
            return None
        lead, trail = len(quote) - len(quote.lstrip()), len(quote) - len(quote.rstrip())
        if lead or trail:
            where = " and ".join(w for w, n in (("starts", lead), ("ends", trail)) if n)
            spaces = show(quote[:lead] if lead else quote[len(quote) - trail:], 20)
            self.problem("bad-format", file, m.lines.get(quote_key, m.line), f"{path}.{quote_key}",
                         f"the {quote_key} {where} with whitespace ({spaces})",
                         "a passage that begins and ends with a character of the text other than whitespace",
                         "remove the whitespace (a value written with '|' or '>' ends with a line break: write '|-' or '>-')")
            return None
        if text is None:  # the document's text could not be read: reported there
            return None
        occ = m.get(occ_key)
        start = m.get(start_key)
        occ = occ if isinstance(occ, int) and not isinstance(occ, bool) else None
        start = start if isinstance(start, int) and not isinstance(start, bool) else None
        try:
            return locate(text, quote, occurrence=occ, start=start, occurrence_key=occ_key, start_key=start_key)
        except SpanError as exc:
            key = start_key if exc.slug == "offset-mismatch" and start is not None else quote_key
            self.problem(exc.slug, file, m.lines.get(key, m.line), f"{path}.{key}", exc.message, exc.expected, exc.fix)
            return None

    # -- the files -------------------------------------------------------------------------
    def speakers(self):
        path = self.data / "speakers.yaml"
        doc = self.read_yaml(path)
        file = self.rel(path)
        if doc is None:
            self.unreadable.add("speakers")
        entries = self.top_list(doc, "speakers", file)
        table = self.schema["speakers"]
        affiliations: dict[str, tuple[str, int, str]] = {}  # speaker -> (affiliation, line, field)
        for i, m in enumerate(entries):
            p = f"speakers[{i}]"
            if isinstance(m, dict) and "role" in m:
                self.problem("unknown-field", file, m.lines["role"], f"{p}.role",
                             "a speaker has no role: how a document describes it depends on the document",
                             "described_as on each sourcing link or stance, in claims.yaml",
                             "remove role here and write the document's words as described_as where the speaker appears")
            rec = self.record(m, table, file, p, derived={"role"}, extra={"role": object}, parent_line=entries.lines[i])
            if rec is None:
                continue
            rec["role"] = None
            if self.define("speakers", rec["speaker_id"], file, m.lines.get("speaker_id", m.line), f"{p}.speaker_id") \
                    and rec["affiliation_id"] is not None:
                affiliations[rec["speaker_id"]] = (rec["affiliation_id"], m.lines.get("affiliation_id", m.line), f"{p}.affiliation_id")
            self.ref("speakers", rec["affiliation_id"], file, m.lines.get("affiliation_id", m.line), f"{p}.affiliation_id")
            self.rows["speakers"].append(rec)
        self.affiliation_cycles(affiliations, file)

    def affiliation_cycles(self, affiliations: dict[str, tuple[str, int, str]], file: str):
        """Report each circle of affiliations once, at the first of its speakers in the file."""
        order = {sid: i for i, sid in enumerate(affiliations)}
        done: set[str] = set()
        for start in affiliations:
            path: list[str] = []
            on_path: dict[str, int] = {}
            cur = start
            while cur in affiliations and cur not in done:
                if cur in on_path:
                    circle = path[on_path[cur]:]
                    first = min(circle, key=order.__getitem__)
                    k = circle.index(first)
                    circle = circle[k:] + circle[:k]
                    _, line, fpath = affiliations[first]
                    if len(circle) == 1:
                        message, fix = f"speaker {first!r} is affiliated to itself", "remove affiliation_id or name another speaker"
                    else:
                        message = "the affiliations go round in a circle: " + " → ".join(circle + [first])
                        fix = "correct one affiliation_id of the circle"
                    self.problem("affiliation-cycle", file, line, fpath, message,
                                 "affiliations that lead up to a speaker without one", fix)
                    break
                on_path[cur] = len(path)
                path.append(cur)
                cur = affiliations[cur][0]
            done.update(path)

    def top_list(self, doc, key: str, file: str):
        empty = yamlsafe.YList()
        empty.lines = []
        if doc is None:
            return empty
        if not isinstance(doc, dict) or key not in doc:
            self.problem("missing-field", file, 1, key, f"the file has no top-level {key!r} list", f"'{key}:' followed by a list",
                         f"start the file with '{key}:' and list the entries under it")
            return empty
        extra = [k for k in doc if k != key]
        for k in extra:
            self.problem("unknown-field", file, doc.lines[k], k, f"unknown top-level key {show(k, 60)}", f"only {key!r}", "remove it")
        entries = doc[key]
        if not isinstance(entries, list):
            self.problem("wrong-type", file, doc.lines[key], key, f"{key} is {_typename(entries)}", "a list of entries",
                         "write each entry on a line starting with '- '")
            return empty
        return entries

    def document(self, folder: Path):
        path = folder / "document.yaml"
        file = self.rel(path)
        m = self.read_yaml(path)
        table = self.schema["documents"]
        derived = {"text", "char_count", "published_date_precision"}
        rec = None if m is None else self.record(m, table, file, "document", derived=derived | {"published_date"},
                                                 extra={"text_file": str, "published_date": object}, parent_line=1)
        if rec is None:  # the document's claims are still checked, all but their quotes
            self.claims(folder, folder.name, None, None, None)
            return
        self.dated(rec, m, "published_date", table, file, "document")
        doc_id = rec["doc_id"]
        if doc_id is not None and doc_id != folder.name:
            self.problem("bad-reference", file, m.lines.get("doc_id", 1), "document.doc_id",
                         f"doc_id {doc_id!r} differs from its folder name {folder.name!r}", f"doc_id: {folder.name}",
                         f"rename the folder to data/documents/{doc_id}/ or set doc_id: {folder.name}")
        if self.define("documents", doc_id, file, m.lines.get("doc_id", 1), "document.doc_id") and rec["story_id"] is not None:
            self.doc_story[doc_id] = (rec["story_id"], rec["derived_from"], file, m.lines.get("derived_from", m.lines.get("story_id", 1)))
        self.ref("speakers", rec["publisher_id"], file, m.lines.get("publisher_id", 1), "document.publisher_id")
        self.ref("stories", rec["story_id"], file, m.lines.get("story_id", 1), "document.story_id")
        self.ref("documents", rec["derived_from"], file, m.lines.get("derived_from", 1), "document.derived_from")
        if rec["derived_from"] is not None and rec["derived_from"] == doc_id:
            self.problem("bad-reference", file, m.lines.get("derived_from", 1), "document.derived_from",
                         f"{doc_id} is derived from itself", "another document of the story, or null",
                         "name the document this one was taken from, or write derived_from: null")
        if rec["derived_from"] is not None and rec["story_id"] is None:
            self.problem("missing-field", file, m.lines.get("derived_from", 1), "document.story_id",
                         "derived_from is set but story_id is missing", "the story both documents belong to",
                         "add 'story_id:' naming the story in data/stories.yaml")
        text_name = m.get("text_file") if isinstance(m.get("text_file"), str) and m.get("text_file") else "text.txt"
        tpath = folder / text_name
        text = None
        if self.inside_data(tpath, text_name, file, m.lines.get("text_file", 1), "document.text_file"):
            text = self.text(tpath, rec, file, m)
        rec["text"] = text
        rec["char_count"] = len(text) if text is not None else None
        self.rows["documents"].append({k: rec[k] for k in table.names})
        self.claims(folder, doc_id if doc_id is not None else folder.name, text, rec.get("publisher_id"), rec.get("story_id"))

    def text(self, tpath: Path, rec: dict, file: str, m: dict) -> str | None:
        tfile = self.rel(tpath)
        self.inputs.append(tpath)
        try:
            raw = read_regular(tpath)
        except FileNotFoundError:
            self.problem("missing-file", file, m.lines.get("text_file", 1), "document.text_file", f"{tfile} does not exist",
                         "the document's text file", f"save the text as {tfile}")
            return None
        except NotRegularFile as exc:
            self.problem("not-a-file", file, m.lines.get("text_file", 1), "document.text_file", f"{tfile} is {exc.kind}, not a file",
                         "the document's text file", "store the text as a regular file and point text_file at it (default text.txt)")
            return None
        except OSError as exc:
            self.problem("missing-file", file, m.lines.get("text_file", 1), "document.text_file",
                         f"{tfile} cannot be read ({exc.strerror or exc})", "a readable text file", "check the file's permissions")
            return None
        fix = "re-save the text as UTF-8 without BOM, LF line ends, NFC"
        if raw.startswith(b"\xef\xbb\xbf"):
            self.problem("text-encoding", tfile, 1, "", "the file starts with a byte order mark", "UTF-8 without BOM", fix)
            return None
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            self.problem("text-encoding", tfile, line, "", f"byte {exc.start} is not UTF-8 ({exc.reason})", "UTF-8", fix)
            return None
        if "\r" in text:
            line = text[: text.index("\r")].count("\n") + 1
            self.problem("text-encoding", tfile, line, "", "the text has a CR (\\r) line end", "LF line ends", fix)
            return None
        bad = _CONTROL.search(text)
        if bad is not None:
            code = ord(bad.group())
            name = f"U+{code:04X}" + (f" ({_CONTROL_NAMES[code]})" if code in _CONTROL_NAMES else "")
            n = len(_CONTROL.findall(text))
            more = f", and {n - 1} more control character{'s' if n > 2 else ''}" if n > 1 else ""
            self.problem("control-character", tfile, text.count("\n", 0, bad.start()) + 1, "",
                         f"the text holds the control character {name} at offset {bad.start()}{more}",
                         "text without control characters other than line feed and tab",
                         "remove the control characters (they are not part of what the source says)")
            return None
        if not unicodedata.is_normalized("NFC", text):
            line = _first_line(text, lambda s: not unicodedata.is_normalized("NFC", s))
            self.problem("text-encoding", tfile, line, "", "the text is not in Unicode NFC from this line on", "NFC", fix)
            return None
        digest = hashlib.sha256(raw).hexdigest()
        if rec.get("sha256") is not None and rec["sha256"] != digest:
            self.problem("checksum-mismatch", file, m.lines.get("sha256", 1), "document.sha256",
                         f"sha256 {rec['sha256']} does not match {tfile} ({digest})", "the SHA-256 of the stored text",
                         f"if the text was changed on purpose, set sha256: {digest}; otherwise restore the original text")
        return text

    def claims(self, folder: Path, doc_id: str, text: str, publisher_id: str | None, story_id: str | None):
        path = folder / "claims.yaml"
        file = self.rel(path)
        doc = self.read_yaml(path)
        entries = self.top_list(doc, "claims", file)
        S = self.schema
        for i, m in enumerate(entries):
            p = f"claims[{i}]"
            rec = self.record(m, S["claims"], file, p, derived={"doc_id", "span_start", "span_end", "claim_date", "claim_date_precision"},
                              extra={"occurrence": int, "span_start": int, "claim_date": object, "sourcing": list, "stances": list, "verdict": dict,
                                     "link": dict},
                              parent_line=entries.lines[i])
            if rec is None:
                continue
            self.dated(rec, m, "claim_date", S["claims"], file, p)
            claim_id = rec["claim_id"]
            line = m.lines.get("claim_id", m.line)
            if claim_id is not None and not claim_id.startswith(f"{doc_id}-c"):
                self.problem("bad-format", file, line, f"{p}.claim_id", f"claim id {claim_id!r} does not start with its document id",
                             f"'{doc_id}-c' and a number", f"rename it {doc_id}-c{claim_id.rsplit('-c', 1)[-1]}")
            self.define("claims", claim_id, file, line, f"{p}.claim_id")
            self.ref("speakers", rec["claimant_id"], file, m.lines.get("claimant_id", m.line), f"{p}.claimant_id")
            loc = self.span(text, m, "quote", "occurrence", "span_start", file, p)
            rec["doc_id"] = doc_id
            rec["span_start"], rec["span_end"] = (loc.start, loc.end) if loc else (None, None)
            self.rows["claims"].append({k: rec[k] for k in S["claims"].names})
            self.sourcing(m, p, file, text, claim_id, rec["claimant_id"], publisher_id)
            self.stances(m, p, file, text, claim_id, doc_id)
            self.verdict(m, p, file, claim_id)
            if m.get("link") is not None:
                self.link(m, p, file, claim_id, doc_id, story_id)

    def sub_list(self, m: dict, key: str, p: str, file: str, required: bool):
        v = m.get(key)
        if v is None or v == []:
            if required:
                self.problem("missing-field", file, m.line, f"{p}.{key}", f"required field {key!r} is missing",
                             f"a list of {key} entries", f"add '{key}:' with at least one entry")
            return []
        return v if isinstance(v, list) else []

    def sourcing(self, m, p, file, text, claim_id, claimant_id, publisher_id):
        links = self.sub_list(m, "sourcing", p, file, required=True)
        table = self.schema["sourcing"]
        n = len(links)
        for pos, link in enumerate(links):
            lp = f"{p}.sourcing[{pos}]"
            rec = self.record(link, table, file, lp, derived={"claim_id", "position", "role", "cue_start", "cue_end"},
                              extra={"cue_occurrence": int, "cue_start": int}, parent_line=links.lines[pos])
            if rec is None:
                continue
            line = link.lines.get("source_id", link.line)
            self.ref("speakers", rec["source_id"], file, line, f"{lp}.source_id")
            first, last = pos == 0, pos == n - 1
            if first and rec["source_type"] not in (None, "article_voice"):
                self.problem("bad-chain", file, link.lines.get("source_type", link.line), f"{lp}.source_type",
                             f"the first link is {rec['source_type']!r}", "article_voice: the chain starts with the document itself",
                             "insert the document's own voice as the first link")
            if not first and rec["source_type"] == "article_voice":
                self.problem("bad-chain", file, link.lines.get("source_type", link.line), f"{lp}.source_type",
                             "article_voice appears after the first link", "article_voice only at position 0",
                             "give this link the type of the source it names")
            if first and publisher_id and rec["source_id"] not in (None, publisher_id):
                self.problem("bad-chain", file, line, f"{lp}.source_id",
                             f"the first link is {rec['source_id']!r}, not the document's publisher {publisher_id!r}",
                             f"source_id: {publisher_id}", f"set source_id: {publisher_id}")
            if last and claimant_id in self.defined["speakers"] and rec["source_id"] not in (None, claimant_id):
                self.problem("bad-chain", file, line, f"{lp}.source_id",
                             f"the last link is {rec['source_id']!r} but the claimant is {claimant_id!r}",
                             "the claimant at the end of the chain",
                             "make the claimant the last link, or correct claimant_id")
            loc = None
            if rec["cue"] is not None:
                loc = self.span(text, link, "cue", "cue_occurrence", "cue_start", file, lp)
            rec.update(claim_id=claim_id, position=pos, role="author" if first else ("origin" if last else "relay"))
            rec["cue_start"], rec["cue_end"] = (loc.start, loc.end) if loc else (None, None)
            self.rows["sourcing"].append({k: rec[k] for k in table.names})

    def stances(self, m, p, file, text, claim_id, doc_id):
        entries = self.sub_list(m, "stances", p, file, required=False)
        table = self.schema["stances"]
        holders: dict[str, int] = {}
        for k, s in enumerate(entries):
            sp = f"{p}.stances[{k}]"
            rec = self.record(s, table, file, sp, derived={"claim_id", "doc_id", "span_start", "span_end"},
                              extra={"occurrence": int, "span_start": int}, parent_line=entries.lines[k])
            if rec is None:
                continue
            line = s.lines.get("holder_id", s.line)
            holder = rec["holder_id"]
            if holder in holders:
                self.problem("duplicate-id", file, line, f"{sp}.holder_id",
                             f"{holder!r} already has a stance on this claim (line {holders[holder]})",
                             "one stance per holder and claim", "merge the two entries into one")
                continue
            if holder is not None:
                holders[holder] = line
            self.ref("speakers", holder, file, line, f"{sp}.holder_id")
            loc = self.span(text, s, "quote", "occurrence", "span_start", file, sp)
            rec.update(claim_id=claim_id, doc_id=doc_id)
            rec["span_start"], rec["span_end"] = (loc.start, loc.end) if loc else (None, None)
            self.rows["stances"].append({k: rec[k] for k in table.names})

    def verdict(self, m, p, file, claim_id):
        v = m.get("verdict")
        if v is None:
            self.problem("missing-field", file, m.line, f"{p}.verdict", "required field 'verdict' is missing",
                         "a verdict with veracity, fidelity, confidences and rationales",
                         "add 'verdict:' (use not_enough_evidence / source_not_found when nothing was found)")
            return
        table = self.schema["verdicts"]
        vp = f"{p}.verdict"
        rec = self.record(v, table, file, vp, derived={"claim_id"}, extra={"evidence": list}, parent_line=m.lines.get("verdict", m.line))
        if rec is None:
            return
        rec["claim_id"] = claim_id
        self.rows["verdicts"].append({k: rec[k] for k in table.names})
        entries = self.sub_list(v, "evidence", vp, file, required=False)
        et = self.schema["evidence"]
        for k, e in enumerate(entries):
            ep = f"{vp}.evidence[{k}]"
            erec = self.record(e, et, file, ep, derived={"claim_id", "published_date", "published_date_precision"},
                               extra={"published_date": object}, parent_line=entries.lines[k])
            if erec is None:
                continue
            self.dated(erec, e, "published_date", et, file, ep)
            eid = erec["evidence_id"]
            line = e.lines.get("evidence_id", e.line)
            if eid is not None and claim_id is not None and not eid.startswith(f"{claim_id}-e"):
                self.problem("bad-format", file, line, f"{ep}.evidence_id", f"evidence id {eid!r} does not start with its claim id",
                             f"'{claim_id}-e' and a number", f"rename it {claim_id}-e{k + 1}")
            self.define("evidence", eid, file, line, f"{ep}.evidence_id")
            erec["claim_id"] = claim_id
            self.rows["evidence"].append({kk: erec[kk] for kk in et.names})

    def link(self, m, p, file, claim_id, doc_id, story_id):
        """The claim's ``link``: the earlier claim it renders, one row of claim_links and its link_mutations."""
        lm = m["link"]
        lp = f"{p}.link"
        line = m.lines.get("link", m.line)
        table = self.schema["claim_links"]
        rec = self.record(lm, table, file, lp, derived={"claim_id", "doc_id", "source_doc_id", "story_id"},
                          extra={"mutations": list}, parent_line=line)
        if rec is None:
            return
        if rec["fidelity"] is not None and rec["fidelity"] not in HOP_FIDELITY:
            self.problem("not-in-label-set", file, lm.lines.get("fidelity", lm.line), f"{lp}.fidelity",
                         f"{rec['fidelity']!r} is not a fidelity of a hop", f"one of {', '.join(HOP_FIDELITY)}",
                         "judge how this claim renders the earlier one: accurate, distorted or misattributed")
        source = rec["source_claim_id"]
        sline = lm.lines.get("source_claim_id", lm.line)
        source_doc = source.rsplit("-c", 1)[0] if source else None
        if story_id is None:
            self.problem("missing-field", file, line, lp, f"{claim_id} has a link but its document has no story_id",
                         "a document of a story", f"add 'story_id:' to data/documents/{doc_id}/document.yaml")
        if source_doc is not None and source_doc == doc_id:
            self.problem("bad-reference", file, sline, f"{lp}.source_claim_id",
                         f"{source!r} is a claim of the same document", "a claim of an earlier document of the story",
                         "link to the claim this one was taken from in another document, or remove the link")
            source = None
        self.ref("claims", source, file, sline, f"{lp}.source_claim_id")
        mutations = lm.get("mutations")
        if mutations is None:
            self.problem("missing-field", file, lm.line, f"{lp}.mutations", "required field 'mutations' is missing",
                         "a list of mutation labels ([] when the rendering is faithful)",
                         "add 'mutations: []' or list the changes found")
            mutations = []
        labels = self.schema.label_sets["mutation"].names
        seen: set[str] = set()
        mline = lm.lines.get("mutations", lm.line)
        for k, mu in enumerate(mutations if isinstance(mutations, list) else []):
            mp = f"{lp}.mutations[{k}]"
            if not isinstance(mu, str) or mu not in labels:
                close = difflib.get_close_matches(str(mu), labels, n=1) if isinstance(mu, str) else []
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.problem("not-in-label-set", file, mline, mp, f"{mu!r} is not in label set mutation",
                             f"one of {', '.join(labels)}", f"{hint}use one of those labels (described in schema/labels.json)")
                continue
            if mu in seen:
                self.problem("duplicate-id", file, mline, mp, f"mutation {mu!r} is listed twice", "each mutation once",
                             "remove the repeated label")
                continue
            seen.add(mu)
            self.rows["link_mutations"].append({"claim_id": claim_id, "mutation": mu})
        rec.update(claim_id=claim_id, doc_id=doc_id, source_doc_id=source_doc, story_id=story_id)
        self.rows["claim_links"].append({k: rec[k] for k in table.names})
        self.links.append((claim_id, doc_id, source, source_doc, file, sline, f"{lp}.source_claim_id"))

    def stories(self):
        """data/stories.yaml, optional: a corpus without stories has no such file."""
        path = self.data / "stories.yaml"
        if not path.exists() and not path.is_symlink():
            return
        doc = self.read_yaml(path)
        file = self.rel(path)
        if doc is None:
            self.unreadable.add("stories")
        entries = self.top_list(doc, "stories", file)
        table = self.schema["stories"]
        for i, m in enumerate(entries):
            sp = f"stories[{i}]"
            rec = self.record(m, table, file, sp, derived=set(), extra={}, parent_line=entries.lines[i])
            if rec is None:
                continue
            self.define("stories", rec["story_id"], file, m.lines.get("story_id", m.line), f"{sp}.story_id")
            self.ref("documents", rec["origin_doc_id"], file, m.lines.get("origin_doc_id", m.line), f"{sp}.origin_doc_id")
            self.story_origin[rec["story_id"]] = (rec["origin_doc_id"], file, m.lines.get("origin_doc_id", m.line), f"{sp}.origin_doc_id")
            self.rows["stories"].append(rec)

    def check_stories(self):
        """Across documents: each story's origin belongs to it, derivations stay in one story and form no
        cycle, and a link points to the document its claim's document was taken from, or to the origin."""
        docs = self.doc_story
        for story, (origin, file, line, fpath) in self.story_origin.items():
            if origin in docs and docs[origin][0] != story:
                self.problem("bad-reference", file, line, fpath, f"origin {origin} does not belong to story {story!r}",
                             f"a document with story_id: {story}", f"set story_id: {story} in {origin}'s document.yaml")
        for doc_id, (story, derived_from, file, line) in docs.items():
            if derived_from in docs and docs[derived_from][0] != story:
                self.problem("bad-reference", file, line, "document.derived_from",
                             f"{derived_from} belongs to story {docs[derived_from][0]!r}, {doc_id} to {story!r}",
                             "a document of the same story", "correct derived_from or story_id")
            # follow derived_from: a cycle comes back to a document already seen
            seen, cur = [doc_id], derived_from
            while cur in docs and cur not in seen:
                seen.append(cur)
                cur = docs[cur][1]
            if cur == doc_id:
                self.problem("derivation-cycle", file, line, "document.derived_from",
                             "documents derive from each other: " + " <- ".join(seen + [doc_id]),
                             "a derivation graph without cycles, ending at the story's origin",
                             "correct derived_from in one of these documents")
        for claim_id, doc_id, source, source_doc, file, line, fpath in self.links:
            if source is None or source_doc not in docs or doc_id not in docs:
                continue
            story, derived_from = docs[doc_id][0], docs[doc_id][1]
            origin = self.story_origin.get(story, (None,))[0]
            allowed = [d for d in (derived_from, origin) if d is not None]
            if source_doc not in allowed:
                self.problem("bad-link", file, line, fpath,
                             f"{claim_id} links to {source} in {source_doc}, but {doc_id} was taken from "
                             f"{derived_from or 'no known document'} and the story's origin is {origin}",
                             "a claim of the document it was taken from (derived_from), else of the story's origin",
                             f"link to a claim of {' or '.join(allowed) or 'the origin'}, or correct derived_from")

    # -- annotations: data/annotations/round<N>/<annotator_id>/<doc_id>.yaml ---------------------
    def note_published(self):
        """Remember the published labels of the rows read so far (the rows may be handed on in chunks)."""
        for c in self.rows["claims"]:
            self.published[c["claim_id"], "checkworthy"] = _label_text(c["checkworthy"])
        for v in self.rows["verdicts"]:
            self.published[v["claim_id"], "veracity"] = v["veracity"]
            self.published[v["claim_id"], "fidelity"] = v["fidelity"]
        for k in self.rows["claim_links"]:
            self.published[k["claim_id"], "hop_fidelity"] = k["fidelity"]
            self.published.setdefault((k["claim_id"], "mutations"), set())
        for m in self.rows["link_mutations"]:
            self.published.setdefault((m["claim_id"], "mutations"), set()).add(m["mutation"])

    def annotations(self):
        """Every annotator's labels, round by round (optional: a corpus may have none)."""
        top = self.data / "annotations"
        if not top.is_dir() or not self.linked_inside(top, self.rel(top)):
            return
        for rdir in sorted(p for p in top.iterdir() if p.is_dir()):
            m = re.fullmatch(r"round([1-9][0-9]*)", rdir.name)
            if not m:
                self.problem("bad-format", self.rel(rdir), None, "", f"{rdir.name!r} is not a round folder",
                             "round1, round2, ...", "rename the folder to round<N>")
                continue
            for adir in sorted(p for p in rdir.iterdir() if p.is_dir()):
                if not re.fullmatch(r"a[0-9]+|adjudication", adir.name):
                    self.problem("bad-format", self.rel(adir), None, "", f"{adir.name!r} is not an annotator folder",
                                 "a1, a2, ... or adjudication", "rename the folder to the annotator id")
                    continue
                for path in sorted(adir.glob("*.yaml")):
                    self.annotation_file(path, int(m.group(1)), adir.name)

    def annotation_file(self, path: Path, rnd: int, annotator: str):
        doc = self.read_yaml(path)
        if doc is None:
            return
        self.inputs.append(path)
        file = self.rel(path)
        doc_id = path.stem
        if not isinstance(doc, dict):
            self.problem("wrong-type", file, 1, "", f"expected a mapping, got {_typename(doc)}",
                         "doc_id, claims and links", "write the file as in data/README.md, Annotations")
            return
        for k in doc:
            if k not in ("doc_id", "claims", "links"):
                self.problem("unknown-field", file, doc.lines[k], k, f"unknown top-level key {show(k, 60)}",
                             "doc_id, claims, links", "remove it")
        if doc.get("doc_id") != doc_id:
            self.problem("bad-reference", file, doc.lines.get("doc_id", 1), "doc_id",
                         f"doc_id is {show(doc.get('doc_id'), 40)} in {path.name}", f"doc_id: {doc_id}",
                         "name the file after the document it annotates")
        adjudication = annotator == ADJUDICATION
        for key, dims in (("claims", ANNOTATION_DIMENSIONS[:3]), ("links", ANNOTATION_DIMENSIONS[3:])):
            entries = doc.get(key) or []
            if not isinstance(entries, list):
                self.problem("wrong-type", file, doc.lines[key], key, f"{key} is {_typename(entries)}", "a list of entries",
                             "write each entry on a line starting with '- '")
                continue
            for i, e in enumerate(entries):
                ep = f"{key}[{i}]"
                line = entries.lines[i]
                if not isinstance(e, dict) or not isinstance(e.get("claim_id"), str):
                    self.problem("missing-field", file, line, f"{ep}.claim_id", "the entry has no claim_id",
                                 "claim_id and its dimensions", "add 'claim_id:'")
                    continue
                cid = e["claim_id"]
                if not cid.startswith(doc_id + "-"):
                    self.problem("bad-reference", file, e.lines["claim_id"], f"{ep}.claim_id", f"{cid} is not a claim of {doc_id}",
                                 f"a claim id starting {doc_id}-", "move the entry to its document's file")
                self.ref("claims", cid, file, e.lines["claim_id"], f"{ep}.claim_id")
                if key == "links":
                    self.annotated_links.append((cid, file, e.lines["claim_id"], f"{ep}.claim_id"))
                for k in e:
                    if k != "claim_id" and k not in dims:
                        self.problem("unknown-field", file, e.lines[k], f"{ep}.{k}", f"unknown field {show(k, 60)}",
                                     f"claim_id, {', '.join(dims)}", "rename or remove it")
                for dim in dims:
                    if dim not in e:
                        if not adjudication:
                            self.problem("missing-field", file, e.line, f"{ep}.{dim}", f"no {dim} label",
                                         f"{dim}: with label, confidence and rationale", f"add '{dim}:'")
                        continue
                    self.annotation(e[dim], e.lines[dim], file, f"{ep}.{dim}", cid, rnd, annotator, dim)

    def annotation(self, m, line: int, file: str, p: str, cid: str, rnd: int, annotator: str, dim: str):
        if not isinstance(m, dict):
            self.problem("wrong-type", file, line, p, f"{dim} is {_typename(m)}", "a mapping: label, confidence, rationale",
                         "write label:, confidence: and rationale: under it")
            return
        allowed = {"labels" if dim == "mutations" else "label", "confidence", "rationale"}
        for k in m:
            if k not in allowed:
                self.problem("unknown-field", file, m.lines[k], f"{p}.{k}", f"unknown field {show(k, 60)}",
                             ", ".join(sorted(allowed)), "rename or remove it")
        names = ANNOTATION_LABELS[dim](self.schema)
        label, mutations = None, []
        if dim == "mutations":
            mutations = m.get("labels")
            if not isinstance(mutations, list) or any(x not in names for x in mutations):
                self.problem("not-in-label-set", file, m.lines.get("labels", m.line), f"{p}.labels", f"labels is {show(mutations, 60)}",
                             f"a list of {', '.join(names)} ([] when faithful)", "correct the mutation names")
                return
            mutations = [x for x in names if x in mutations]  # label-set order
        else:
            raw = m.get("label")
            label = _label_text(raw) if dim == "checkworthy" and isinstance(raw, bool) else raw
            if label not in names:
                self.problem("not-in-label-set", file, m.lines.get("label", m.line), f"{p}.label", f"{show(raw, 40)} is not a {dim} label",
                             f"one of {', '.join(names)}", "correct the label")
                return
        conf = m.get("confidence")
        if conf is not None and conf not in self.schema.label_sets["confidence"].names:
            self.problem("not-in-label-set", file, m.lines["confidence"], f"{p}.confidence", f"{show(conf, 40)} is not a confidence",
                         "high, medium or low", "correct the confidence")
            return
        rationale = m.get("rationale")
        if annotator != "a1" and not (isinstance(rationale, str) and rationale.strip()):
            self.problem("missing-field", file, m.line, f"{p}.rationale", "no rationale",
                         "the annotator's reasons" + (", for adjudication why this label won" if annotator == ADJUDICATION else ""),
                         "write the rationale")
        self.rows["annotations"].append({"claim_id": cid, "annotator_id": annotator, "round": rnd, "dimension": dim,
                                         "label": label, "mutations": mutations, "confidence": conf,
                                         "rationale": rationale if isinstance(rationale, str) else None})
        self.annotated.setdefault((rnd, cid, dim), []).append(
            (annotator, tuple(mutations) if dim == "mutations" else label, file, m.line, p))

    def check_annotations(self):
        """Each disagreement is adjudicated; the last round's final labels are the published ones."""
        if not self.annotated:
            return
        link_ids = {cid for cid, *_ in self.links}
        for cid, file, line, p in self.annotated_links:
            if cid not in link_ids and "claims" not in self.unreadable:
                self.problem("bad-reference", file, line, p, f"{cid} has no link", "the claim_id of a claim with a link",
                             "move the entry under claims, or remove it")
        last = max(r for r, _, _ in self.annotated)
        # the published labels are compared only when the rest of the curation read cleanly: a label it
        # refused is reported once, where it is written
        compare = not self.problems
        for (rnd, cid, dim), given in sorted(self.annotated.items()):
            labels = {a: lab for a, lab, *_ in given}
            adjudicated = ADJUDICATION in labels
            if disagree(labels) and not adjudicated:
                _, _, file, line, p = next(g for g in given if g[0] != "a1")
                shown = ", ".join(f"{a} {_shown_label(lab)}" for a, lab in sorted(voters(labels).items()))
                self.problem("unadjudicated", file, line, p, f"round {rnd}: the annotators disagree on {dim} of {cid} ({shown})",
                             "an adjudicated label with the reason it won",
                             f"add {cid} {dim} to data/annotations/round{rnd}/adjudication/{cid.split('-')[0]}.yaml")
            if not compare or rnd != last or (cid, dim) not in self.published:
                continue
            final = labels.get(ADJUDICATION, labels.get("a1"))
            published = self.published[cid, dim]
            if dim == "mutations":
                final, published = tuple(sorted(final or ())), tuple(sorted(published))
            if final is not None and final != published:
                who = ADJUDICATION if adjudicated else "a1"
                _, _, file, line, p = next(g for g in given if g[0] == who)
                self.problem("not-published", file, line, p,
                             f"round {rnd}'s final {dim} of {cid} is {_shown_label(final)}, the curation publishes {_shown_label(published)}",
                             "the published label is the last round's final label",
                             "correct the claim's label in claims.yaml, or the annotation")

    def check_refs(self):
        for table, key, file, line, fpath in self.refs:
            if table not in self.unreadable and key not in self.defined[table]:
                known = sorted(self.defined[table])
                close = difflib.get_close_matches(key, known, n=1, cutoff=CLOSE)
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.problem("unknown-reference", file, line, fpath, f"{key!r} is not a known {table[:-1]} id",
                             f"an id defined in {'data/speakers.yaml' if table == 'speakers' else table}",
                             f"{hint}add {key!r} to data/speakers.yaml or correct the id" if table == "speakers" else f"{hint}correct the id")


def read_corpus(data_dir: Path, schema: Schema | None = None, *, progress=None, sink=None,
                chunk_rows: int = CHUNK_ROWS) -> Corpus:
    """Read and check every curation file under ``data_dir``; raise CurationError with all problems.

    ``progress``, when given, is called with a line of text every few thousand documents.
    ``sink``, when given, receives the rows read so far (table -> list of row dicts, in reading
    order) each time they reach ``chunk_rows``, and once at the end, as long as no problem has
    been found; the rows are then dropped, so that memory holds one chunk of Python rows at a
    time. ``Corpus.rows`` is then empty.
    """
    schema = schema or load_schema()
    r = _Reader(Path(data_dir), schema)
    if not r.data.is_dir():
        raise CurationError([Problem("missing-file", r.rel(r.data), None, "", "the data folder does not exist",
                                     "a folder with speakers.yaml and documents/", "create data/ or pass the right folder")])
    r.speakers()
    r.stories()
    docs_dir = r.data / "documents"
    folders: list[Path] = []
    reported = len(r.problems)
    if docs_dir.is_dir() and r.linked_inside(docs_dir, r.rel(docs_dir)):
        try:
            folders = sorted(p for p in docs_dir.iterdir() if p.is_dir())
        except OSError as exc:
            r.problem("missing-file", r.rel(docs_dir), None, "", f"the folder cannot be read ({exc.strerror or exc})",
                      "a readable folder", "check the folder's permissions")
        folders = [p for p in folders if r.linked_inside(p, r.rel(p))]
    if not folders and len(r.problems) == reported:  # (a refused folder is reported already)
        r.problem("missing-file", r.rel(docs_dir), None, "", "no document folders", "data/documents/<doc_id>/ folders",
                  "add a folder per document with document.yaml, text.txt and claims.yaml")
    claims_read = 0

    def flush():
        nonlocal claims_read
        claims_read += len(r.rows["claims"])
        r.note_published()
        if not r.problems:
            sink(r.rows)
        r.rows = {t: [] for t in schema.table_names}


    step(progress, "read", 0, len(folders), "documents", PROGRESS_EVERY)
    for i, folder in enumerate(folders, 1):
        r.document(folder)
        if sink is not None and sum(map(len, r.rows.values())) >= chunk_rows:
            flush()
        step(progress, "read", i, len(folders), "documents", PROGRESS_EVERY)
    if progress is not None:
        progress(f"read {len(folders)} documents, {claims_read + len(r.rows['claims'])} claims")
    r.note_published()
    r.annotations()
    r.check_refs()
    r.check_stories()
    r.check_annotations()
    if r.problems:
        raise CurationError(r.problems)
    if sink is not None:
        flush()
    return Corpus(rows=r.rows, inputs=sorted(set(r.inputs)))


def _label_text(v) -> str:
    return "true" if v is True else "false" if v is False else v


def _shown_label(v) -> str:
    return "[" + ", ".join(v) + "]" if isinstance(v, tuple) else str(v)


def _shown(v) -> str:
    """A value in a message: text quoted (cut when long), a list or mapping by its kind alone."""
    if isinstance(v, (list, dict)):
        return "the value"
    return show(v) if isinstance(v, str) else repr(v)


def _typename(v) -> str:
    if v is None:
        return "empty"
    if isinstance(v, bool):
        return "true/false"
    if isinstance(v, int):
        return "a number"
    if isinstance(v, float):
        return "a decimal number"
    if isinstance(v, str):
        return "text"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    return type(v).__name__


def _typename_expected(t: type) -> str:
    return {int: "a whole number", str: "text", list: "a list", dict: "a mapping"}.get(t, t.__name__)


def _first_line(text: str, bad) -> int | None:
    """The number of the first line of ``text`` for which ``bad(line)`` holds; lines are read one at a time."""
    pos, n = 0, 1
    while True:
        end = text.find("\n", pos)
        if bad(text[pos:] if end == -1 else text[pos:end]):
            return n
        if end == -1:
            return None
        pos, n = end + 1, n + 1
