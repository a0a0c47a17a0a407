"""The dataset card (README.md) of a build or release folder.

Its YAML header is what Hugging Face ``datasets`` and the Hub read: licence, language,
pretty name, size category, task categories, who made the annotations and the texts, one
config per table (claims is the default), each with its Parquet files as the ``train`` split,
and ``dataset_info`` features generated from the schema, label columns as ``class_label`` so
that a label's id is its position in the label set. Split sizes are ``num_examples`` only:
``datasets`` checks them on load; ``num_bytes`` is left out, since ``datasets`` computes it from
its own Arrow cache and a figure from the Parquet files would differ. The human part follows:
summary, uses, out-of-scope uses, bias, limitations, personal information, licence, tables,
label sets, installing and loading, citation; each of the sections on use links the datasheet
(DATASHEET.md) beside the card. Every figure in it is computed from the tables.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from .agreement import agreement, agreement_table
from .datasheet import story_table
from .paths import project_version
from .schema import Schema, load_schema

DEFAULT_CONFIG = "claims"
PRETTY_NAME = "ClaimBank"
# The Hub's licence ids have none for "CC BY 4.0 annotations of texts that stay their publishers'": `other`, with
# the LICENSE file each release carries (LICENSE_TEXT) as the link.
LICENSE = "other"
LICENSE_NAME = "cc-by-4.0-annotations-publisher-texts"
LICENSE_FILE = "LICENSE"
LICENSE_TEXT = """ClaimBank dataset: licences

The annotations (every table and column except the document texts, documents.text, and the
passages quoted from them) are licensed under the Creative Commons Attribution 4.0
International licence (CC BY 4.0): https://creativecommons.org/licenses/by/4.0/

The document texts are not: each remains the copyright of its publisher (documents.text_rights;
documents.license states what is known of its status) and is quoted, the seed article in full
and every other document only in the paragraphs that carry annotated claims
(documents.text_scope), so that every annotation can be checked against its text. They are not
covered by the CC BY licence.
"""
ANNOTATIONS_CREATORS = ["expert-generated"]  # written by hand by the maintainers, following the datasheet's guidelines
LANGUAGE_CREATORS = ["found", "expert-generated"]  # the texts as published; claim_text and rationales by the curators
SOURCE_DATASETS = ["original"]  # the texts come from news sites, not from another dataset
RIGHTS = (
    "The annotations (claims, sourcing, stances, verdicts, evidence, stories and links) are licensed CC BY 4.0. "
    "The texts are not: each remains the copyright of its publisher (`documents.text_rights`) and is quoted, "
    "the seed article in full and every other document only in the paragraphs that carry annotated claims "
    "(`documents.text_scope`), so that every annotation can be checked against its text."
)
SUMMARY = (
    "Claims from news articles, the speakers who make or relay them, each actor's stance toward each "
    "claim, the sourcing chain behind each claim, and two verdicts per claim: whether the article renders "
    "its source faithfully (fidelity) and whether the claim is true (veracity), with the evidence read. "
    "Every claim is anchored to exact character offsets in a stored, checksummed source text."
)
TASK_CATEGORIES = ["text-classification"]
TASK_IDS = ["fact-checking"]
TAGS = ["fact-checking", "claim-detection", "stance-detection", "quote-attribution", "news"]

# Hugging Face size categories, by number of claims.
_SIZES = [(1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
          (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M")]


def size_category(n: int) -> str:
    for bound, label in _SIZES:
        if n < bound:
            return label
    return "n>100M"


def card_metadata(schema: Schema, counts: dict[str, int], languages: list[str] | None = None) -> dict:
    configs = []
    infos = []
    for name in schema.table_names:
        cfg = {"config_name": name, "data_files": [{"split": "train", "path": f"data/{name}/*.parquet"}]}
        if name == DEFAULT_CONFIG:
            cfg["default"] = True
        configs.append(cfg)
        infos.append({
            "config_name": name,
            "features": schema[name].hf_features(),
            "splits": [{"name": "train", "num_examples": counts[name]}],
        })
    languages = languages or ["en"]
    return {
        "pretty_name": PRETTY_NAME,
        "language": languages,
        "multilinguality": ["multilingual" if len(languages) > 1 else "monolingual"],
        "annotations_creators": ANNOTATIONS_CREATORS,
        "language_creators": LANGUAGE_CREATORS,
        "source_datasets": SOURCE_DATASETS,
        "license": LICENSE,
        "license_name": LICENSE_NAME,
        "license_link": LICENSE_FILE,
        "size_categories": [size_category(counts.get(DEFAULT_CONFIG, 0))],
        "task_categories": TASK_CATEGORIES,
        "task_ids": TASK_IDS,
        "tags": TAGS,
        "configs": configs,
        "dataset_info": infos,
    }


def bibtex(version: str, date: str | None) -> str:
    key = "claimbank_" + version.replace(".", "_")
    lines = [
        f"@misc{{{key},",
        "  title = {ClaimBank: claims, sourcing chains, stances and verdicts curated from news articles},",
        "  author = {{ClaimBank maintainers}},",
    ]
    if date:
        lines.append(f"  year = {{{date[:4]}}},")
    lines += [f"  version = {{{version}}},", f"  note = {{Dataset release {version}}}" if date else
              f"  note = {{Unreleased build of version {version}}}", "}"]
    return "\n".join(lines)


_HUB_URL = re.compile(r"^https://huggingface\.co/datasets/([A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)/?$")


def hub_repo_id(url: str | None) -> str | None:
    """The Hub repository id of a ``https://huggingface.co/datasets/OWNER/NAME`` URL, else None."""
    m = _HUB_URL.match(url or "")
    return m.group(1) if m else None


