"""``claimbank explore``: one self-contained HTML file to read a build or release folder.

Each document's text is shown with every claim span highlighted (background colour: the
verdict's veracity; underline style: its fidelity). Selecting a claim shows its claim text,
claimant, sourcing chain (cue words marked in the text), every stance with the passage that
expresses it, and the verdict with its rationale and evidence. A table lists every claim with
filters, and a speaker view shows who claimed, relayed, supported or denied what.

The file opens from disk with no network: styles, script and data are inline, and a
Content-Security-Policy forbids every fetch. The data travels as JSON inside
``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and
the page builds every element with DOM calls and ``textContent``: a claim or rationale
holding markup shows as text. Offsets are code points (Python ``str`` slicing); the text is
cut into segments here, at every span boundary, so the browser never counts UTF-16 units.
The same folder gives the same bytes.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import html
import json
import re
from pathlib import Path

from .files import beside, write_text_atomic
from .folders import read_rows
from .schema import load_schema, partial_date
from .compiled import natural_key

TABLES = ("documents", "speakers", "claims", "sourcing", "stances", "verdicts", "evidence", "stories", "claim_links",
          "link_mutations")


# ---------------------------------------------------------------------------------------------
# The model the page renders


def _segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[list]:
    """Cut ``text`` at every span boundary.

    ``spans`` holds (start, end, kind, key) in code points. Each segment is
    ``[text, {kind: [keys covering it]}]``; concatenated, the segments give ``text`` back.
    """
    cuts = {0, len(text)}
    for start, end, _, _ in spans:
        cuts.add(max(0, min(start, len(text))))
        cuts.add(max(0, min(end, len(text))))
    bounds = sorted(cuts)
    segs = []
    for a, b in zip(bounds, bounds[1:]):
        cover: dict[str, list[str]] = {}
        for start, end, kind, key in spans:
            if start <= a and b <= end:
                cover.setdefault(kind, []).append(key)
        segs.append([text[a:b], {k: sorted(v) for k, v in sorted(cover.items())}])
    return segs


_LABEL_SETS = ("veracity", "fidelity", "stance", "claim_type", "confidence", "sourcing_role", "source_type", "evidence_relation")
Spans = dict[str, list[tuple[int, int, str, str]]]  # doc_id -> (start, end, kind, key) of every span shown in its text


def explorer_data(folder: str | Path) -> dict:
    """The JSON model of the explorer page: documents cut into segments, claims, speakers, labels."""
    rows = read_rows(folder, TABLES)
    schema = load_schema()
    speakers = {
        s["speaker_id"]: {
            "name": s["name"], "kind": s["kind"], "description": s["description"],
            "affiliation_id": s.get("affiliation_id"), "country": s.get("country"), "wikidata_id": s.get("wikidata_id"),
        }
        for s in rows["speakers"]
    }
    spans: Spans = {}
    claims = _claims(rows, spans)
    return {
        "labels": {name: schema.label_sets[name].names for name in _LABEL_SETS},
        "speakers": dict(sorted(speakers.items())),
        "documents": _documents(rows["documents"], claims, spans),
        "claims": claims,
        "stories": story_model(rows, claims, speakers),
        "counts": [[t, len(rows[t])] for t in TABLES],
    }


def _by_claim(rows: list[dict], key) -> dict[str, list[dict]]:
    """Rows grouped by claim_id, each group in the order of ``key``."""
    out: dict[str, list[dict]] = {}
    for r in sorted(rows, key=lambda r: (r["claim_id"], key(r))):
        out.setdefault(r["claim_id"], []).append(r)
    return out


def _claims(rows: dict, spans: Spans) -> dict[str, dict]:
    """Every claim with its chain, stances and verdict, by claim id in text order; their spans go to ``spans``."""
    verdicts = {v["claim_id"]: v for v in rows["verdicts"]}
    sourcing = _by_claim(rows["sourcing"], lambda r: r["position"])
    stances = _by_claim(rows["stances"], lambda r: r["holder_id"])
    evidence = _by_claim(rows["evidence"], lambda r: natural_key(r["evidence_id"]))
    claims = {}
    for c in sorted(rows["claims"], key=lambda r: (r["doc_id"], r["span_start"], -r["span_end"], r["claim_id"])):
        cid = c["claim_id"]
        doc_spans = spans.setdefault(c["doc_id"], [])
        doc_spans.append((c["span_start"], c["span_end"], "claim", cid))
        chain = _chain(cid, sourcing.get(cid, []), doc_spans)
        stance_list = _stances(cid, stances.get(cid, []), spans)
        v = verdicts.get(cid)
        claims[cid] = {
            "claim_id": cid, "doc_id": c["doc_id"], "span_start": c["span_start"], "span_end": c["span_end"],
            "quote": c["quote"], "claim_text": c["claim_text"], "claimant_id": c["claimant_id"],
            "claim_type": c["claim_type"], "checkworthy": c["checkworthy"],
            "claim_date": partial_date(c.get("claim_date"), c.get("claim_date_precision")),
            "topics": list(c.get("topics") or []), "location": c.get("location"),
            "sourcing": chain, "stances": stance_list,
            "verdict": None if v is None else _verdict(v, evidence.get(cid, [])),
        }
    return claims


def _chain(cid: str, links: list[dict], doc_spans: list) -> list[dict]:
    """A claim's sourcing chain; each cue in the text becomes a span of ``doc_spans``."""
    chain = []
    for link in links:
        cue_key = None
        if link.get("cue_start") is not None and link.get("cue_end") is not None:
            cue_key = f"{cid}#{link['position']}"
            doc_spans.append((link["cue_start"], link["cue_end"], "cue", cue_key))
        chain.append({
            "position": link["position"], "source_id": link["source_id"], "role": link["role"],
            "source_type": link["source_type"], "cue": link.get("cue"), "cue_key": cue_key,
            "described_as": link.get("described_as"),
        })
    return chain


