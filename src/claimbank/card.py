"""The dataset card (README.md) of a build or release folder.

Its YAML header is what Hugging Face ``datasets`` reads: one config per table (claims is
the default), each with its Parquet files as the ``train`` split, and ``dataset_info``
features generated from the schema, label columns as ``class_label`` so that a label's id
is its position in the label set. Every figure in it is computed from the tables.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from . import __version__
from .schema import Schema

DEFAULT_CONFIG = "claims"


def card_metadata(schema: Schema, counts: dict[str, int], nbytes: dict[str, int]) -> dict:
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
    return {
        "pretty_name": "ClaimBank",
        "language": ["en"],
        "license": "cc-by-4.0",
        "configs": configs,
        "dataset_info": infos,
    }


def render_card(schema: Schema, counts: dict[str, int], nbytes: dict[str, int]) -> str:
    header = yaml.safe_dump(card_metadata(schema, counts, nbytes), sort_keys=False, allow_unicode=True, width=1000)
    lines = [
        "---",
        header.rstrip("\n"),
        "---",
        "",
        f"# ClaimBank {__version__}",
        "",
        "Claims, the speakers who make or relay them, each actor's stance toward each claim, the sourcing",
        "chain behind each claim, and verdicts with evidence, compiled from curated news articles.",
        "",
        "## Tables",
        "",
        "| table | one row is | rows |",
        "|---|---|---:|",
    ]
    for name in schema.table_names:
        lines.append(f"| {name} | {schema[name].row_unit} | {counts[name]} |")
    lines += [
        "",
        "## Loading",
        "",
        "```python",
        "import datasets",
        'claims = datasets.load_dataset("path/to/this/folder", "claims", split="train")',
        "",
        "import pandas as pd",
        'claims = pd.read_parquet("path/to/this/folder/data/claims")',
        "```",
        "",
        "Label columns are class labels: a label's id is its position in the label set below.",
        "",
        "## Label sets",
        "",
    ]
    for ls in schema.label_sets.values():
        lines.append(f"- **{ls.name}**: " + ", ".join(f"{i} `{n}`" for i, n in enumerate(ls.names)))
    lines.append("")
    return "\n".join(lines)


def write_card(folder: Path, schema: Schema, tables: dict) -> None:
    """Write README.md for ``tables`` (name -> pyarrow.Table); num_bytes is each table's Arrow size."""
    counts = {n: t.num_rows for n, t in tables.items()}
    nbytes = {n: t.nbytes for n, t in tables.items()}
    (Path(folder) / "README.md").write_text(render_card(schema, counts, nbytes), encoding="utf-8")