def _figures(tables: dict) -> dict:
    """The counts the sections on use quote, each computed from the tables."""
    def col(t, c):
        return tables[t].column(c).to_pylist() if t in tables and c in tables[t].column_names else []

    languages = Counter(col("documents", "language"))
    topics = Counter(t for ts in col("claims", "topics") for t in (ts or []))
    kinds = Counter(col("speakers", "kind"))
    veracity = Counter(col("verdicts", "veracity"))
    return {
        "documents": tables["documents"].num_rows if "documents" in tables else 0,
        "claims": tables["claims"].num_rows if "claims" in tables else 0,
        "checkworthy": sum(1 for v in col("claims", "checkworthy") if v),
        "stories": tables["stories"].num_rows if "stories" in tables else 0,
        "sourcing": tables["sourcing"].num_rows if "sourcing" in tables else 0,
        "stances": tables["stances"].num_rows if "stances" in tables else 0,
        "evidence": tables["evidence"].num_rows if "evidence" in tables else 0,
        "links": tables["claim_links"].num_rows if "claim_links" in tables else 0,
        "languages": ", ".join(f"{lang} {n}" for lang, n in sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        "topics": len(topics),
        "top_topics": ", ".join(t for t, _ in sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))[:3]),
        "outlets": len({v for v in col("documents", "publisher_id") if v}),
        "excerpts": sum(1 for v in col("documents", "text_scope") if v == "excerpt"),
        "not_enough_evidence": veracity.get("not_enough_evidence", 0),
        "no_evidence_date": sum(1 for v in col("evidence", "published_date") if v is None),
        "speakers": tables["speakers"].num_rows if "speakers" in tables else 0,
        "persons": kinds.get("person", 0),
        "anonymous": kinds.get("anonymous_group", 0),
        "wikidata": sum(1 for v in col("speakers", "wikidata_id") if v),
    }


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _annotation_rows(tables: dict) -> list[dict]:
    return tables["annotations"].to_pylist() if "annotations" in tables else []


def _who_labelled(tables: dict) -> str:
    rounds = sorted({r["round"] for r in _annotation_rows(tables)})
    if not rounds:
        return "The annotations are one curator's."
    return (f"The labels are one curator's, compared with blind second annotations in {_plural(len(rounds), 'round')} "
            "and adjudicated where they disagreed; the evidence was searched and read by the curator alone.")


def _agreement_line(tables: dict) -> str:
    rows = _annotation_rows(tables)
    if not rows:
        return "No second annotation: no agreement between annotators was measured."
    found = agreement(rows, load_schema())
    last = max(a.round for a in found)
    parts = ", ".join(f"{a.dimension} {'–' if a.kappa is None else f'{a.kappa:.2f}'}" for a in found if a.round == last)
    return f"Agreement with a blind second annotator in round {last}, Cohen's κ: {parts} (every round in the table below)."


