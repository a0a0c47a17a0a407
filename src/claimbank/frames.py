"""Every table at once, and the claims in one flat frame: pandas conveniences over ``claimbank.load``.

``load_all()`` gives every table of a build or release as DataFrames (as palmerpenguins and
seaborn give theirs); ``load_flat_claims()`` one row per claim with its verdict, the claimant's
name and the number of evidence items read for it. Each frame's ``attrs`` says what was loaded:
``source`` (``build``, ``release`` or ``folder``), ``version``, ``path`` and ``table``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .folders import table_files
from .load import describe_folder, read_arrow, resolve, to_pandas
from .schema import load_schema

VERDICT_COLUMNS = ["veracity", "confidence", "rationale", "fidelity", "fidelity_confidence", "fidelity_rationale",
                   "reviewed_date"]


def _folder(version: str | None, path: str | Path | None) -> Path:
    return Path(path) if path is not None else resolve(version)


def load_all(version: str | None = None, *, path: str | Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table of the current build, a release ``version`` or a folder ``path``, in schema order.

    A release older than a table (1.0.0 has no stories) gives the tables it has.
    """
    folder = _folder(version, path)
    about = describe_folder(folder)
    out = {}
    for name in load_schema().table_names:
        if not table_files(folder, name):
            continue
        df = to_pandas(name, read_arrow(name, folder))
        df.attrs = {**about, "table": name}
        out[name] = df
    if not out:
        raise FileNotFoundError(f"{folder} holds no table (data/<table>/*.parquet); pass a build or release folder")
    return out


def load_flat_claims(version: str | None = None, *, path: str | Path | None = None) -> pd.DataFrame:
    """One row per claim, in claim order: the claim's columns, ``claimant_name``, its verdict's columns and
    ``evidence_count`` (the evidence items read for it; 0 when none)."""
    folder = _folder(version, path)
    claims = to_pandas("claims", read_arrow("claims", folder))
    speakers = to_pandas("speakers", read_arrow("speakers", folder))[["speaker_id", "name"]]
    verdicts = to_pandas("verdicts", read_arrow("verdicts", folder))
    evidence = to_pandas("evidence", read_arrow("evidence", folder))
    names = dict(zip(speakers["speaker_id"], speakers["name"]))
    flat = claims.copy()
    flat["claimant_name"] = claims["claimant_id"].map(names).astype(pd.StringDtype())
    by_claim = verdicts.set_index("claim_id")
    for column in VERDICT_COLUMNS:
        flat[column] = claims["claim_id"].map(by_claim[column]).astype(verdicts[column].dtype)
    counts = evidence.groupby("claim_id", observed=True).size()
    flat["evidence_count"] = claims["claim_id"].map(counts).fillna(0).astype("Int32")
    flat.attrs = {**describe_folder(folder), "table": "flat_claims"}
    return flat
