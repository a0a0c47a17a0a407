"""The dataset card (README.md) of a build or release folder.

Its YAML header is what Hugging Face ``datasets`` and the Hub read: licence, language,
pretty name, size category, task categories, one config per table (claims is the default),
each with its Parquet files as the ``train`` split, and ``dataset_info`` features generated
from the schema, label columns as ``class_label`` so that a label's id is its position in the
label set. The human part follows: summary, tables, label sets, loading, citation. Every
figure in it is computed from the tables.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .datasheet import story_table
from .paths import project_version
from .schema import Schema

DEFAULT_CONFIG = "claims"
PRETTY_NAME = "ClaimBank"
LICENSE = "other"
LICENSE_NAME = "cc-by-4.0-annotations"  # the annotations are CC BY 4.0; the quoted texts stay their publishers'
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


def card_metadata(schema: Schema, counts: dict[str, int], nbytes: dict[str, int], languages: list[str] | None = None) -> dict:
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
            "splits": [{"name": "train", "num_bytes": nbytes[name], "num_examples": counts[name]}],
        })
    languages = languages or ["en"]
    return {
        "pretty_name": PRETTY_NAME,
        "language": languages,
        "multilinguality": ["multilingual" if len(languages) > 1 else "monolingual"],
        "license": LICENSE,
        "license_name": LICENSE_NAME,
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


def render_card(schema: Schema, counts: dict[str, int], nbytes: dict[str, int], *, version: str | None = None,
                date: str | None = None, tables: dict | None = None) -> str:
    """The card. ``date`` is the release date; without it the card describes an unreleased build.
    ``tables`` (name -> pyarrow.Table) gives the languages and the figures of the stories."""
    if version is None:
        version = project_version()
    languages = None
    if tables is not None and "documents" in tables:
        languages = sorted({v for v in tables["documents"].column("language").to_pylist() if v})
    header = yaml.safe_dump(card_metadata(schema, counts, nbytes, languages), sort_keys=False, allow_unicode=True, width=1000)
    status = f"Release {version} of {date}." if date else f"An unreleased build (version {version} in the making)."
    lines = [
        "---",
        header.rstrip("\n"),
        "---",
        "",
        f"# {PRETTY_NAME} {version}",
        "",
        SUMMARY,
        "",
        status + " " + RIGHTS,
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
    lines += [
        "",
        "## Loading",
        "",
        "Every table is a configuration with one `train` split; `claims` is the default. No loading script:",
        "the configurations above point at the Parquet files.",
        "",
        "```python",
        "import datasets",
        'claims = datasets.load_dataset("path/to/this/folder", "claims", split="train")',
        "",
        "import pandas as pd",
        'claims = pd.read_parquet("path/to/this/folder/data/claims")',
        "",
        "import claimbank  # pip install claimbank: documented dtypes, label columns as ordered categoricals",
        f'claims = claimbank.load("claims"{", version=" + repr(version) if date else ""})',
        "```",
        "",
        "DuckDB, Polars or Spark read `data/<table>/*.parquet` directly. `croissant.json` describes the same",
        "files as Croissant record sets with keys and foreign keys.",
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


def write_card(folder: Path, schema: Schema, tables: dict, *, version: str | None = None, date: str | None = None) -> None:
    """Write README.md for ``tables`` (name -> pyarrow.Table); num_bytes is each table's Arrow size."""
    counts = {n: t.num_rows for n, t in tables.items()}
    nbytes = {n: t.nbytes for n, t in tables.items()}
    text = render_card(schema, counts, nbytes, version=version, date=date, tables=tables)
    (Path(folder) / "README.md").write_text(text, encoding="utf-8")
