"""Problems: in the curation (``claimbank build``) and in a release folder (``claimbank verify``).

One shape for both: every problem names its file, the line and field where there is one, what is
wrong, what was expected and the fix where they can be said. Each has a stable slug
(``unknown-field``, ``quote-not-found``, ``checksum-mismatch`` ...) from the one registry below,
``SLUGS``, that tests, scripts and the documentation can rely on; the wording may improve, the
slug does not change.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass

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
}


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
