"""``claimbank export claimreview``: the verdicts as schema.org ClaimReview JSON-LD.

One ClaimReview per claim with a verdict; the mapping, both ways, the rating scale and how
fidelity is carried are in docs/CLAIMREVIEW.md. Only values present in the tables are
written: a claimant without a Wikidata id gets no ``sameAs``, a document without a URL no
appearance ``url``, a date known to the month is written as ``YYYY-MM``. The same folder
gives the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from .files import beside, write_text_atomic
from .folders import FolderError, read_rows
from .schema import load_schema, partial_date
from .compiled import natural_key

TABLES = ("documents", "speakers", "claims", "verdicts", "evidence")

CONTEXT = "https://schema.org"
PUBLISHER = {"@type": "Organization", "name": "ClaimBank"}
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


def claimreviews(folder: str | Path) -> list[dict]:
    """One ClaimReview node per claim with a verdict, sorted by claim id."""
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
            "author": _actor(speakers[c["claimant_id"]]),
            "datePublished": partial_date(c.get("claim_date"), c.get("claim_date_precision")),
            "appearance": appearance,
        })
        rating = _drop_none({
            "@type": "Rating",
            "ratingValue": scale[v["veracity"]],
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": v["veracity"],
            "reviewAspect": "veracity",
        })
        fidelity = {
            "@type": "Review",
            "name": "fidelity",
            "reviewAspect": "fidelity",
            "reviewRating": {"@type": "Rating", "alternateName": v["fidelity"], "reviewAspect": "fidelity"},
            "reviewBody": v["fidelity_rationale"],
            "author": PUBLISHER,
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
            "claimReviewed": c["claim_text"],
            "itemReviewed": item,
            "reviewRating": rating,
            "reviewBody": v["rationale"],
            "associatedReview": fidelity,
            "author": PUBLISHER,
            "publisher": PUBLISHER,
            "datePublished": v["reviewed_date"].isoformat(),
        }
        if cited:
            review["citation"] = cited
        out.append(review)
    return out


def render_claimreview(folder: str | Path) -> str:
    """The JSON-LD document: one ``@graph`` of ClaimReview nodes under the schema.org context."""
    doc = {"@context": CONTEXT, "@graph": claimreviews(folder)}
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_claimreview(folder: str | Path, out: str | Path | None = None) -> tuple[Path, int]:
    """Write the JSON-LD of ``folder`` to ``out`` (default ``DIR.claimreview.jsonld`` beside the folder)."""
    text = render_claimreview(Path(folder))
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
    names = set(rating_scale())
    alt = rating.get("alternateName")
    if isinstance(alt, str) and alt in names:
        return alt
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
        fidelity = (assoc.get("reviewRating") or {}).get("alternateName")
    rating = review.get("reviewRating") or {}
    return {
        "claim_id": review.get("identifier"),
        "claim_text": review.get("claimReviewed"),
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