def _agreement_section(tables: dict, *, datasheet: bool) -> list[str]:
    if not _annotation_rows(tables):
        return []
    where = "[Agreement between annotators](DATASHEET.md#agreement-between-annotators) in the datasheet" if datasheet \
        else "Agreement between annotators, in the datasheet"
    return ["## Annotation agreement", "",
            "The curator (a1) against a blind second annotator per round, computed from the `annotations` table "
            f"(every label, as given). More, with the confusion matrices: {where}.", "",
            agreement_table(tables, load_schema()), ""]


def use_sections(tables: dict, *, datasheet: bool) -> list[str]:
    """Uses, out-of-scope uses, bias, limitations and personal information: short, with the figures of
    ``tables``, each linking the datasheet section it summarises."""
    f = _figures(tables)

    def see(anchor: str, what: str) -> str:
        if datasheet:
            return f"More: [{what}](DATASHEET.md#{anchor}) in the datasheet, DATASHEET.md."
        return f"More: {what} in the datasheet (DATASHEET.md in the repository; every release carries its own)."

    return [
        "## Uses",
        "",
        f"Claim detection and check-worthiness (`claims.checkworthy`: {f['checkworthy']} of {f['claims']} claims), "
        f"source attribution ({_plural(f['sourcing'], 'sourcing link')}), stance detection ({_plural(f['stances'], 'stance')}), "
        f"fact verification with the evidence read (`verdicts.veracity`, {_plural(f['evidence'], 'evidence item')}), judging "
        f"whether a report renders its source faithfully (`verdicts.fidelity`), and following a report across outlets "
        f"({_plural(f['links'], 'claim link')}). {see('uses', 'Uses')}",
        "",
        "## Out-of-scope uses",
        "",
        f"With {_plural(f['documents'], 'document')}, {_plural(f['stories'], 'story', 'stories')} and "
        f"{_plural(f['claims'], 'claim')}, the dataset is too small to train or to benchmark a model: use it to develop "
        f"and test annotation and evaluation pipelines. A `not_enough_evidence` verdict ({f['not_enough_evidence']} of "
        f"{f['claims']} claims) is not a judgement that the claim is false, and every verdict describes the evidence "
        f"found when the data was curated, not the state of the world. {see('uses', 'Uses')}",
        "",
        "## Bias",
        "",
        f"{_who_labelled(tables)} The documents come from {_plural(f['outlets'], 'outlet')} and tell "
        f"{_plural(f['stories'], 'story', 'stories')}, with claims on {_plural(f['topics'], 'topic')} (most often "
        f"{f['top_topics'] or 'none'}); documents by language: {f['languages'] or 'none'}. The documents and "
        f"the evidence are what an archive of stored pages held. {see('uses', 'Biases')}",
        "",
        "## Limitations",
        "",
        f"{_agreement_line(tables)} {f['excerpts']} of "
        f"{_plural(f['documents'], 'document')} are stored as excerpts (only the annotated paragraphs). Evidence was read "
        f"in stored copies of pages, not live ones; {f['no_evidence_date']} of {_plural(f['evidence'], 'evidence item')} "
        f"have no date because the copy showed none. {see('12-known-limitations', 'Known limitations')}",
        "",
        *_agreement_section(tables, datasheet=datasheet),
        "## Personal and sensitive information",
        "",
        f"The texts are published news reporting. {f['persons']} of {_plural(f['speakers'], 'speaker')} are persons, "
        f"named in that reporting ({f['wikidata']} speakers carry a verified Wikidata id); "
        f"{_plural(f['anonymous'], 'anonymous group')} are kept as the texts describe them, never identified. No "
        f"confidential data was collected. {see('composition', 'Composition')}",
        "",
    ]


