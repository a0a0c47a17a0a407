"""``claimbank export claimreview``: the verdicts as schema.org ClaimReview JSON-LD.

One ClaimReview per claim with a verdict; the mapping, both ways, the rating scale and how
fidelity is carried are in docs/CLAIMREVIEW.md. As Google's ClaimReview guidelines ask, each
review has a ``url`` (the base URL the user gives, followed by the claim id; the reviewing
organisation's url is the base URL), a short ``claimReviewed`` (the full claim text is the
reviewed Claim's ``text``) and ratings named in words (``Not enough evidence``). Only values
present in the tables are written: a claimant without a Wikidata id gets no ``sameAs``, a document without a URL no
appearance ``url``, a date known to the month is written as ``YYYY-MM``. The same folder
gives the same bytes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .files import beside, write_text_atomic
from .folders import FolderError, read_rows
from .schema import load_schema, partial_date
from .compiled import natural_key

TABLES = ("documents", "speakers", "claims", "verdicts", "evidence")

CONTEXT = "https://schema.org"
PUBLISHER_NAME = "ClaimBank"
# Google's ClaimReview guidelines: claimReviewed is "a short summary of the claim", under 75 characters.
CLAIM_REVIEWED_MAX = 75
_BASE_URL = re.compile(r"^https?://[^/\s?#]+\.[^/\s?#]+(?:/[^\s?#]*)?$")


class BaseUrlError(ValueError):
    """The base URL given for the reviews is not one a review's url can be built from."""


def check_base_url(base_url: str) -> str:
    """``base_url`` if it is an http(s) address with a host name and no query or fragment; else BaseUrlError."""
    if not isinstance(base_url, str) or not _BASE_URL.match(base_url):
        raise BaseUrlError(
            f"--base-url {base_url!r} is not an http(s) address with a host name and no query or fragment: each review's "
            "url is the base URL followed by the claim id (BASE/d000-c01), and the base URL is the publishing "
            "organisation's. Fix: pass the address where the reviews are published, e.g. --base-url https://example.org/claims/")
    return base_url


def review_url(base_url: str, claim_id: str) -> str:
    """The page of one review: the base URL followed by the claim id."""
    return base_url.rstrip("/") + "/" + claim_id


def readable(label: str | None) -> str | None:
    """A label as words for people: ``not_enough_evidence`` -> ``Not enough evidence``."""
    return label.replace("_", " ").capitalize() if label else label


def short_claim(text: str, limit: int = CLAIM_REVIEWED_MAX) -> str:
    """``text`` when shorter than ``limit`` characters, else cut at a word boundary with an ellipsis."""
    if len(text) < limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.–—-") + "…"


def publisher(base_url: str) -> dict:
    """The reviewing organisation, with its url: the base URL."""
    return {"@type": "Organization", "name": PUBLISHER_NAME, "url": base_url}
WIKIDATA = "https://www.wikidata.org/wiki/"
BEST, WORST = 5, 1
# Speaker kinds written as a schema.org Person; every other kind is an Organization.
PERSON_KINDS = frozenset({"person"})


def rating_scale() -> dict[str, int | None]:
    """Veracity label -> ClaimReview ratingValue, as declared in schema/labels.json (None: no position)."""
    return {label.name: label.anchors.get("ClaimReview") for label in load_schema().label_sets["veracity"].labels}


def _actor(speaker: dict) -> dict:
    node = {"@type": "Person" if speaker["kind"] in PERSON_KINDS else "Organization", "name": speaker["name"]}
    if speaker.get("wikidata_id"):
        node["sameAs"] = WIKIDATA + speaker["wikidata_id"]
    if speaker.get("description"):
        node["description"] = speaker["description"]
    return node


def _drop_none(node: dict) -> dict:
    return {k: v for k, v in node.items() if v is not None}


def claimreviews(folder: str | Path, base_url: str) -> list[dict]:
    """One ClaimReview node per claim with a verdict, sorted by claim id; each review's url is BASE/CLAIM_ID."""
    base_url = check_base_url(base_url)
    org = publisher(base_url)
    rows = read_rows(folder, TABLES)
    scale = rating_scale()
    speakers = {s["speaker_id"]: s for s in rows["speakers"]}
    documents = {d["doc_id"]: d for d in rows["documents"]}
    claims = {c["claim_id"]: c for c in rows["claims"]}
    evidence: dict[str, list[dict]] = {}
    for e in rows["evidence"]:
        evidence.setdefault(e["claim_id"], []).append(e)
    out = []
    for v in sorted(rows["verdicts"], key=lambda r: r["claim_id"]):
        cid = v["claim_id"]
        c = claims.get(cid)
        if c is None:
            raise FolderError(f"{folder}: verdicts has claim_id {cid!r}, which is not in claims; run `claimbank validate {folder}`")
        doc = documents[c["doc_id"]]
        appearance = _drop_none({
            "@type": "CreativeWork",
            "identifier": doc["doc_id"],
            "url": doc.get("url"),
            "headline": doc.get("title"),
            "datePublished": partial_date(doc.get("published_date"), doc.get("published_date_precision")),
            "publisher": _actor(speakers[doc["publisher_id"]]) if doc.get("publisher_id") in speakers else None,
        })
        item = _drop_none({
            "@type": "Claim",
            "identifier": cid,
            "text": c["claim_text"],
            "author": _actor(speakers[c["claimant_id"]]),
            "datePublished": partial_date(c.get("claim_date"), c.get("claim_date_precision")),
            "appearance": appearance,
        })
        rating = _drop_none({
            "@type": "Rating",
            "ratingValue": scale[v["veracity"]],
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": readable(v["veracity"]),
            "reviewAspect": "veracity",
        })
        fidelity = {
            "@type": "Review",
            "name": "fidelity",
            "reviewAspect": "fidelity",
            "reviewRating": {"@type": "Rating", "alternateName": readable(v["fidelity"]), "reviewAspect": "fidelity"},
            "reviewBody": v["fidelity_rationale"],
            "author": org,
            "datePublished": v["reviewed_date"].isoformat(),
        }
        cited = [
            _drop_none({
                "@type": "CreativeWork",
                "identifier": e["evidence_id"],
                "url": e["url"],
                "name": e.get("title"),
                "publisher": {"@type": "Organization", "name": e["publisher"]},
                "datePublished": partial_date(e.get("published_date"), e.get("published_date_precision")),
            })
            for e in sorted(evidence.get(cid, []), key=lambda r: natural_key(r["evidence_id"]))
        ]
        review = {
            "@type": "ClaimReview",
            "identifier": cid,
            "url": review_url(base_url, cid),
            "claimReviewed": short_claim(c["claim_text"]),
            "itemReviewed": item,
            "reviewRating": rating,
            "reviewBody": v["rationale"],
            "associatedReview": fidelity,
            "author": org,
            "publisher": org,
            "datePublished": v["reviewed_date"].isoformat(),
        }
        if cited:
            review["citation"] = cited
        out.append(review)
    return out


