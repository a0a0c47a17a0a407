"""Problems: in the curation (``claimbank build``), in a table (``claimbank validate``) and in a
release folder (``claimbank verify``).

One shape for all three: every problem names its file, the line and field where there is one, what
is wrong, what was expected and the fix where they can be said. Each has a stable slug
(``unknown-field``, ``quote-not-found``, ``foreign-key``, ``checksum-mismatch`` ...) from the one
registry below, ``SLUGS``, that tests, scripts and the documentation can rely on; the wording may
improve, the slug does not change. A failed check of a table is a :class:`Failure`, a problem that
also says its table and offending rows; its slug is the check's: one of the checks the suites derive
from the table schemas (registered here), or a hand-written check of ``schema/semantic.json``, which
:func:`register_checks` adds to the registry with its description.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from dataclasses import asdict, dataclass

from .schema import Schema, semantic

SLUGS = {
    "yaml-syntax": "The file is not valid YAML.",
    "yaml-unsafe": "The file uses a YAML feature that is not allowed (tags, anchors, aliases).",
    "yaml-too-deep": "Lists and mappings nested deeper than the format ever needs.",
    "empty-file": "A curation file that is empty or holds only comments.",
    "duplicate-key": "A mapping has the same key twice.",
    "unknown-field": "A key that the format does not define.",
    "missing-field": "A required key is absent or empty.",
    "wrong-type": "A value of the wrong type.",
    "bad-format": "A value that does not match its pattern or range.",
    "not-in-label-set": "A label outside its label set.",
    "duplicate-id": "The same id used twice.",
    "unknown-reference": "A reference to an id that does not exist.",
    "bad-reference": "A reference that exists but is not allowed here.",
    "quote-not-found": "A quote that does not occur in the document text.",
    "quote-near-miss": "A quote that differs from the text only by typographic quotes, dashes or whitespace.",
    "quote-ambiguous": "A quote that occurs more than once, with nothing to say which occurrence is meant.",
    "offset-mismatch": "A stated offset or occurrence that does not match the text.",
    "missing-file": "A file the curation needs is absent.",
    "not-a-file": "A path where a file is needed holds a folder, a FIFO, a device or a socket.",
    "path-outside-data": "A file or folder, or a link to one, that resolves outside data/.",
    "text-encoding": "A source text that is not UTF-8, not NFC, or has CR line ends or a BOM.",
    "control-character": "A control character (NUL, BEL, ESC ...) other than line feed and tab, in a source text or a YAML file.",
    "checksum-mismatch": "A stated SHA-256 that does not match the stored text, or the file a release lists it for.",
    "bad-chain": "A sourcing chain that is not well formed.",
    "bad-link": "A claim link that points outside the document's derivation: not to the document it was taken from, nor to the story's origin.",
    "derivation-cycle": "Documents that derive from each other in a cycle.",
    "unadjudicated": "Annotators disagree on a label and no adjudicated label says which won.",
    "not-published": "The last annotation round's final label differs from the label the curation publishes.",
    "affiliation-cycle": "Speakers affiliated to each other in a circle, or a speaker affiliated to itself.",
    # a release folder (claimbank verify)
    "link": "A link in a release folder, or a release folder that is a link: a release holds its own files.",
    "sums-missing": "A release folder without SHA256SUMS.",
    "not-a-release": "verify was given a build folder, which states no checksums: a build is checked with validate.",
    "sums-malformed": "A line of SHA256SUMS that is not '<sha256>  <path>'.",
    "file-missing": "A file listed in SHA256SUMS that the release folder lacks.",
    "file-extra": "A file of the release folder that SHA256SUMS does not list.",
    "parquet-unreadable": "A Parquet file of a release whose footer cannot be read.",
    "croissant-missing": "A release folder without croissant.json.",
    "croissant-malformed": "A croissant.json that does not parse as a JSON object.",
    "croissant-mismatch": "A Parquet file whose SHA-256 or size differs from croissant.json, or that it does not describe.",
    "release-missing": "A release folder without release.json.",
    "release-malformed": "A release.json that does not parse as a JSON object.",
    "release-mismatch": "A release.json whose version or row counts differ from the folder's.",
    "text-mismatch": "A document text whose SHA-256 differs from its sha256 column or from the inputs release.json states.",
    "card-missing": "A release folder without its dataset card (README.md).",
    "card-malformed": "A dataset card without a YAML header with dataset_info.",
    "split-files-missing": "A config of the dataset card without Parquet files.",
    "split-size-mismatch": "A split size of the dataset card that differs from the rows of its Parquet files.",
    "unrecorded": "A release that releases/index.json does not record.",
    "index-mismatch": "A SHA256SUMS whose SHA-256 differs from the one releases/index.json recorded when the release was cut.",
    # a table of a build or release folder (claimbank validate): reading it
    "table-present": "A table of the schema with no Parquet file in its folder, data/<table>/.",
    "table-readable": "A table whose Parquet files cannot be read.",
    "arrow-type": "A column stored with another Arrow type than the schema's.",
    # ... and the checks the suites derive from the table schemas (claimbank.suites.structural)
    "columns": "A table whose columns are not the schema's, in its order.",
    "required": "A null in a column the schema requires.",
    "type": "A column whose values are not of the schema's type.",
    "unique": "A value repeated in a column whose values are unique.",
    "label-set": "A value outside the column's label set.",
    "pattern": "A value that does not match the column's pattern.",
    "minimum": "A number below the column's minimum.",
    "min-length": "A text shorter than the column's minimum length.",
    "date-range": "A date outside the range the schema allows.",
    "primary-key": "A compound primary key that is not unique.",
    "foreign-key": "A value of a foreign key that the referenced column does not hold.",
    # the hand-written checks of schema/semantic.json are added by register_checks(schema)
}
_FIXED = frozenset(SLUGS)


def semantic_checks(schema: Schema) -> dict[str, str]:
    """The hand-written checks of ``schema/semantic.json``: slug (``meta.check``) -> its ``meta.description``,
    the first where a slug is used by more than one table.

    Raises ValueError for an expectation without a slug or description, or with a slug the registry holds
    with another meaning (a slug of the curation, of verify or of the checks derived from the schema).
    """
    out: dict[str, str] = {}
    for table, expectations in semantic(schema)["tables"].items():
        for i, e in enumerate(expectations):
            meta = e.get("meta") or {}
            where = f"{schema.root / 'semantic.json'}: tables.{table}[{i}]"
            check, description = meta.get("check"), meta.get("description")
            if not (isinstance(check, str) and check and isinstance(description, str) and description):
                raise ValueError(f"{where}: meta.check and meta.description are required; expected a slug such as "
                                 "'quote-matches-text' and the check in words")
            if check in _FIXED:
                raise ValueError(f"{where}: the check {check!r} is registered already ({SLUGS[check]}); "
                                 "expected a slug of its own")
            out.setdefault(check, description)
    return out


def register_checks(schema: Schema) -> dict[str, str]:
    """Add the hand-written checks of ``schema`` to ``SLUGS`` (see :func:`semantic_checks`); returns them."""
    checks = semantic_checks(schema)
    SLUGS.update(checks)
    return checks


@dataclass(frozen=True)
class Problem:
    """``file:line: field: message; expected EXPECTED. Fix: FIX [slug]``, the parts that are known."""

    slug: str
    file: str
    line: int | None = None
    field: str = ""
    message: str = ""
    expected: str = ""
    fix: str = ""

    def __post_init__(self) -> None:
        if self.slug not in SLUGS:
            raise ValueError(f"unknown problem slug {self.slug!r}")

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        field = f" {self.field}:" if self.field else ""
        text = self.message
        if self.expected:
            text += f"; expected {self.expected}"
        if self.fix:
            text += f". Fix: {self.fix}"
        return f"{where}:{field} {text} [{self.slug}]"

    def as_dict(self) -> dict:
        return asdict(self)


class CurationError(Exception):
    """Raised with every problem of a run; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.field, p.slug, p.message))
        super().__init__(self.report())

    def report(self) -> str:
        n = len(self.problems)
        lines = [str(p) for p in self.problems]
        lines.append(f"{n} problem{'s' if n != 1 else ''} found; nothing was written.")
        return "\n".join(lines)

    def as_json(self) -> str:
        return json.dumps([p.as_dict() for p in self.problems], indent=2, ensure_ascii=False)