def _stances(cid: str, stances: list[dict], spans: Spans) -> list[dict]:
    """A claim's stances; each passage becomes a span of its document."""
    out = []
    for st in stances:
        key = f"{cid}@{st['holder_id']}"
        spans.setdefault(st["doc_id"], []).append((st["span_start"], st["span_end"], "stance", key))
        out.append({"holder_id": st["holder_id"], "stance": st["stance"], "doc_id": st["doc_id"], "quote": st["quote"], "key": key,
                    "described_as": st.get("described_as")})
    return out


def _verdict(v: dict, evidence: list[dict]) -> dict:
    return {
        "veracity": v["veracity"], "confidence": v["confidence"], "rationale": v["rationale"],
        "fidelity": v["fidelity"], "fidelity_confidence": v["fidelity_confidence"],
        "fidelity_rationale": v["fidelity_rationale"], "reviewed_date": v["reviewed_date"].isoformat(),
        "evidence": [
            {
                "evidence_id": e["evidence_id"], "url": e["url"], "title": e.get("title"), "publisher": e["publisher"],
                "published_date": partial_date(e.get("published_date"), e.get("published_date_precision")),
                "accessed_date": e["accessed_date"].isoformat(), "excerpt": e["excerpt"], "relation": e["relation"],
            }
            for e in evidence
        ],
    }


def _documents(documents: list[dict], claims: dict[str, dict], spans: Spans) -> list[dict]:
    """Every document by id, its text cut into segments at the spans."""
    claims_by_doc: dict[str, list[str]] = {}
    for cid, c in claims.items():
        claims_by_doc.setdefault(c["doc_id"], []).append(cid)
    return [{
        "doc_id": d["doc_id"], "title": d.get("title"), "publisher_id": d.get("publisher_id"), "url": d.get("url"),
        "published_date": partial_date(d.get("published_date"), d.get("published_date_precision")),
        "language": d["language"], "license": d["license"], "char_count": d["char_count"],
        "text_scope": d.get("text_scope"), "text_rights": d.get("text_rights"), "story_id": d.get("story_id"),
        "derived_from": d.get("derived_from"),
        "segments": _segments(d["text"], spans.get(d["doc_id"], [])),
        "claim_ids": claims_by_doc.get(d["doc_id"], []),
    } for d in sorted(documents, key=lambda r: r["doc_id"])]


_WORD = re.compile(r"\w+|[^\w\s]+|\s+")


def changed_words(origin: str, rendering: str) -> list[list]:
    """``rendering`` cut into segments ``[text, changed]``: changed where its words are not the origin's.

    Words, punctuation and spaces are compared case-sensitively, in order (difflib); spaces are never
    marked. Concatenated, the segments give ``rendering`` back.
    """
    a, b = _WORD.findall(origin), _WORD.findall(rendering)
    keep = [False] * len(b)
    for block in difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks():
        for i in range(block.b, block.b + block.size):
            keep[i] = True
    segs: list[list] = []
    for tok, kept in zip(b, keep):
        changed = not kept and not tok.isspace()
        if segs and segs[-1][1] == changed:
            segs[-1][0] += tok
        elif segs and tok.isspace():
            segs[-1][0] += tok
        else:
            segs.append([tok, changed])
    return segs