def render_card(schema: Schema, counts: dict[str, int], *, version: str | None = None, date: str | None = None,
                tables: dict | None = None, url: str | None = None, datasheet: bool = False) -> str:
    """The card. ``date`` is the release date; without it the card describes an unreleased build.
    ``tables`` (name -> pyarrow.Table) gives the languages and the figures of the sections on use and of
    the stories; ``url`` is the dataset's page (a release's); ``datasheet``: DATASHEET.md is beside the card."""
    if version is None:
        version = project_version()
    languages = None
    if tables is not None and "documents" in tables:
        languages = sorted({v for v in tables["documents"].column("language").to_pylist() if v})
    header = yaml.safe_dump(card_metadata(schema, counts, languages), sort_keys=False, allow_unicode=True, width=1000)
    status = f"Release {version} of {date}." if date else f"An unreleased build (version {version} in the making)."
    repo_id = hub_repo_id(url)
    lines = [
        "---",
        header.rstrip("\n"),
        "---",
        "",
        f"# {PRETTY_NAME} {version}",
        "",
        SUMMARY,
        "",
        status + (f" Dataset page: {url}" if url else ""),
        "",
    ]
    if tables is not None:
        lines += use_sections(tables, datasheet=datasheet)
    lines += [
        "## Licence",
        "",
        RIGHTS + f" The terms are in [{LICENSE_FILE}]({LICENSE_FILE}), beside this card.",
        "",
        "## Tables",
        "",
        "| table | one row is | rows | primary key |",
        "|---|---|---:|---|",
    ]
    for name in schema.table_names:
        t = schema[name]
        lines.append(f"| {name} | {t.row_unit} | {counts[name]} | ({', '.join(t.primary_key)}) |")
    lines += ["", "Foreign keys:", ""]
    for name in schema.table_names:
        for fk in schema[name].foreign_keys:
            lines.append(f"- {name}.({', '.join(fk.fields)}) → {fk.table}.({', '.join(fk.ref_fields)})")
    if tables is not None and all(n in tables for n in ("stories", "claim_links", "link_mutations")) and tables["stories"].num_rows:
        lines += ["", "## Stories", "",
                  "A story is one report as it travels across outlets: each claim that renders a claim of an earlier "
                  "document is linked to it (`claim_links`), with the relation, the hop's fidelity and the kinds of "
                  "change found (`link_mutations`). Per document:", "", story_table(tables)]
    where = f'"{repo_id}"' if repo_id else '"path/to/this/folder"'
    lines += [
        "",
        "## Loading",
        "",
        "Every table is a configuration with one `train` split; `claims` is the default. No loading script:",
        "the configurations above point at the Parquet files."
        + (f" On the Hub this dataset is `{repo_id}`; a local copy of this folder loads the same way." if repo_id else ""),
        "",
        "```python",
        "import datasets",
        f'claims = datasets.load_dataset({where}, "claims", split="train")',
        "",
        "import pandas as pd",
        'claims = pd.read_parquet("path/to/this/folder/data/claims")',
        "```",
        "",
        "DuckDB, Polars or Spark read `data/<table>/*.parquet` directly. "
        + ("`croissant.json` describes the same files as Croissant record sets with keys, foreign keys and the label "
           "sets as enumerations (`labels/*.csv`)." if datasheet else "A release adds `croissant.json`, the same files as "
           "Croissant record sets."),
        "",
        "The `claimbank` Python package adds documented dtypes (label columns as pandas categoricals, not ordered, whose "
        "categories are the label set in order, so that `.cat.codes` are the class ids), `claimbank.load_all()` and a "
        "flat view of the claims with their verdicts. It is not on PyPI: install it from a clone of the repository "
        "(`pip install .`), or build a wheel there (`pip wheel . --no-deps`, which carries the current release) and "
        f"install that file (`pip install claimbank-{version}-py3-none-any.whl`).",
        "",
        "```python",
        "import claimbank",
        f'claims = claimbank.load("claims"{", version=" + repr(version) if date else ""})',
        "```",
        "",
        "## Label sets",
        "",
        "Label columns are class labels: a label's id is its position in its set.",
        "",
    ]
    for ls in schema.label_sets.values():
        lines += [f"**{ls.name}** — {ls.description}", ""]
        for i, label in enumerate(ls.labels):
            lines.append(f"{i}. `{label.name}` — {label.description}" + (f" Example: {label.example}" if label.example else ""))
        lines.append("")
    lines += [
        "## Citation",
        "",
        "```bibtex",
        bibtex(version, date),
        "```",
        "",
    ]
    return "\n".join(lines)


def write_card(folder: Path, schema: Schema, tables: dict, *, version: str | None = None, date: str | None = None,
               url: str | None = None, datasheet: bool = False) -> None:
    """Write README.md for ``tables`` (name -> pyarrow.Table), and the LICENSE file it links."""
    counts = {n: t.num_rows for n, t in tables.items()}
    text = render_card(schema, counts, version=version, date=date, tables=tables, url=url, datasheet=datasheet)
    (Path(folder) / "README.md").write_text(text, encoding="utf-8")
    (Path(folder) / LICENSE_FILE).write_text(LICENSE_TEXT, encoding="utf-8")
