"""``claimbank synth``: a synthetic curation corpus of any size, for benchmarks and scale tests.

The corpus has the layout of ``data/`` (``speakers.yaml`` and one folder per document with
``document.yaml``, ``text.txt`` and ``claims.yaml``) and builds and validates cleanly. Every
claim quotes its generated text verbatim; sourcing chains start with the publisher's own
voice and end with the claimant, with cues that occur in the text; stances quote the
sentence that expresses them; every claim has a verdict, most have evidence.

It follows the schema: the keys written are the schema's writable columns, in schema order;
every label is drawn from the schema's label set (weights below give realistic proportions;
a label the weights do not know is drawn with weight 1); a required column without a
generator here gets a value of its declared type, or a SynthError names it.

Same ``claims``, ``seed`` → byte-identical files. Everything is fictitious: names are drawn
from word lists and every URL is on a reserved example domain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
import shutil
from pathlib import Path

from .progress import step
from .files import staging_folder, swap_folder
from .schema import Field, Schema, Table, load_schema
from .spans import occurrences

MARKER = "Synthetic ClaimBank curation"
DEFAULT_SEED = 0
CLAIMS_PER_DOCUMENT = (8, 32)  # uniform: 20 claims per document on average
CLAIMS_PER_SPEAKER = 20
STORY_SIZE = 5  # documents per synthetic story: an origin and four re-reports

# Columns the build derives (data/README.md, "Derived by the build"): never written.
DERIVED = {
    "documents": {"text", "char_count", "published_date_precision"},
    "speakers": {"role"},
    "claims": {"doc_id", "span_start", "span_end", "claim_date_precision"},
    "sourcing": {"claim_id", "position", "role", "cue_start", "cue_end"},
    "stances": {"claim_id", "doc_id", "span_start", "span_end"},
    "verdicts": {"claim_id"},
    "evidence": {"claim_id", "published_date_precision"},
    "stories": set(),
    "claim_links": {"claim_id", "doc_id", "source_doc_id", "story_id"},
    "link_mutations": set(),
}

# Label proportions, by label set; a label missing here gets weight 1.
WEIGHTS = {
    "speaker_kind": {"person": 45, "news_outlet": 15, "organization": 14, "government_body": 10,
                     "anonymous_group": 12, "document_voice": 4},
    "claim_type": {"event": 35, "quote": 14, "position": 15, "prediction": 9, "causal": 10, "numerical": 17},
    "claim_location": {"body": 90, "title": 5, "related_headline": 5},
    "source_type": {"article_voice": 0, "news_outlet": 30, "named_person": 35, "institution": 20, "anonymous": 15},
    "stance": {"supports": 30, "denies": 20, "questions": 14, "neutral": 36},
    "veracity": {"supported": 26, "refuted": 19, "misleading": 11, "not_enough_evidence": 34, "not_checkable": 10},
    "fidelity": {"accurate": 60, "distorted": 14, "misattributed": 5, "source_not_found": 21, "own_voice": 0},
    "confidence": {"high": 35, "medium": 45, "low": 20},
    "evidence_relation": {"supports": 30, "refutes": 22, "context": 33, "original_source": 15},
}
CHAIN_LENGTHS = {1: 34, 2: 38, 3: 23, 4: 5}
STANCES_PER_CLAIM = {0: 45, 1: 34, 2: 15, 3: 6}
EVIDENCE_PER_VERDICT = {0: 30, 1: 30, 2: 22, 3: 12, 4: 6}
# Which speaker kinds a sourcing link of each source type draws from.
SOURCE_KINDS = {"news_outlet": ("news_outlet",), "named_person": ("person",),
                "institution": ("organization", "government_body"), "anonymous": ("anonymous_group",)}

FIRST = ("Alma", "Bruno", "Chiara", "Dario", "Elif", "Farid", "Greta", "Hamid", "Ines", "Jonas", "Kaori", "Lena",
         "Marek", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sami", "Tomas", "Ulla", "Viktor", "Wanda", "Yusuf", "Zofia")
LAST = ("Abbott", "Brandt", "Castro", "Dimitrov", "Eriksen", "Ferreira", "Gallo", "Horvat", "Ivanova", "Jensen",
        "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrova", "Quinn", "Rossi", "Sato", "Tanaka",
        "Urban", "Vogel", "Weber", "Young", "Zeller")
PLACE = ("Avonmere", "Brightwater", "Calder", "Dunmore", "Eastfield", "Fenwick", "Glenrock", "Harwell", "Ironbridge",
         "Kestrel", "Larkspur", "Millbrook", "Northgate", "Oakhaven", "Pinecrest", "Redcliff", "Stonebury", "Thornvale")
OUTLET = ("Herald", "Courier", "Gazette", "Observer", "Tribune", "Chronicle", "Dispatch", "Ledger", "Post", "Wire")
BODY = ("Ministry of Transport", "Port Authority", "Water Board", "City Council", "Health Agency", "Energy Regulator",
        "Statistics Office", "Border Service", "Housing Department", "Audit Office")
ORG = ("Union of Dock Workers", "Farmers' Alliance", "Clean Rivers Trust", "Chamber of Commerce", "Teachers' Guild",
       "Open Budget Network", "Tenants' Association", "Rail Users' Forum")
GROUP = ("officials familiar with the talks", "people close to the ministry", "two senior diplomats",
         "sources inside the council", "unnamed engineers", "several aides")
SUBJECT = ("the council", "the ministry", "the regulator", "the port authority", "the government", "the company",
           "the agency", "the mayor's office", "the water board", "the federation")
VERB = ("approved", "cancelled", "postponed", "expanded", "cut", "doubled", "audited", "rejected", "signed", "froze")
OBJECT = ("the rail contract", "new housing permits", "the fuel subsidy", "the bridge repairs", "the school budget",
          "the harbour dredging", "emergency grants", "the pension reform", "the water tariffs", "the border checks")
WHEN = ("last week", "in March", "on Monday", "before the vote", "after the audit", "this spring", "in the first quarter",
        "during the talks")
CUES = ("reported", "said", "wrote", "claimed", "told reporters", "reportedly said")  # the first relay's words
CHAIN_CUES = ("according to", "citing", "quoting", "as told by")  # the links behind it
STANCE_WORDS = {
    "supports": ("confirmed the account", "backed the figures", "welcomed the decision"),
    "denies": ("denied the report", "rejected the figures", "called the account “false”"),
    "questions": ("questioned the figures", "asked for evidence", "doubted the timeline"),
    "neutral": ("declined to comment", "said it was reviewing the matter", "did not respond to requests"),
}
FILLER = ("The meeting ran late into the evening.", "Residents gathered outside the hall.",
          "Officials have not published the full document.", "The figures could not be independently verified.",
          "Talks are expected to resume next month.", "Opposition members left before the final session.",
          "Local businesses say they were not consulted.", "The decision follows months of debate.")
TOPICS = ("transport", "housing", "energy", "public-finance", "health", "environment", "labour", "elections",
          "infrastructure", "foreign-policy", "education", "water")
DOMAINS = ("example.org", "example.com", "example.net")


class SynthError(Exception):
    """The schema has a column the generator cannot fill, or the output folder is not ours."""


# -- YAML emission: block style, keys in schema order ------------------------------------------

_PLAIN = re.compile(r"[a-z][a-z0-9_-]*|\d{4}-\d{2}-\d{2}")
_RESERVED = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "none", "~"}


def _scalar(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_scalar(x) for x in v) + "]"
    s = str(v)
    if _PLAIN.fullmatch(s) and s not in _RESERVED:
        return s
    return json.dumps(s, ensure_ascii=False)


def _mapping(items: list[tuple[str, object]], indent: int, first_prefix: str = "") -> list[str]:
    """``key: value`` lines; the first line starts with ``first_prefix`` (``- `` for a list item)."""
    pad = " " * indent
    out = []
    for i, (k, v) in enumerate(items):
        lead = (pad[:-len(first_prefix)] + first_prefix) if (i == 0 and first_prefix) else pad
        if isinstance(v, list) and v and isinstance(v[0], list):  # a list of mappings
            out.append(f"{lead}{k}:")
            for sub in v:
                out += _mapping(sub, indent + 4, "- ")
        elif isinstance(v, tuple):  # a nested mapping
            out.append(f"{lead}{k}:")
            out += _mapping(list(v), indent + 2)
        else:
            out.append(f"{lead}{k}: {_scalar(v)}")
    return out


# -- the generator ---------------------------------------------------------------------------------

class _Gen:
    def __init__(self, claims: int, seed: int, schema: Schema):
        self.n = claims
        self.rng = random.Random(f"claimbank-synth:{seed}")
        self.schema = schema
        self.labels = {f"{t.name}.{f.name}": f.label_set for t in schema.tables.values() for f in t.fields if f.label_set}
        self._cum: dict = {}
        self._lw: dict = {}

    # weighted choices, from the schema's label sets
    def pick(self, weights: dict):
        key = id(weights)
        if key not in self._cum:
            items = [k for k, w in weights.items() if w > 0]
            cum, total = [], 0
            for k in items:
                total += weights[k]
                cum.append(total)
            self._cum[key] = (items, cum, total)
        items, cum, total = self._cum[key]
        r = self.rng.random() * total
        lo, hi = 0, len(cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if cum[mid] > r:
                hi = mid
            else:
                lo = mid + 1
        return items[lo]

    def label(self, table: str, column: str, exclude: tuple = ()) -> str:
        ls = self.labels[f"{table}.{column}"]
        w = WEIGHTS.get(ls.name, {})
        weights = self._label_weights(ls, w, exclude)
        return self.pick(weights)

    def _label_weights(self, ls, w, exclude):
        key = (ls.name, exclude)
        if key not in self._lw:
            self._lw[key] = {n: (w.get(n, 1) if n not in exclude else 0) for n in ls.names}
        return self._lw[key]

    def date(self, start_year=2015, end_year=2025) -> dt.date:
        a = dt.date(start_year, 1, 1).toordinal()
        b = dt.date(end_year, 12, 31).toordinal()
        return dt.date.fromordinal(self.rng.randint(a, b))

    def partial_date(self, d: dt.date, null_share: float):
        r = self.rng.random()
        if r < null_share:
            return None
        r = self.rng.random()
        if r < 0.8:
            return d.isoformat()
        if r < 0.93:
            return d.isoformat()[:7]
        return d.isoformat()[:4]

    # -- rows in schema order: known generators, else a value of the declared type -------------
    def row(self, table: str, known: dict) -> list[tuple[str, object]]:
        t: Table = self.schema[table]
        out = []
        for f in t.fields:
            if f.name in DERIVED.get(table, set()):
                continue
            if f.name in known:
                v = known[f.name]
            else:
                v = self.fallback(t, f)
            if v is None and not f.required:
                continue  # optional and unknown: left out, as curators do
            out.append((f.name, v))
        return out

    def fallback(self, t: Table, f: Field):
        if not f.required:
            return None
        if f.label_set is not None:
            return self.label(t.name, f.name)
        if f.type == "string" and not f.pattern:
            return f"synthetic {f.name.replace('_', ' ')}"
        if f.type == "integer":
            return f.minimum or 0
        if f.type == "boolean":
            return False
        if f.type == "date":
            return self.date().isoformat()
        if f.type == "array":
            return []
        raise SynthError(f"schema/tables/{t.name}.json: required column {f.name!r} ({f.type}, pattern {f.pattern}) "
                         "has no generator; add one to claimbank.synth")

    # -- speakers ------------------------------------------------------------------------------
    def speakers(self) -> list[dict]:
        count = max(40, self.n // CLAIMS_PER_SPEAKER)
        out = []
        for i in range(count):
            kind = self.label("speakers", "kind")
            if i < 8:
                kind = "news_outlet"  # every corpus has publishers
            if kind == "person":
                name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            elif kind == "news_outlet":
                name = f"{self.rng.choice(PLACE)} {self.rng.choice(OUTLET)}"
            elif kind == "government_body":
                name = f"{self.rng.choice(PLACE)} {self.rng.choice(BODY)}"
            elif kind == "organization":
                name = f"{self.rng.choice(PLACE)} {self.rng.choice(ORG)}"
            elif kind == "anonymous_group":
                name = self.rng.choice(GROUP)
            else:
                name = f"the {self.rng.choice(PLACE)} {self.rng.choice(OUTLET)} editorial voice"
            sid = f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}-{i}"
            out.append({"speaker_id": sid, "name": name, "kind": kind, "index": i})
        by_kind: dict[str, list[dict]] = {}
        for s in out:
            by_kind.setdefault(s["kind"], []).append(s)
        self.by_kind = by_kind
        self.all_speakers = out
        self.outlets = by_kind["news_outlet"]
        for s in out:
            aff = None
            if s["kind"] in ("person", "anonymous_group") and self.rng.random() < 0.3:
                pool = by_kind.get("government_body") or by_kind.get("organization") or self.outlets
                aff = self.rng.choice(pool)["speaker_id"]
            aliases = [s["name"].split(" ")[-1]] if s["kind"] == "person" and self.rng.random() < 0.4 else []
            s["row"] = self.row("speakers", {
                "speaker_id": s["speaker_id"], "name": s["name"], "kind": s["kind"],
                "description": f"Fictitious {s['kind'].replace('_', ' ')} generated for scale tests.",
                "affiliation_id": aff,
                "country": self.rng.choice(("GB", "DE", "FR", "IT", "PL", "SE", "NL")) if self.rng.random() < 0.7 else None,
                "wikidata_id": None,  # never invented
                "aliases": aliases,
            })
        return out

    def speaker(self, source_type: str) -> dict:
        kinds = SOURCE_KINDS.get(source_type, ())
        pools = [self.by_kind[k] for k in kinds if self.by_kind.get(k)]
        pool = self.rng.choice(pools) if pools else self.all_speakers
        return self.rng.choice(pool)

    # -- one document ----------------------------------------------------------------------------
    def document(self, doc_id: str, n_claims: int, story: dict | None = None) -> tuple[str, str, str]:
        """One document's text, document.yaml and claims.yaml. ``story``: its place in a story (see ``synth``):
        the story's id and origin, its date, the document it renders (origin or ``derived_from``) and that
        document's claim count, and its offset in the story (0 for the origin)."""
        rng = self.rng
        publisher = rng.choice(self.outlets)
        published = self.date(2016, 2025)
        if story is not None and story["offset"] == 0:
            story["date"] = published
        elif story is not None:
            published = story["date"] + dt.timedelta(days=story["offset"])  # re-reports follow their origin
        out = _Text()
        title = f"{rng.choice(SUBJECT).capitalize()} {rng.choice(VERB)} {rng.choice(OBJECT)} in {rng.choice(PLACE)}"
        out.put(title + "\n\n")
        claims = [self._claim_text(out, f"{doc_id}-c{k:02d}", publisher) for k in range(1, n_claims + 1)]
        text = out.text()
        lines = ["claims:"]
        for claim in claims:
            lines += _mapping(self._claim_entry(text, claim, doc_id, published, story), 4, "- ")
        claims_yaml = "\n".join(lines) + "\n"
        doc = self._document_row(doc_id, title, publisher, published, story, hashlib.sha256(text.encode("utf-8")).hexdigest())
        return text, "\n".join(_mapping(doc, 0)) + "\n", claims_yaml

    def _claim_text(self, out: _Text, claim_id: str, publisher: dict) -> tuple:
        """Write one claim's sentence (its sourcing cues, quote and stances) to ``out``.

        Returns (claim id, chain links, quote, quote start, cue of each link, stances).
        """
        rng = self.rng
        length = self.pick(CHAIN_LENGTHS)
        links = [(publisher, "article_voice")]
        for _ in range(length - 1):
            st = self.label("sourcing", "source_type")
            links.append((self.speaker(st), st))
        number = rng.randint(2, 9999)
        quote = (f"{rng.choice(SUBJECT)} {rng.choice(VERB)} {rng.choice(OBJECT)} worth {number} thousand "
                 f"{rng.choice(('euros', 'pounds', 'kronor'))} {rng.choice(WHEN)}")
        cue_at: list[tuple[str, int] | None] = [None]
        if length == 1:
            start = out.put(quote[0].upper() + quote[1:] + ". ")
            quote = quote[0].upper() + quote[1:]
            q_start = start
        else:
            # "<relay> reported that, according to <origin>, <quote>."
            for j, (sp, _st) in enumerate(links[1:], 1):
                cue = rng.choice(CUES if j == 1 else CHAIN_CUES)
                if j == 1:
                    out.put(f"{sp['name'][0].upper()}{sp['name'][1:]} ")
                else:
                    out.put(", ")
                cue_at.append((cue, out.put(cue)))
                out.put(f" {sp['name']}" if j > 1 else "")
                if j == 1 and len(links) > 2:
                    out.put(" that")
            out.put(", ")
            q_start = out.put(quote)
            out.put(". ")
        stances = []
        for _ in range(self.pick(STANCES_PER_CLAIM)):
            holder = rng.choice(self.all_speakers)
            if any(h is holder for h, *_ in stances):
                continue
            stance = self.label("stances", "stance")
            sentence = f"{holder['name'][0].upper()}{holder['name'][1:]} {rng.choice(STANCE_WORDS.get(stance, ('commented',)))}."
            stances.append((holder, stance, sentence, out.put(sentence + " ")))
        if rng.random() < 0.35:
            out.put(rng.choice(FILLER) + " ")
        if rng.random() < 0.2:  # a paragraph break: the trailing space becomes a blank line
            out.paragraph_break()
        return claim_id, links, quote, q_start, cue_at, stances

    def _claim_entry(self, text: str, claim: tuple, doc_id: str, published: dt.date, story: dict | None) -> list:
        """One claim of claims.yaml: its fields, sourcing chain, stances, link (in a story) and verdict."""
        claim_id, links, quote, q_start, cue_at, stances = claim
        rng = self.rng
        claimant = links[-1][0]
        claim_date = published - dt.timedelta(days=rng.randint(0, 30))
        claim_type = self.label("claims", "claim_type")
        checkworthy = rng.random() < 0.75
        veracity = self.label("verdicts", "veracity") if checkworthy else "not_checkable"
        ctx = {
            "claim_id": claim_id, "quote": quote,
            "claim_text": (f"{claimant['name'][0].upper()}{claimant['name'][1:]} says that {quote[0].lower()}{quote[1:]}." if len(links) > 1
                           else f"{quote} (in {rng.choice(PLACE)})."),
            "claimant_id": claimant["speaker_id"], "claim_type": claim_type, "checkworthy": checkworthy,
            "claim_date": self.partial_date(claim_date, 0.15),
            "topics": sorted(set(rng.sample(TOPICS, rng.choice((0, 1, 1, 2, 2, 3))))),
            "location": self.label("claims", "location"),
        }
        entry = self.row("claims", ctx)
        occ = _occurrence(text, quote, q_start)
        if occ is not None:
            entry.insert(2, ("occurrence", occ))
        chain = []
        for j, (sp, st) in enumerate(links):
            cue = cue_at[j]
            link = self.row("sourcing", {"source_id": sp["speaker_id"], "source_type": st, "cue": cue[0] if cue else None})
            if cue is not None:
                o = _occurrence(text, cue[0], cue[1])
                if o is not None:
                    link.append(("cue_occurrence", o))
            chain.append(link)
        entry.append(("sourcing", chain))
        if stances:
            rows = []
            for holder, stance, sentence, at in stances:
                srow = self.row("stances", {"holder_id": holder["speaker_id"], "stance": stance, "quote": sentence})
                o = _occurrence(text, sentence, at)
                if o is not None:
                    srow.append(("occurrence", o))
                rows.append(srow)
            entry.append(("stances", rows))
        verdict = self._verdict(claim_id, doc_id, veracity, own_voice=len(links) == 1)
        if story is not None and story["offset"] > 0 and rng.random() < 0.6:
            entry.append(("link", self._link(story)))
        entry.append(("verdict", verdict))
        return entry

    def _verdict(self, claim_id: str, doc_id: str, veracity: str, *, own_voice: bool) -> tuple:
        """A claim's verdict, with its evidence."""
        rng = self.rng
        reviewed = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
        fidelity = "own_voice" if own_voice else self.label("verdicts", "fidelity", exclude=("own_voice",))
        verdict = self.row("verdicts", {
            "veracity": veracity, "confidence": self.label("verdicts", "confidence"),
            "rationale": f"Synthetic rationale: the {veracity.replace('_', ' ')} verdict rests on the evidence listed.",
            "fidelity": fidelity, "fidelity_confidence": self.label("verdicts", "fidelity_confidence"),
            "fidelity_rationale": f"Synthetic: the document's rendering of its source is {fidelity.replace('_', ' ')}.",
            "reviewed_date": reviewed.isoformat(),
        })
        n_ev = self.pick(EVIDENCE_PER_VERDICT)
        if veracity in ("not_enough_evidence", "not_checkable"):
            n_ev = min(n_ev, 1)
        evidence = []
        for e in range(1, n_ev + 1):
            pub = self.date(2016, 2025)
            item = {
                "evidence_id": f"{claim_id}-e{e}",
                "url": f"https://{rng.choice(DOMAINS)}/{doc_id}/{claim_id}/e{e}",
                "title": None if rng.random() < 0.1 else f"{rng.choice(PLACE)} {rng.choice(OUTLET)}: {rng.choice(OBJECT)}",
                "publisher": f"{rng.choice(PLACE)} {rng.choice(OUTLET)}",
                "published_date": self.partial_date(pub, 0.12),
                "accessed_date": reviewed.isoformat(),
                "excerpt": f"{rng.choice(SUBJECT).capitalize()} {rng.choice(VERB)} {rng.choice(OBJECT)}.",
                "relation": self.label("evidence", "relation"),
            }
            if veracity == "not_checkable" and item["relation"] in ("supports", "refutes"):
                item["relation"] = "context"  # evidence cannot settle a not_checkable claim
            evidence.append(self.row("evidence", item))
        if evidence:
            verdict.append(("evidence", evidence))
        return tuple(verdict)

    def _link(self, story: dict) -> tuple:
        """The link of a claim of a re-report to a claim of the document it renders, with its mutations."""
        rng = self.rng
        mutation = self.labels["link_mutations.mutation"].names
        relation = self.label("claim_links", "relation")
        hop = self.label("claim_links", "fidelity", exclude=("source_not_found", "own_voice"))
        link = self.row("claim_links", {
            "source_claim_id": f"{story['source']}-c{rng.randint(1, story['source_claims']):02d}",
            "relation": relation, "fidelity": hop, "confidence": self.label("claim_links", "confidence"),
            "rationale": f"Synthetic: the claim renders the earlier one ({relation.replace('_', ' ')}), {hop}.",
        })
        link.append(("mutations", sorted(rng.sample(mutation, rng.choice((0, 1, 1, 2, 3))))))
        return tuple(link)

    def _document_row(self, doc_id: str, title: str, publisher: dict, published: dt.date, story: dict | None,
                      digest: str) -> list:
        """document.yaml's fields."""
        rng = self.rng
        doc = self.row("documents", {
            "doc_id": doc_id, "title": title, "publisher_id": publisher["speaker_id"],
            "url": f"https://{rng.choice(DOMAINS)}/news/{doc_id}",
            "published_date": self.partial_date(published, 0.05),
            "retrieved_date": dt.date(2026, 1, 1).isoformat(),
            "retrieval": "Generated by claimbank synth; not a real article.",
            "source_file": f"synthetic/{doc_id}.txt", "language": "en",
            "license": "CC0-1.0 (synthetic text)", "sha256": digest,
            "text_scope": "excerpt" if story is not None and story["offset"] > 0 else "full",
            "text_rights": "none: synthetic text, generated by claimbank synth",
            "story_id": story["story_id"] if story is not None else None,
            "derived_from": story["derived_from"] if story is not None else None,
            "derivation": None if story is None or story["offset"] == 0 else
            ("Synthetic: taken from the document named." if story["derived_from"] else "Synthetic: source not established."),
        })
        doc.append(("text_file", "text.txt"))
        return doc


