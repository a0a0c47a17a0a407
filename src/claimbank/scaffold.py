"""``claimbank new``: a new document folder in the curation, ready to annotate.

The text is stored byte for byte after the same checks the build makes (UTF-8 without BOM,
LF line ends, NFC), its sha256 and length are computed, and ``document.yaml``,
``claims.yaml`` (``claims: []`` with a commented template) and ``searches.md`` are written
from templates. Nothing is written when anything is wrong, and an existing folder is never
touched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path


DOC_ID = re.compile(r"^d[0-9]{3,}$")


class ScaffoldError(Exception):
    """The document cannot be scaffolded; the message names what and the fix."""


def check_text(raw: bytes, name: str) -> str:
    """The text of ``raw`` if it can be stored as it is; else ScaffoldError naming the line and the fix."""
    fix = "re-save the text as UTF-8 without BOM, with LF line ends, in Unicode NFC"
    if raw.startswith(b"\xef\xbb\xbf"):
        raise ScaffoldError(f"{name}:1: the file starts with a byte order mark; {fix}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScaffoldError(f"{name}:{line}: byte {exc.start} is not UTF-8 ({exc.reason}); {fix}") from None
    if "\r" in text:
        raise ScaffoldError(f"{name}:{text[: text.index(chr(13))].count(chr(10)) + 1}: a CR (\\r) line end; {fix}")
    if not unicodedata.is_normalized("NFC", text):
        raise ScaffoldError(f"{name}: the text is not in Unicode NFC; {fix}")
    if not text.strip():
        raise ScaffoldError(f"{name}: the text is empty; pass the file that holds the document's text")
    return text


def document_yaml(doc_id: str, *, url: str | None, sha256: str, chars: int, source_file: str, today: str) -> str:
    url_line = url if url else "null"
    return f"""# {doc_id}: fill in what is known; an unknown fact is null, never guessed (data/README.md).
doc_id: {doc_id}
title: null              # the headline as shown, or null
publisher_id: null       # the outlet, a speaker in data/speakers.yaml
url: {url_line}
published_date: null     # YYYY-MM-DD, YYYY-MM or YYYY as the page shows it; null if not shown
retrieved_date: {today}
retrieval: >-
  How and from where the text was obtained, where the date comes from, and the byline if shown.
source_file: {source_file}
language: en             # BCP 47 tag of the text: en, de, uk, ru, ...
license: >-
  Copyright of its publisher; not covered by the ClaimBank licence. Only the annotated passages are quoted.
sha256: {sha256}  # of text.txt ({chars} characters); the build checks it
text_file: text.txt
text_scope: excerpt      # full, or excerpt: only the annotated paragraphs, each gap a paragraph '[…]'
text_rights: null        # who holds the copyright of the text
story_id: null           # the story in data/stories.yaml, if the document re-reports one
derived_from: null       # the document it was taken from, where established
derivation: null         # how derived_from was established, or why it could not be
"""


CLAIMS_TEMPLATE = """# Claims of {doc_id}, in text order. One entry per claim; every field is described in data/README.md.
claims: []
#  - claim_id: {doc_id}-c01
#    quote: "the passage, copied character for character from text.txt"
#    claim_text: The claim restated so that it stands alone.
#    claimant_id: a-speaker-id
#    claim_type: event
#    checkworthy: true
#    claim_date: null
#    topics: []
#    location: body
#    sourcing:
#      - source_id: the-publisher-id
#        source_type: article_voice
#    stances: []
#    link:                      # only if the claim renders a claim of an earlier document of its story
#      source_claim_id: d001-c01
#      relation: same_claim
#      mutations: []
#      fidelity: accurate
#      confidence: medium
#      rationale: what changed between the two quotes
#    verdict:
#      veracity: not_enough_evidence
#      confidence: medium
#      rationale: what was read, or what was searched without result
#      fidelity: own_voice
#      fidelity_confidence: medium
#      fidelity_rationale: why
#      reviewed_date: {today}
#      evidence: []
"""

SEARCHES_TEMPLATE = """# Searches behind the verdicts of {doc_id}

Every search made for this document's verdicts, including those that found nothing: the query, then what
it found or NOTHING FOUND. Rationales cite these sections.
"""


def new_document(data: Path, doc_id: str, text_file: Path, *, url: str | None = None, today: str | None = None) -> Path:
    """Create ``data/documents/<doc_id>/`` with the text stored and the templates filled; return the folder."""
    if not DOC_ID.fullmatch(doc_id):
        raise ScaffoldError(f"{doc_id!r} is not a document id; expected 'd' and at least three digits, e.g. d021")
    folder = Path(data) / "documents" / doc_id
    if folder.exists() or folder.is_symlink():
        raise ScaffoldError(f"{folder} already exists; choose the next free id (ids are never reused)")
    if not Path(data).is_dir():
        raise ScaffoldError(f"{data}: no such curation folder; pass --data DIR or run from the repository")
    if url is not None and not re.fullmatch(r"https?://\S+", url):
        raise ScaffoldError(f"--url {url!r} is not an http(s) URL; pass the page's address as shown")
    src = Path(text_file)
    if not src.is_file():
        raise ScaffoldError(f"{src}: no such file; pass the file that holds the document's text")
    raw = src.read_bytes()
    text = check_text(raw, str(src))
    today = today or dt.date.today().isoformat()
    sha = hashlib.sha256(raw).hexdigest()
    files = {
        "text.txt": raw,
        "document.yaml": document_yaml(doc_id, url=url, sha256=sha, chars=len(text), source_file=src.name, today=today),
        "claims.yaml": CLAIMS_TEMPLATE.format(doc_id=doc_id, today=today),
        "searches.md": SEARCHES_TEMPLATE.format(doc_id=doc_id),
    }
    tmp = folder.with_name(f".{doc_id}.new")
    tmp.mkdir(parents=True)
    try:
        for name, content in files.items():
            (tmp / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        tmp.rename(folder)
    except BaseException:
        for f in tmp.glob("*"):
            f.unlink()
        tmp.rmdir()
        raise
    return folder
