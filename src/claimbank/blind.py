"""Blind annotation packets: what a second annotator may see, and nothing else.

A packet holds, per document, the guidelines, the stored text, each claim with its sourcing
and the evidence items read for it, and each link's two quotes. It never holds a label the
first annotator gave: no checkworthy, claim_type, veracity, fidelity, confidence, rationale,
evidence relation, link relation or mutation. The annotator answers in a response file whose
skeleton the packet ships with (data/annotations/README.md gives the format).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .curation import Corpus
from .schema import load_schema

# The guideline sections a verdict annotator needs, by their headings in DATASHEET.md.
GUIDELINE_SECTIONS = ("### 3. checkworthy", "### 7. Fidelity", "### 8. Veracity", "### 9. Confidence",
                      "### Links across a story")
CLAIM_DIMENSIONS = ("checkworthy", "veracity", "fidelity")
LINK_DIMENSIONS = ("hop_fidelity", "mutations")


def guidelines(datasheet: str) -> str:
    """The annotation guidelines of the rendered datasheet, with the label sets they use."""
    parts = []
    for heading in GUIDELINE_SECTIONS:
        start = datasheet.index(heading)
        m = re.compile(r"^##+ ", re.M).search(datasheet, start + len(heading))
        parts.append(datasheet[start:m.start() if m else len(datasheet)].strip())
    schema = load_schema()
    for name in ("veracity", "fidelity", "confidence", "mutation"):
        ls = schema.label_sets[name]
        lines = [f"### Label set `{name}`", "", ls.description, ""]
        for lab in ls.labels:
            ex = f" Example: {lab.example}" if lab.example else ""
            lines.append(f"- `{lab.name}`: {lab.description}{ex}")
        parts.append("\n".join(lines))
    parts.append("### Hop fidelity\n\nA link's hop fidelity is one of `accurate`, `distorted`, `misattributed`.")
    return "# Annotation guidelines\n\n" + "\n\n".join(parts) + "\n"


def packet(corpus: Corpus, doc_id: str) -> tuple[dict, dict]:
    """(what the annotator reads, the response skeleton) for one document."""
    rows = corpus.rows
    doc = next(d for d in rows["documents"] if d["doc_id"] == doc_id)
    speakers = {s["speaker_id"]: s["name"] for s in rows["speakers"]}
    claims = {c["claim_id"]: c for c in rows["claims"]}
    docs = {d["doc_id"]: d for d in rows["documents"]}
    sourcing: dict[str, list] = {}
    for s in rows["sourcing"]:
        sourcing.setdefault(s["claim_id"], []).append(s)
    evidence: dict[str, list] = {}
    for e in rows["evidence"]:
        evidence.setdefault(e["claim_id"], []).append(e)
    links = {k["claim_id"]: k for k in rows["claim_links"] if k["doc_id"] == doc_id}

    def when(v):
        return None if v is None else str(v)

    out_claims = []
    for c in (c for c in rows["claims"] if c["doc_id"] == doc_id):
        out_claims.append({
            "claim_id": c["claim_id"],
            "quote": c["quote"],
            "claim_text": c["claim_text"],
            "claimant": speakers[c["claimant_id"]],
            "location": c["location"],
            "sourcing": [{"position": s["position"], "source": speakers[s["source_id"]], "source_type": s["source_type"],
                          "cue": s["cue"], "described_as": s["described_as"]}
                         for s in sorted(sourcing.get(c["claim_id"], []), key=lambda s: s["position"])],
            "evidence": [{"evidence_id": e["evidence_id"], "url": e["url"], "title": e["title"], "publisher": e["publisher"],
                          "published_date": when(e["published_date"]), "excerpt": e["excerpt"]}
                         for e in evidence.get(c["claim_id"], [])],
        })
    out_links = []
    for cid, k in links.items():
        src = claims[k["source_claim_id"]]
        sdoc = docs[k["source_doc_id"]]
        out_links.append({
            "claim_id": cid,
            "quote": claims[cid]["quote"],
            "earlier_claim_id": src["claim_id"],
            "earlier_document": f"{sdoc['doc_id']} ({speakers.get(sdoc['publisher_id'], sdoc['publisher_id'])}, "
                                f"{sdoc['language']}, {when(sdoc['published_date']) or 'date unknown'})",
            "earlier_quote": src["quote"],
        })
    read = {
        "doc_id": doc_id,
        "title": doc["title"],
        "publisher": speakers.get(doc["publisher_id"], doc["publisher_id"]),
        "url": doc["url"],
        "published_date": when(doc["published_date"]),
        "language": doc["language"],
        "text_scope": doc["text_scope"],
        "text": doc["text"],
        "claims": out_claims,
        "links": out_links,
    }
    blank = {"label": None, "confidence": None, "rationale": None}
    response = {
        "doc_id": doc_id,
        "claims": [{"claim_id": c["claim_id"], **{d: dict(blank) for d in CLAIM_DIMENSIONS}} for c in out_claims],
        "links": [{"claim_id": k["claim_id"], "hop_fidelity": dict(blank),
                   "mutations": {"labels": None, "confidence": None, "rationale": None}} for k in out_links],
    }
    return read, response


def write_packets(corpus: Corpus, datasheet: str, out: Path, doc_ids: list[str] | None = None) -> list[Path]:
    """Write guidelines.md plus <doc_id>.yaml and <doc_id>.response.yaml per document into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "guidelines.md").write_text(guidelines(datasheet), encoding="utf-8")
    written = []
    for d in doc_ids or [d["doc_id"] for d in corpus.rows["documents"]]:
        read, response = packet(corpus, d)
        (out / f"{d}.yaml").write_text(_dump(read), encoding="utf-8")
        (out / f"{d}.response.yaml").write_text(_dump(response), encoding="utf-8")
        written.append(out / f"{d}.yaml")
    return written


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper, v: str):
    # Texts with line breaks as literal blocks, so the annotator reads them as stored.
    style = "|" if "\n" in v and not v.endswith((" ", "\t")) and "\n " not in v else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", v, style=style)


_Dumper.add_representer(str, _str)


def _dump(obj) -> str:
    return yaml.dump(obj, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def curator_answer(corpus: Corpus, doc_id: str) -> dict:
    """The curation's own labels for one document, in the shape of a response file."""
    rows = corpus.rows
    verdicts = {v["claim_id"]: v for v in rows["verdicts"]}
    muts: dict[str, list] = {}
    for m in rows["link_mutations"]:
        muts.setdefault(m["claim_id"], []).append(m["mutation"])
    claims = []
    for c in (c for c in rows["claims"] if c["doc_id"] == doc_id):
        v = verdicts[c["claim_id"]]
        claims.append({
            "claim_id": c["claim_id"],
            "checkworthy": {"label": c["checkworthy"], "confidence": None, "rationale": None},
            "veracity": {"label": v["veracity"], "confidence": v["confidence"], "rationale": v["rationale"]},
            "fidelity": {"label": v["fidelity"], "confidence": v["fidelity_confidence"], "rationale": v["fidelity_rationale"]},
        })
    links = [{"claim_id": k["claim_id"],
              "hop_fidelity": {"label": k["fidelity"], "confidence": k["confidence"], "rationale": k["rationale"]},
              "mutations": {"labels": muts.get(k["claim_id"], []), "confidence": k["confidence"], "rationale": k["rationale"]}}
             for k in rows["claim_links"] if k["doc_id"] == doc_id]
    return {"doc_id": doc_id, "claims": claims, "links": links}