class _Text:
    """A document's text, written piece by piece; each piece's start offset is known as it is written."""

    def __init__(self):
        self.parts: list[str] = []
        self.pos = 0

    def put(self, s: str) -> int:
        """Append ``s``; its start offset."""
        self.parts.append(s)
        start = self.pos
        self.pos += len(s)
        return start

    def paragraph_break(self) -> None:
        """The trailing space becomes a blank line."""
        self.parts[-1] = self.parts[-1][:-1] + "\n\n"
        self.pos += 1

    def text(self) -> str:
        return "".join(self.parts).rstrip(" ") + "\n"


def _occurrence(text: str, passage: str, at: int) -> int | None:
    """Which occurrence of ``passage`` in ``text`` starts at ``at`` (1-based), or None when there is only one."""
    found = occurrences(text, passage)
    if len(found) == 1:
        return None
    return found.index(at) + 1


def plan(claims: int, seed: int) -> list[int]:
    """Claims per document: uniform in CLAIMS_PER_DOCUMENT, summing to ``claims``."""
    rng = random.Random(f"claimbank-synth-plan:{seed}")
    sizes, left = [], claims
    while left > 0:
        k = min(left, rng.randint(*CLAIMS_PER_DOCUMENT))
        sizes.append(k)
        left -= k
    return sizes