def story_model(rows: dict, claims: dict, speakers: dict) -> list[dict]:
    """Per story: its documents in order of date with the document each was taken from, and per claim
    of the origin every rendering of it across the story (followed hop by hop), with the words that
    changed against the origin, the hop's mutations, relation and fidelity."""
    docs = {d["doc_id"]: d for d in rows["documents"]}
    links = {l["claim_id"]: l for l in rows["claim_links"]}
    mutations: dict[str, list[str]] = {}
    for m in rows["link_mutations"]:
        mutations.setdefault(m["claim_id"], []).append(m["mutation"])

    def root(cid: str) -> tuple[str, list[str]]:
        path = [cid]
        while path[-1] in links and links[path[-1]]["source_claim_id"] not in path:
            path.append(links[path[-1]]["source_claim_id"])
        return path[-1], path

    def outlet(doc: dict) -> str:
        pid = doc.get("publisher_id")
        return speakers[pid]["name"] if pid in speakers else (pid or "unknown outlet")

    def date_key(doc: dict) -> tuple:
        d = doc.get("published_date")
        return (d is None, d.isoformat() if d else "", doc["doc_id"])

    out = []
    for story in sorted(rows["stories"], key=lambda r: r["story_id"]):
        sid, origin = story["story_id"], story["origin_doc_id"]
        members = sorted((d for d in rows["documents"] if d.get("story_id") == sid), key=date_key)
        groups: dict[str, list[dict]] = {}
        for cid in sorted(links):
            if links[cid]["story_id"] != sid:
                continue
            top, path = root(cid)
            link, doc = links[cid], docs[claims[cid]["doc_id"]]
            origin_quote = claims[top]["quote"] if top in claims else ""
            same_language = top in claims and docs[claims[top]["doc_id"]]["language"] == doc["language"]
            groups.setdefault(top, []).append({
                "claim_id": cid, "doc_id": doc["doc_id"], "outlet": outlet(doc), "language": doc["language"],
                "published_date": partial_date(doc.get("published_date"), doc.get("published_date_precision")),
                "quote": claims[cid]["quote"], "claim_text": claims[cid]["claim_text"],
                "via": link["source_claim_id"], "hops": len(path) - 1,
                "relation": link["relation"], "fidelity": link["fidelity"], "confidence": link["confidence"],
                "mutations": sorted(mutations.get(cid, [])), "rationale": link["rationale"],
                "diff": changed_words(origin_quote, claims[cid]["quote"]) if same_language else [[claims[cid]["quote"], False]],
                "compared": same_language,
            })
        origin_claims = []
        for top in sorted(groups, key=lambda c: (claims[c]["span_start"] if c in claims else 0, c)):
            renderings = sorted(groups[top], key=lambda r: (date_key(docs[r["doc_id"]]), r["claim_id"]))
            origin_claims.append({
                "claim_id": top, "quote": claims[top]["quote"] if top in claims else None,
                "claim_text": claims[top]["claim_text"] if top in claims else None, "renderings": renderings,
            })
        out.append({
            "story_id": sid, "title": story["title"], "origin_doc_id": origin,
            "first_report_date": story["first_report_date"].isoformat(),
            "documents": [{
                "doc_id": d["doc_id"], "outlet": outlet(d), "language": d["language"], "title": d.get("title"),
                "published_date": partial_date(d.get("published_date"), d.get("published_date_precision")),
                "derived_from": d.get("derived_from"), "is_origin": d["doc_id"] == origin,
                "links": sum(1 for l in links.values() if l["doc_id"] == d["doc_id"]),
            } for d in members],
            "origin_claims": origin_claims,
        })
    return out


# ---------------------------------------------------------------------------------------------
# The page


