"""Inter-annotator agreement, computed from the annotations table.

In each round the curator (a1) is paired with that round's blind annotator (a2 in round 1, a3
in round 2) over every claim or link both labelled. Single-label dimensions give Cohen's κ, raw
agreement and the confusion matrix (rows: a1, columns: the other annotator, labels in label-set
order). Mutations are multi-label: each (link, mutation type) is one yes/no decision, pooled over
all types for κ and raw agreement; the exact-set rate is the share of links where both named the
same set.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .curation import ADJUDICATION, ANNOTATION_DIMENSIONS, ANNOTATION_LABELS, disagree
from .schema import Schema

CURATOR = "a1"


@dataclass
class Agreement:
    round: int
    dimension: str
    annotators: tuple[str, str]
    items: int
    kappa: float | None
    raw: float
    labels: list[str] = field(default_factory=list)
    confusion: list[list[int]] = field(default_factory=list)  # single-label dimensions
    exact_sets: float | None = None  # mutations


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's κ of two annotators' labels over the same items; None when chance agreement is 1."""
    n = len(pairs)
    if n == 0:
        return None
    observed = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def _given(rows: list[dict]) -> dict[tuple, dict[str, object]]:
    """(round, dimension, claim_id) -> annotator -> label (a tuple of mutations for mutations)."""
    out: dict[tuple, dict[str, object]] = {}
    for r in rows:
        value = tuple(r["mutations"] or ()) if r["dimension"] == "mutations" else r["label"]
        out.setdefault((r["round"], r["dimension"], r["claim_id"]), {})[r["annotator_id"]] = value
    return out


def agreement(rows: list[dict], schema: Schema, *, claims: set[str] | None = None) -> list[Agreement]:
    """Per round and dimension, the curator against each other annotator; ``claims`` restricts the items."""
    given = _given(rows)
    pairs: dict[tuple[int, str, str], list[tuple]] = {}
    for (rnd, dim, cid), by in sorted(given.items()):
        if claims is not None and cid not in claims or CURATOR not in by:
            continue
        for other, label in sorted(by.items()):
            if other not in (CURATOR, ADJUDICATION):
                pairs.setdefault((rnd, dim, other), []).append((by[CURATOR], label))
    out = []
    for (rnd, dim, other), ps in sorted(pairs.items(), key=lambda kv: (kv[0][0], ANNOTATION_DIMENSIONS.index(kv[0][1]), kv[0][2])):
        names = ANNOTATION_LABELS[dim](schema)
        if dim == "mutations":
            binary = [(m in a, m in b) for a, b in ps for m in names]
            out.append(Agreement(rnd, dim, (CURATOR, other), len(ps), cohen_kappa(binary),
                                 sum(x == y for x, y in binary) / len(binary), names,
                                 exact_sets=sum(set(a) == set(b) for a, b in ps) / len(ps)))
            continue
        index = {n: i for i, n in enumerate(names)}
        matrix = [[0] * len(names) for _ in names]
        for a, b in ps:
            matrix[index[a]][index[b]] += 1
        out.append(Agreement(rnd, dim, (CURATOR, other), len(ps), cohen_kappa(ps),
                             sum(a == b for a, b in ps) / len(ps), names, matrix))
    return out


def adjudication_changes(rows: list[dict]) -> Counter:
    """(round, dimension) -> how many adjudicated labels differ from the curator's label of that round."""
    out: Counter = Counter()
    for (rnd, dim, _cid), by in _given(rows).items():
        if ADJUDICATION in by and CURATOR in by and by[ADJUDICATION] != by[CURATOR]:
            out[rnd, dim] += 1
    return out


def disagreements(rows: list[dict]) -> Counter:
    """(round, dimension) -> items on which the annotators of the round disagree."""
    out: Counter = Counter()
    for (rnd, dim, _cid), by in _given(rows).items():
        if disagree(by):
            out[rnd, dim] += 1
    return out


# -- Markdown, for the datasheet and the card ------------------------------------------------------

def _fmt(x: float | None, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def agreement_table(tables, schema: Schema) -> str:
    """Per round and dimension: items, Cohen's κ and raw agreement, over all items and without the seed d000."""
    rows = tables["annotations"].to_pylist()
    if not rows:
        return "No second annotation yet."
    claim_ids = set(tables["claims"].column("claim_id").to_pylist())
    without_seed = claim_ids - {c for c in claim_ids if c.startswith("d000-")}
    full = agreement(rows, schema)
    story = {(a.round, a.dimension, a.annotators): a for a in agreement(rows, schema, claims=without_seed)}
    out = ["| round | annotators | dimension | items | Cohen's κ | raw agreement | κ without d000 | raw without d000 |",
           "|---:|---|---|---:|---:|---:|---:|---:|"]
    for a in full:
        s = story.get((a.round, a.dimension, a.annotators))
        raw = f"{100 * a.raw:.1f}%" + (f" (exact sets {100 * a.exact_sets:.1f}%)" if a.exact_sets is not None else "")
        out.append(f"| {a.round} | {' vs '.join(a.annotators)} | {a.dimension} | {a.items} | {_fmt(a.kappa)} | {raw} | "
                   f"{_fmt(s.kappa) if s else '–'} | {f'{100 * s.raw:.1f}%' if s else '–'} |")
    return "\n".join(out)


def confusion_tables(tables, schema: Schema) -> str:
    """One confusion matrix per round and single-label dimension: rows the curator, columns the other annotator."""
    rows = tables["annotations"].to_pylist()
    parts = []
    for a in agreement(rows, schema):
        if not a.confusion:
            continue
        used = [i for i, _ in enumerate(a.labels) if any(a.confusion[i]) or any(r[i] for r in a.confusion)]
        head = f"**Round {a.round}, {a.dimension}** (rows {a.annotators[0]}, columns {a.annotators[1]})"
        lines = [head, "", "| | " + " | ".join(f"`{a.labels[i]}`" for i in used) + " |",
                 "|---|" + "---:|" * len(used)]
        for i in used:
            lines.append(f"| `{a.labels[i]}` | " + " | ".join(str(a.confusion[i][j]) for j in used) + " |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) or "No second annotation yet."


def adjudication_table(tables) -> str:
    """Per round and dimension: items the annotators disagreed on, and adjudicated labels that differ from the curator's."""
    rows = tables["annotations"].to_pylist()
    dis, changed = disagreements(rows), adjudication_changes(rows)
    if not dis:
        return "No disagreement to adjudicate."
    out = ["| round | dimension | disagreements | final label differs from a1's |", "|---:|---|---:|---:|"]
    for (rnd, dim) in sorted(dis, key=lambda k: (k[0], ANNOTATION_DIMENSIONS.index(k[1]))):
        out.append(f"| {rnd} | {dim} | {dis[rnd, dim]} | {changed.get((rnd, dim), 0)} |")
    return "\n".join(out)