def synth(claims: int, out: Path, *, seed: int = DEFAULT_SEED, schema: Schema | None = None, progress=None) -> Path:
    """Write a synthetic curation of ``claims`` claims to the folder ``out`` (a ``data/``-like folder).

    Written aside and swapped in; an existing ``out`` is replaced only when it is an earlier
    synthetic corpus (it has the marker README.md) or empty.
    """

    if claims < 1:
        raise SynthError(f"--claims must be at least 1, got {claims}")
    schema = schema or load_schema()
    out = Path(out).resolve()
    if out.exists():
        marker = out / "README.md"
        ours = marker.is_file() and marker.read_text(encoding="utf-8").startswith(f"# {MARKER}")
        if not (out.is_dir() and (ours or not any(out.iterdir()))):
            raise SynthError(f"{out} exists and is not a synthetic corpus; refusing to replace it. "
                             "Fix: pass --out with a new folder")
    tmp = staging_folder(out)
    try:
        g = _Gen(claims, seed, schema)
        speakers = g.speakers()
        sizes = plan(claims, seed)
        width = max(3, len(str(len(sizes) - 1)))
        docs = tmp / "documents"
        docs.mkdir()
        stories, story = [], None
        for i, k in enumerate(sizes):
            doc_id = f"d{i:0{width}d}"
            # documents in consecutive groups of STORY_SIZE form a story: the first is its origin, each other
            # renders claims of the origin or (derived_from) of the document before it
            offset = i % STORY_SIZE
            group = min(STORY_SIZE, len(sizes) - (i - offset))
            if group < 2:
                story = None
            elif offset == 0:
                story = {"story_id": f"story-{doc_id}", "origin": doc_id, "offset": 0, "derived_from": None}
            else:
                previous = f"d{i - 1:0{width}d}"
                taken = offset > 1 and g.rng.random() < 0.4
                story = {**story, "offset": offset, "derived_from": previous if taken else None,
                         "source": previous if taken else story["origin"],
                         "source_claims": sizes[i - 1] if taken else sizes[i - offset]}
            text, document_yaml, claims_yaml = g.document(doc_id, k, story)
            if story is not None and offset == 0:
                stories.append([("story_id", story["story_id"]), ("title", f"Synthetic story of {doc_id}"),
                                ("origin_doc_id", doc_id), ("first_report_date", story["date"].isoformat())])
            folder = docs / doc_id
            folder.mkdir()
            (folder / "text.txt").write_bytes(text.encode("utf-8"))
            (folder / "document.yaml").write_bytes(document_yaml.encode("utf-8"))
            (folder / "claims.yaml").write_bytes(claims_yaml.encode("utf-8"))
            step(progress, "synth", i + 1, len(sizes), "documents", 1000)
        if stories:
            lines = ["stories:"]
            for row in stories:
                lines += _mapping(row, 4, "- ")
            (tmp / "stories.yaml").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
        lines = ["speakers:"]
        for s in speakers:
            lines += _mapping(s["row"], 4, "- ")
        (tmp / "speakers.yaml").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))
        (tmp / "README.md").write_bytes(
            (f"# {MARKER}\n\nWritten by `claimbank synth --claims {claims} --seed {seed}`: {len(sizes)} documents, "
             f"{len(speakers)} speakers, {claims} claims. Every name, text and URL is fictitious.\n"
             "Build it with `claimbank build --data THIS_FOLDER --out OUT`.\n").encode("utf-8"))
        swap_folder(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out