def script_json(value) -> str:
    """JSON safe to place inside a ``<script>`` element: no '<', '>', '&', U+2028 or U+2029."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for ch, esc in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


def render_explorer(folder: str | Path) -> str:
    """The explorer page of a build or release folder, as one self-contained HTML string."""
    model = explorer_data(folder)
    n_docs, n_claims = len(model["documents"]), len(model["claims"])
    csp = (
        "default-src 'none'; "
        f"script-src {_csp_hash(_SCRIPT)}; style-src {_csp_hash(_STYLE)}; "
        "img-src 'none'; connect-src 'none'; font-src 'none'; frame-src 'none'; "
        "form-action 'none'; base-uri 'none'"
    )
    title = f"ClaimBank explorer: {n_docs} document{'s' * (n_docs != 1)}, {n_claims} claim{'s' * (n_claims != 1)}"
    e = html.escape
    return "".join([
        "<!doctype html>\n",
        '<html lang="en"><head><meta charset="utf-8">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{e(csp, quote=False)}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{e(title)}</title>\n",
        f"<style>{_STYLE}</style>\n",
        "</head><body>\n",
        _BODY,
        f'<script type="application/json" id="claimbank-data">{script_json(model)}</script>\n',
        f"<script>{_SCRIPT}</script>\n",
        "</body></html>\n",
    ])


def write_explorer(folder: str | Path, out: str | Path | None = None) -> Path:
    """Write the explorer of ``folder`` to ``out`` (default ``DIR.explorer.html`` beside the folder).
    Written aside and renamed into place."""
    page = render_explorer(Path(folder))
    return write_text_atomic(Path(out) if out is not None else beside(folder, ".explorer.html"), page, "explorer.html")


_BODY = """<header>
<h1>ClaimBank explorer</h1>
<p id="summary"></p>
<nav><label>Document <select id="doc-select"></select></label>
<a href="#claims-section">All claims</a> · <a href="#speakers-section">Speakers</a> · <a href="#story-section">Stories</a></nav>
<div id="legend" aria-label="legend"></div>
</header>
<main>
<section id="doc-section" aria-label="document">
<div id="doc-meta"></div>
<div id="doc-text" class="doc-text"></div>
</section>
<aside id="panel" aria-live="polite"><p class="hint">Select a highlighted passage or a row of the table to see the claim.</p></aside>
</main>
<section id="claims-section">
<h2>All claims</h2>
<div id="filters">
<label>Speaker (claimed or relayed) <select id="f-speaker" data-filter="speaker"></select></label>
<label>Claim type <select id="f-claim_type" data-filter="claim_type"></select></label>
<label>Veracity <select id="f-veracity" data-filter="veracity"></select></label>
<label>Fidelity <select id="f-fidelity" data-filter="fidelity"></select></label>
<label>Stance holder <select id="f-holder" data-filter="holder"></select></label>
<span id="claims-count"></span>
</div>
<table id="claims-table"><thead><tr><th>claim</th><th>quote</th><th>claimant</th><th>type</th><th>veracity</th><th>fidelity</th><th>stances</th></tr></thead><tbody></tbody></table>
</section>
<section id="speakers-section">
<h2>Speakers</h2>
<div id="speakers"></div>
</section>
<section id="story-section">
<h2>Stories</h2>
<p id="story-none" class="muted" hidden>This folder holds no story.</p>
<div id="story-body">
<label>Story <select id="story-select"></select></label>
<p id="story-head"></p>
<h3>Who took the story from whom</h3>
<p class="muted">Each outlet under the document it was taken from; an outlet whose source could not be established hangs from the origin, dashed.</p>
<ul id="story-tree" class="tree"></ul>
<h3>One claim across outlets</h3>
<label>Claim of the origin <select id="story-claim"></select></label>
<p id="story-origin" class="quote"></p>
<table id="story-table"><thead><tr><th>outlet</th><th>date</th><th>language</th><th>rendering (words changed against the origin marked)</th><th>relation</th><th>mutations</th><th>hop fidelity</th></tr></thead><tbody></tbody></table>
</div>
</section>
"""

_STYLE = """
:root{--supported:#b7e4b0;--refuted:#f4a6a6;--misleading:#f8d58c;--not_enough_evidence:#c9d6ea;--not_checkable:#dcdcdc;--none:#eeeeee}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1d;background:#fafafa}
header{padding:.8rem 1.2rem;background:#fff;border-bottom:1px solid #ddd}
h1{font-size:1.3rem;margin:0 0 .2rem}
h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
h3{font-size:1rem;margin:.9rem 0 .3rem}
nav{margin:.3rem 0}
nav a{margin:0 .3rem}
#legend{display:flex;flex-wrap:wrap;gap:.3rem .8rem;font-size:.85rem;margin-top:.4rem}
#legend .item{display:inline-flex;align-items:center;gap:.3rem}
.swatch{display:inline-block;padding:0 .35rem;border-radius:3px}
main{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1rem;padding:1rem 1.2rem;align-items:start}
#doc-section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1rem}
#doc-meta{font-size:.85rem;color:#555;margin-bottom:.6rem}
.doc-text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:1rem;line-height:1.9}
.seg.claim{cursor:pointer;border-radius:2px;text-decoration-line:underline;text-decoration-thickness:2px;text-underline-offset:3px;text-decoration-color:#333;text-decoration-skip-ink:none}
.seg.depth2{box-shadow:inset 0 -3px 0 rgba(0,0,0,.35)}
.seg.depth3{box-shadow:inset 0 -3px 0 rgba(0,0,0,.35),inset 0 3px 0 rgba(0,0,0,.35)}
.v-supported{background:var(--supported)}.v-refuted{background:var(--refuted)}.v-misleading{background:var(--misleading)}
.v-not_enough_evidence{background:var(--not_enough_evidence)}.v-not_checkable{background:var(--not_checkable)}.v-none{background:var(--none)}
.seg.f-accurate{text-decoration-style:solid}.seg.f-distorted{text-decoration-style:wavy;text-decoration-color:#b00020}
.seg.f-misattributed{text-decoration-style:double;text-decoration-color:#b00020}.seg.f-source_not_found{text-decoration-style:dotted}
.seg.f-own_voice{text-decoration-line:none}
.seg.selected{outline:2px solid #1a56db;outline-offset:0}
.seg.cue-on{background:#1a56db;color:#fff;font-weight:600}
.seg.stance-on{outline:2px dashed #7a2ca0;outline-offset:1px}
aside#panel{background:#fff;border:1px solid #ddd;border-radius:6px;padding:1rem;position:sticky;top:.5rem;max-height:calc(100vh - 1rem);overflow:auto}
.hint{color:#666}
.claim-text{font-size:1.05rem;font-weight:600}
.quote{color:#444;border-left:3px solid #ccc;padding-left:.5rem;margin:.4rem 0}
.badge{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:.85rem;border:1px solid #bbb;margin-right:.3rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .7rem;margin:.3rem 0;font-size:.9rem}
dt{color:#555}dd{margin:0}
ol.chain,ul.stances,ul.evidence{padding-left:1.3rem;margin:.3rem 0}
ol.chain li,ul.stances li,ul.evidence li{margin:.25rem 0}
.cue{background:#1a56db;color:#fff;padding:0 .25rem;border-radius:3px}
.muted{color:#666;font-size:.88rem}
.rationale{white-space:pre-wrap}
#claims-section,#speakers-section,#story-section{padding:0 1.2rem 1rem}
#story-section select{max-width:100%}
ul.tree,ul.tree ul{list-style:none;padding-left:1.4rem;margin:.2rem 0;border-left:2px solid #bbb}
ul.tree li{margin:.2rem 0}ul.tree li.unknown{border-left:2px dashed #bbb;padding-left:.3rem}
ins.changed{text-decoration:none;background:#ffe08a;border-bottom:2px solid #c77700}
.badge.mutation{background:#f3e8ff;border-color:#a970d8}
.badge.fid-accurate{background:#d9f2d4}.badge.fid-distorted{background:#f8d0d0}.badge.fid-misattributed{background:#f4a6a6}
#filters{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:center;font-size:.9rem;margin-bottom:.5rem}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.88rem}
th,td{border:1px solid #ddd;padding:.25rem .45rem;text-align:left;vertical-align:top}
tbody tr{cursor:pointer}tbody tr:hover{background:#f0f5ff}tbody tr.selected{background:#dde8ff}
button.claim-link{font:inherit;font-size:.85rem;border:1px solid #bbb;background:#fff;border-radius:3px;margin:.1rem;cursor:pointer;padding:0 .3rem}
.speaker{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.5rem .8rem;margin:.4rem 0}
.speaker h3{margin:.1rem 0 .3rem}
.speaker .role-row{margin:.15rem 0;font-size:.9rem}
.speaker .role-name{display:inline-block;min-width:6.5rem;color:#555}
@media (max-width:900px){main{grid-template-columns:1fr}aside#panel{position:static;max-height:none}}
"""

_SCRIPT = r"""
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("claimbank-data").textContent);
  const $ = (id) => document.getElementById(id);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("data-")) node.setAttribute(k, String(v));
      else if (k === "onclick") node.addEventListener("click", v);
      else node.setAttribute(k, String(v));
    }
    for (const c of children) {
      if (c === null || c === undefined) continue;
      node.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }
  function safeLink(url, label) {
    if (typeof url === "string" && /^https?:\/\/\S+$/i.test(url)) {
      return el("a", { href: url, rel: "noopener noreferrer", target: "_blank", text: label || url });
    }
    return el("span", { text: label || String(url) });
  }
  const speakerName = (id) => (D.speakers[id] ? D.speakers[id].name : id);
  const verdictOf = (cid) => D.claims[cid].verdict;
  const veracityOf = (cid) => (verdictOf(cid) ? verdictOf(cid).veracity : "none");
  const fidelityOf = (cid) => (verdictOf(cid) ? verdictOf(cid).fidelity : "none");
  const docs = {};
  for (const d of D.documents) docs[d.doc_id] = d;
  let current = { doc: null, claim: null };
  const rendered = {};

  // ---- summary and legend
  $("summary").textContent = D.counts.map(([t, n]) => n + " " + t).join(" · ");
  const legend = $("legend");
  legend.append(el("span", { class: "muted", text: "veracity (colour):" }));
  for (const v of D.labels.veracity) legend.append(el("span", { class: "item" }, el("span", { class: "swatch v-" + v, text: v })));
  legend.append(el("span", { class: "muted", text: "fidelity (underline):" }));
  for (const f of D.labels.fidelity) legend.append(el("span", { class: "item" }, el("span", { class: "seg claim swatch v-none f-" + f, text: f })));

  // ---- documents
  const docSelect = $("doc-select");
  for (const d of D.documents) docSelect.append(el("option", { value: d.doc_id, text: d.doc_id + (d.title ? " — " + d.title : "") }));
  docSelect.addEventListener("change", () => showDoc(docSelect.value));

  function renderDoc(d) {
    const box = el("div", { class: "doc-text", id: "doc-text-" + d.doc_id, "data-doc": d.doc_id });
    for (const [text, cover] of d.segments) {
      const claims = cover.claim || [];
      const span = el("span", { class: "seg" });
      span.textContent = text;
      if (claims.length) {
        // The innermost (shortest) covering claim sets the colour and underline.
        const inner = claims.slice().sort((a, b) =>
          (D.claims[a].span_end - D.claims[a].span_start) - (D.claims[b].span_end - D.claims[b].span_start) || (a < b ? -1 : 1))[0];
        span.classList.add("claim", "v-" + veracityOf(inner), "f-" + fidelityOf(inner));
        if (claims.length > 1) span.classList.add(claims.length > 2 ? "depth3" : "depth2");
        span.dataset.claims = claims.join(" ");
        span.dataset.inner = inner;
        span.title = claims.map((c) => c + " (" + veracityOf(c) + ", " + fidelityOf(c) + ")").join("; ");
        span.addEventListener("click", () => {
          // A second click on a passage held by several claims steps to the next one.
          const i = claims.indexOf(current.claim);
          const order = [inner].concat(claims.filter((c) => c !== inner));
          const j = order.indexOf(current.claim);
          selectClaim(i >= 0 ? order[(j + 1) % order.length] : inner, false);
        });
      }
      if (cover.cue) span.dataset.cues = cover.cue.join(" ");
      if (cover.stance) span.dataset.stances = cover.stance.join(" ");
      box.append(span);
    }
    return box;
  }

  function showDoc(docId) {
    if (current.doc === docId) return;
    const d = docs[docId];
    current.doc = docId;
    docSelect.value = docId;
    const meta = $("doc-meta");
    meta.replaceChildren();
    meta.append(el("strong", { text: d.doc_id }), " ", d.title ? d.title + " · " : "",
      d.publisher_id ? speakerName(d.publisher_id) + " · " : "", d.published_date ? d.published_date + " · " : "",
      d.url ? safeLink(d.url) : "no URL known", " · " + d.claim_ids.length + " claims");
    if (!rendered[docId]) rendered[docId] = renderDoc(d);
    const holder = $("doc-text");
    holder.replaceChildren(rendered[docId]);
  }

  // ---- the claim panel
  function badge(text, cls) { return el("span", { class: "badge" + (cls ? " " + cls : ""), text: text }); }
  function speakerLine(id, describedAs) {
    const s = D.speakers[id];
    if (!s) return el("span", { text: id });
    return el("span", null, el("strong", { class: "speaker-name", text: s.name }), " (" + s.kind + (describedAs ? ", “" + describedAs + "”" : "") + ")");
  }

  function markInText(claimId) {
    const box = rendered[current.doc];
    if (!box) return;
    const c = D.claims[claimId];
    const cueKeys = new Set(c.sourcing.map((l) => l.cue_key).filter(Boolean));
    const stanceKeys = new Set(c.stances.filter((s) => s.doc_id === current.doc).map((s) => s.key));
    let first = null;
    for (const span of box.children) {
      const claims = (span.dataset.claims || "").split(" ");
      const on = claims.includes(claimId);
      span.classList.toggle("selected", on);
      if (on && !first) first = span;
      span.classList.toggle("cue-on", (span.dataset.cues || "").split(" ").some((k) => cueKeys.has(k)));
      span.classList.toggle("stance-on", (span.dataset.stances || "").split(" ").some((k) => stanceKeys.has(k)));
    }
    return first;
  }

  function selectClaim(claimId, scroll) {
    const c = D.claims[claimId];
    if (!c) return;
    showDoc(c.doc_id);
    current.claim = claimId;
    const first = markInText(claimId);
    if (scroll && first) first.scrollIntoView({ block: "center" });
    for (const tr of document.querySelectorAll("#claims-table tbody tr")) tr.classList.toggle("selected", tr.dataset.claim === claimId);
    const p = $("panel");
    p.replaceChildren();
    p.dataset.claim = claimId;
    p.append(el("h2", { id: "p-claim-id", text: claimId }));
    p.append(el("p", { class: "claim-text", id: "p-claim-text", text: c.claim_text }));
    p.append(el("blockquote", { class: "quote", id: "p-quote", text: c.quote }));
    p.append(el("dl", null,
      el("dt", { text: "claimant" }), el("dd", { id: "p-claimant" }, speakerLine(c.claimant_id)),
      el("dt", { text: "type" }), el("dd", { id: "p-claim-type", text: c.claim_type + (c.checkworthy ? ", check-worthy" : ", not check-worthy") }),
      el("dt", { text: "claimed" }), el("dd", { text: c.claim_date || "date not known" }),
      el("dt", { text: "where" }), el("dd", { text: c.doc_id + ", " + c.location + ", characters " + c.span_start + "–" + c.span_end }),
      c.topics.length ? el("dt", { text: "topics" }) : null, c.topics.length ? el("dd", { text: c.topics.join(", ") }) : null));

    p.append(el("h3", { text: "Sourcing chain" }));
    const chain = el("ol", { class: "chain", id: "p-sourcing", start: "0" });
    for (const l of c.sourcing) {
      chain.append(el("li", { "data-position": l.position }, speakerLine(l.source_id, l.described_as), " — " + l.role + ", " + l.source_type,
        l.cue ? el("span", null, " — cue ", el("span", { class: "cue", text: l.cue })) : el("span", { class: "muted", text: " — no cue words" })));
    }
    p.append(chain);

    p.append(el("h3", { text: "Stances" }));
    if (c.stances.length) {
      const ul = el("ul", { class: "stances", id: "p-stances" });
      for (const s of c.stances) {
        ul.append(el("li", { "data-holder": s.holder_id, "data-stance": s.stance }, speakerLine(s.holder_id, s.described_as), " ", badge(s.stance),
          el("blockquote", { class: "quote", text: s.quote })));
      }
      p.append(ul);
    } else p.append(el("p", { class: "muted", id: "p-stances", text: "No stance recorded." }));

    p.append(el("h3", { text: "Verdict" }));
    const v = c.verdict;
    if (!v) { p.append(el("p", { class: "muted", id: "p-verdict", text: "Not reviewed." })); return; }
    const vd = el("div", { id: "p-verdict" });
    vd.append(el("p", null, "Veracity ", el("span", { class: "badge v-" + v.veracity, id: "p-veracity", text: v.veracity }), " confidence " + v.confidence));
    vd.append(el("p", { class: "rationale", id: "p-rationale", text: v.rationale }));
    vd.append(el("p", null, "Fidelity ", el("span", { class: "badge", id: "p-fidelity", text: v.fidelity }), " confidence " + v.fidelity_confidence));
    vd.append(el("p", { class: "rationale", id: "p-fidelity-rationale", text: v.fidelity_rationale }));
    vd.append(el("p", { class: "muted", text: "Reviewed " + v.reviewed_date }));
    vd.append(el("h3", { text: "Evidence (" + v.evidence.length + ")" }));
    const ul = el("ul", { class: "evidence", id: "p-evidence" });
    for (const e of v.evidence) {
      ul.append(el("li", { "data-evidence": e.evidence_id },
        el("strong", { text: e.evidence_id.split("-").pop() + " " }), safeLink(e.url, e.title || e.url), " — " + e.publisher,
        e.published_date ? ", " + e.published_date : "", " ", badge(e.relation),
        el("blockquote", { class: "quote", text: e.excerpt })));
    }
    vd.append(ul);
    p.append(vd);
  }

  // ---- the table of claims with filters
  const rows = Object.values(D.claims).sort((a, b) => (a.claim_id < b.claim_id ? -1 : 1));
  const facts = {};
  for (const c of rows) {
    facts[c.claim_id] = {
      speaker: new Set([c.claimant_id].concat(c.sourcing.map((l) => l.source_id))),
      claim_type: new Set([c.claim_type]),
      veracity: new Set([veracityOf(c.claim_id)]),
      fidelity: new Set([fidelityOf(c.claim_id)]),
      holder: new Set(c.stances.map((s) => s.holder_id)),
    };
  }
  const byName = (a, b) => speakerName(a).localeCompare(speakerName(b)) || (a < b ? -1 : 1);
  function fill(select, values, label) {
    select.append(el("option", { value: "", text: "all" }));
    for (const v of values) select.append(el("option", { value: v, text: label ? label(v) : v }));
    select.addEventListener("change", applyFilters);
  }
  const used = (key) => { const s = new Set(); for (const f of Object.values(facts)) for (const v of f[key]) s.add(v); return s; };
  fill($("f-speaker"), Array.from(used("speaker")).sort(byName), speakerName);
  fill($("f-claim_type"), D.labels.claim_type.filter((v) => used("claim_type").has(v)));
  fill($("f-veracity"), D.labels.veracity.concat(["none"]).filter((v) => used("veracity").has(v)));
  fill($("f-fidelity"), D.labels.fidelity.concat(["none"]).filter((v) => used("fidelity").has(v)));
  fill($("f-holder"), Array.from(used("holder")).sort(byName), speakerName);

  const tbody = document.querySelector("#claims-table tbody");
  for (const c of rows) {
    const tr = el("tr", { "data-claim": c.claim_id },
      el("td", { text: c.claim_id }), el("td", { text: c.quote }), el("td", { text: speakerName(c.claimant_id) }),
      el("td", { text: c.claim_type }), el("td", { class: "v-" + veracityOf(c.claim_id), text: veracityOf(c.claim_id) }),
      el("td", { text: fidelityOf(c.claim_id) }),
      el("td", { text: c.stances.map((s) => speakerName(s.holder_id) + ": " + s.stance).join("; ") }));
    tr.addEventListener("click", () => selectClaim(c.claim_id, true));
    tbody.append(tr);
  }
  function applyFilters() {
    const active = [];
    for (const s of document.querySelectorAll("#filters select")) if (s.value) active.push([s.dataset.filter, s.value]);
    let n = 0;
    for (const tr of tbody.children) {
      const f = facts[tr.dataset.claim];
      const show = active.every(([k, v]) => f[k].has(v));
      tr.hidden = !show;
      if (show) n += 1;
    }
    $("claims-count").textContent = n + " of " + rows.length + " claims";
  }
  applyFilters();

  // ---- who claimed, relayed, supported or denied what
  const roles = ["claimed", "relayed", "supports", "denies", "questions", "neutral"];
  const involvement = {};
  const add = (sid, role, cid) => {
    const r = (involvement[sid] = involvement[sid] || {});
    (r[role] = r[role] || new Set()).add(cid);
  };
  for (const c of rows) {
    add(c.claimant_id, "claimed", c.claim_id);
    for (const l of c.sourcing) if (l.source_id !== c.claimant_id) add(l.source_id, "relayed", c.claim_id);
    for (const s of c.stances) add(s.holder_id, s.stance, c.claim_id);
  }
  const box = $("speakers");
  for (const sid of Object.keys(involvement).sort(byName)) {
    const s = D.speakers[sid] || { name: sid, kind: "", description: "" };
    const card = el("div", { class: "speaker", id: "speaker-" + sid, "data-speaker": sid },
      el("h3", null, el("span", { text: s.name }), el("span", { class: "muted", text: " " + s.kind })),
      el("p", { class: "muted", text: s.description }),
      s.wikidata_id ? el("p", { class: "muted" }, "Wikidata ", safeLink("https://www.wikidata.org/wiki/" + s.wikidata_id, s.wikidata_id)) : null);
    for (const role of roles) {
      const ids = involvement[sid][role];
      if (!ids) continue;
      const row = el("div", { class: "role-row", "data-role": role }, el("span", { class: "role-name", text: role }));
      for (const cid of Array.from(ids).sort()) {
        row.append(el("button", { class: "claim-link", type: "button", "data-claim": cid, title: D.claims[cid].claim_text, text: cid,
          onclick: () => { selectClaim(cid, true); } }));
      }
      card.append(row);
    }
    box.append(card);
  }

  // ---- stories: which outlet took the story from whom, and one claim of the origin across outlets
  const storySelect = $("story-select"), claimSelect = $("story-claim");
  if (!D.stories.length) { $("story-none").hidden = false; $("story-body").hidden = true; }
  for (const st of D.stories) storySelect.append(el("option", { value: st.story_id, text: st.title }));
  function showStory(storyId) {
    const st = D.stories.find((x) => x.story_id === storyId);
    if (!st) return;
    $("story-head").textContent = st.documents.length + " documents, first reported " + st.first_report_date +
      "; origin " + st.origin_doc_id + ".";
    const tree = $("story-tree");
    tree.replaceChildren();
    const byDoc = {};
    for (const d of st.documents) byDoc[d.doc_id] = d;
    const children = {};
    for (const d of st.documents) {
      if (d.is_origin) continue;
      const parent = d.derived_from && byDoc[d.derived_from] ? d.derived_from : st.origin_doc_id;
      (children[parent] = children[parent] || []).push(d);
    }
    function node(d) {
      const known = d.is_origin || (d.derived_from && byDoc[d.derived_from]);
      const li = el("li", { class: known ? "known" : "unknown", "data-doc": d.doc_id },
        el("span", { text: (d.published_date || "date unknown") + " · " }), el("strong", { text: d.outlet }),
        el("span", { class: "muted", text: " (" + d.language + ", " + d.doc_id + (d.is_origin ? ", origin" : "") +
          (known || d.is_origin ? "" : ", source not established") + ")" }));
      const kids = children[d.doc_id];
      if (kids) li.append(el("ul", null, ...kids.map(node)));
      return li;
    }
    if (byDoc[st.origin_doc_id]) tree.append(node(byDoc[st.origin_doc_id]));
    claimSelect.replaceChildren();
    for (const oc of st.origin_claims) {
      claimSelect.append(el("option", { value: oc.claim_id, text: oc.claim_id + " (" + oc.renderings.length + "): " + (oc.claim_text || "") }));
    }
    claimSelect.onchange = () => showRenderings(st, claimSelect.value);
    if (st.origin_claims.length) showRenderings(st, st.origin_claims[0].claim_id);
  }
  function showRenderings(st, claimId) {
    const oc = st.origin_claims.find((x) => x.claim_id === claimId);
    claimSelect.value = claimId;
    $("story-origin").textContent = oc.claim_id + ": " + (oc.quote || "");
    const body = $("story-table").tBodies[0];
    body.replaceChildren();
    for (const r of oc.renderings) {
      const quote = el("td", { class: "rendering" });
      for (const [text, changed] of r.diff) quote.append(changed ? el("ins", { class: "changed", text: text }) : document.createTextNode(text));
      if (!r.compared) quote.append(el("div", { class: "muted", text: "translation: not compared word by word" }));
      if (r.hops > 1) quote.append(el("div", { class: "muted", text: "via " + r.via + " (" + r.hops + " hops from the origin)" }));
      quote.append(el("div", { class: "muted rationale", text: r.rationale }));
      const tr = el("tr", { "data-claim": r.claim_id },
        el("td", null, el("strong", { text: r.outlet }), el("div", { class: "muted", text: r.claim_id })),
        el("td", { text: r.published_date || "unknown" }), el("td", { text: r.language }), quote,
        el("td", { text: r.relation }),
        el("td", { class: "mutations" }, ...(r.mutations.length ? r.mutations.map((m) => badge(m, "mutation")) : [el("span", { class: "muted", text: "none" })])),
        el("td", null, badge(r.fidelity, "fid-" + r.fidelity)));
      tr.addEventListener("click", () => selectClaim(r.claim_id, true));
      body.append(tr);
    }
  }
  storySelect.addEventListener("change", () => showStory(storySelect.value));
  if (D.stories.length) showStory(D.stories[0].story_id);

  if (D.documents.length) showDoc(D.documents[0].doc_id);
  document.body.dataset.ready = "1";
})();
"""