@dataclass(frozen=True)
class Failure(Problem):
    """A check of a table that failed (``claimbank validate``; the build runs the same checks before it writes).

    The problem's ``file`` is the table's folder, ``data/<table>/``; its slug is the check, ``field`` the column
    the check is on (empty for the whole table) and ``expected`` the check in words. With it: the table, how many
    rows fail the check (where it counts rows), a few offending values and the key of each offending row.
    ``check``, ``column`` and ``description`` name the same parts as validation.json does (:meth:`as_dict`).
    """

    table: str = ""
    unexpected_count: int | None = None
    examples: list = dataclasses.field(default_factory=list)
    rows: list = dataclasses.field(default_factory=list)

    @classmethod
    def of(cls, table: str, check: str, column: str | None, description: str, message: str,
           unexpected_count: int | None = None, examples: list | None = None, rows: list | None = None) -> Failure:
        return cls(check, f"data/{table}/", field=column or "", message=message, expected=description, table=table,
                   unexpected_count=unexpected_count, examples=list(examples or []), rows=list(rows or []))

    @property
    def check(self) -> str:
        return self.slug

    @property
    def column(self) -> str | None:
        return self.field or None

    @property
    def description(self) -> str:
        return self.expected

    def __str__(self) -> str:
        col = f".{self.column}" if self.column else ""
        s = f"{self.table}{col} [{self.check}]: {self.message}"
        if self.rows:
            s += "; rows: " + "; ".join(", ".join(f"{k}={v}" for k, v in r.items()) for r in self.rows)
        return s

    def as_dict(self) -> dict:
        """The failure as validation.json states it."""
        return {"table": self.table, "check": self.check, "column": self.column, "description": self.description,
                "message": self.message, "unexpected_count": self.unexpected_count,
                "examples": copy.deepcopy(self.examples), "rows": copy.deepcopy(self.rows)}