def _evidence_key(evidence_id: str) -> tuple:
    head, _, n = evidence_id.rpartition("-e")
    return (head, int(n) if n.isdigit() else 0, evidence_id)


def render_claimreview(folder: str | Path, base_url: str) -> str:
    """The JSON-LD document: one ``@graph`` of ClaimReview nodes under the schema.org context."""
    doc = {"@context": CONTEXT, "@graph": claimreviews(folder, base_url)}
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_claimreview(folder: str | Path, out: str | Path | None = None, *, base_url: str) -> tuple[Path, int]:
    """Write the JSON-LD of ``folder`` to ``out`` (default ``DIR.claimreview.jsonld`` beside the folder)."""
    text = render_claimreview(Path(folder), base_url)
    out = write_text_atomic(Path(out) if out is not None else beside(folder, ".claimreview.jsonld"), text, "claimreview.jsonld")
    return out, text.count('"@type": "ClaimReview"')


# ---------------------------------------------------------------------------------------------
# The other way: a ClaimReview back to ClaimBank's fields


def veracity_from_rating(rating: dict) -> str | None:
    """The veracity label a ClaimReview Rating stands for.

    ``alternateName`` that is a veracity label wins. Otherwise, for another publisher's
    numeric rating, ``ratingValue`` is placed on its own ``worstRating``..``bestRating`` scale
    (schema.org defaults 1..5): the worst end is ``refuted``, the best ``supported``, anything
    between ``misleading``. A rating with neither gives None (review it by hand).
    """
    names = {readable(n).casefold(): n for n in rating_scale()} | {n: n for n in rating_scale()}
    alt = rating.get("alternateName")
    if isinstance(alt, str) and (alt in names or alt.casefold() in names):
        return names.get(alt) or names[alt.casefold()]
    value = rating.get("ratingValue")
    if value is None:
        return None
    best, worst = float(rating.get("bestRating", BEST)), float(rating.get("worstRating", WORST))
    value = float(value)
    if best == worst:
        return None
    position = (value - worst) / (best - worst)
    if position <= 0:
        return "refuted"
    if position >= 1:
        return "supported"
    return "misleading"


def _date_and_precision(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    if len(value) == 4:
        return f"{value}-01-01", "year"
    if len(value) == 7:
        return f"{value}-01", "month"
    return value[:10], "day"


def _label(value, label_set: str) -> str | None:
    """A label of ``label_set`` from its readable form (or the label itself); None when it is neither."""
    if not isinstance(value, str):
        return None
    for name in load_schema().label_sets[label_set].names:
        if value in (name, readable(name)) or value.casefold() == readable(name).casefold():
            return name
    return None


def from_claimreview(review: dict) -> dict:
    """ClaimBank fields recovered from one ClaimReview node (see docs/CLAIMREVIEW.md, "ClaimReview to ClaimBank")."""
    item = review.get("itemReviewed") or {}
    author = item.get("author") or {}
    appearance = item.get("appearance") or {}
    if isinstance(appearance, list):
        appearance = appearance[0] if appearance else {}
    same_as = author.get("sameAs")
    wikidata = same_as[len(WIKIDATA):] if isinstance(same_as, str) and same_as.startswith(WIKIDATA) else None
    claim_date, claim_precision = _date_and_precision(item.get("datePublished"))
    fidelity = None
    assoc = review.get("associatedReview")
    if isinstance(assoc, dict) and assoc.get("reviewAspect") == "fidelity":
        fidelity = _label((assoc.get("reviewRating") or {}).get("alternateName"), "fidelity")
    rating = review.get("reviewRating") or {}
    return {
        "claim_id": review.get("identifier"),
        "claim_text": item.get("text") or review.get("claimReviewed"),
        "claimant_name": author.get("name"),
        "claimant_is_person": author.get("@type") == "Person",
        "claimant_wikidata_id": wikidata,
        "claim_date": claim_date,
        "claim_date_precision": claim_precision,
        "doc_id": appearance.get("identifier"),
        "doc_url": appearance.get("url"),
        "veracity": veracity_from_rating(rating),
        "rationale": review.get("reviewBody") or rating.get("ratingExplanation"),
        "fidelity": fidelity,
        "fidelity_rationale": assoc.get("reviewBody") if isinstance(assoc, dict) else None,
        "reviewed_date": review.get("datePublished"),
        "evidence_urls": [c.get("url") for c in review.get("citation", []) if isinstance(c, dict)],
    }
