"""``croissant.json``: the Croissant 1.0 description of a release folder.

One FileObject per Parquet file (with its SHA-256), one FileSet per table, one RecordSet per
table with its fields (types from the schema), its key (the primary key) and a
``references`` for every foreign key. Every label set is an enumeration RecordSet
(``sc:Enumeration``) read from ``labels/<label set>.csv`` (class id, label, description), and
each label column references it. The responsible-AI fields (``rai:``) are the answers of the
datasheet: the paragraphs of DATASHEET.md between ``<!-- rai:NAME -->`` and ``<!-- /rai -->``.

How references are written. A reference names the column of the files it points into
(``{"fileSet": ..., "extract": {"column": ...}}`` for a table, ``{"fileObject": ...}`` for a
label set), not the referenced record set's field: mlcroissant (1.0 and 1.1) caches the records
of a referenced record set inside a ``Dataset`` object, so that one object reading several record
sets whose fields carry ``{"field": ...}`` references returns wrong records (the column names
as records, or an error in a Join). Pointing at the files keeps every read independent, lets
every foreign key be a reference (a record set referring to itself or closing a cycle no longer
makes the operation graph cyclic), and ``tests/test_croissant.py`` reads every record set
through one ``Dataset``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from .card import PRETTY_NAME, RIGHTS, SUMMARY, TAGS, bibtex
from .files import sha256_file
from .folders import read_table, table_files
from .schema import Field, Schema

CONFORMS_TO = ["http://mlcommons.org/croissant/1.0", "http://mlcommons.org/croissant/RAI/1.0"]
LABELS_DIR = "labels"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"  # the annotations; the texts are their publishers' (RIGHTS)
_DATATYPE = {"string": "sc:Text", "integer": "sc:Integer", "boolean": "sc:Boolean", "date": "sc:Date"}
# RAI properties that hold one text; the others are lists of texts.
_RAI_SINGLE = {"dataCollection", "dataCollectionMissingData", "dataCollectionRawData", "dataImputationProtocol",
               "dataManipulationProtocol", "annotationsPerItem", "dataSocialImpact", "dataReleaseMaintenancePlan"}
_RAI_BLOCK = re.compile(r"<!-- rai:(\w+) -->\n(.*?)\n<!-- /rai -->", re.S)

CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def _plain(markdown: str) -> str:
    """Markdown to plain text: emphasis and link marks dropped, the lines of a paragraph joined."""
    paragraphs = [" ".join(line.strip() for line in p.splitlines()) for p in re.split(r"\n\s*\n", markdown.strip())]
    text = "\n\n".join(paragraphs)
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    return re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)


def _items(markdown: str) -> list[str]:
    """A bullet list gives one text per bullet; anything else one text."""
    body = markdown.strip()
    if body.startswith("- "):
        return [_plain(item) for item in re.split(r"(?m)^- ", body) if item.strip()]
    return [_plain(body)]


def rai_fields(datasheet: str) -> dict:
    """``rai:NAME`` -> the datasheet's answer(s), in the order they appear."""
    found: dict[str, list[str]] = {}
    for name, body in _RAI_BLOCK.findall(datasheet):
        found.setdefault(name, []).extend(_items(body))
    return {f"rai:{n}": ("\n\n".join(v) if n in _RAI_SINGLE else v) for n, v in found.items()}


def label_file(label_set: str) -> str:
    """Where a label set's CSV lives inside a release folder."""
    return f"{LABELS_DIR}/{label_set}.csv"


def label_csv(ls) -> str:
    """A label set as CSV: ``id`` (the class id, the label's position), ``label``, ``description``."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["id", "label", "description"])
    for i, label in enumerate(ls.labels):
        w.writerow([i, label.name, label.description])
    return buf.getvalue()


def write_label_files(folder: Path, schema: Schema) -> list[str]:
    """Write ``labels/<label set>.csv`` for every label set; return their paths relative to ``folder``."""
    out = []
    for ls in schema.label_sets.values():
        rel = label_file(ls.name)
        (Path(folder) / rel).parent.mkdir(parents=True, exist_ok=True)
        (Path(folder) / rel).write_text(label_csv(ls), encoding="utf-8", newline="\n")
        out.append(rel)
    return out


def _field(table: str, f: Field, source: dict, references: dict | None, stated: str | None = None) -> dict:
    description = f.description
    if stated is not None:
        description += f" Foreign key to {stated} as well (a Croissant field references one target)."
    out = {
        "@type": "cr:Field",
        "@id": f"{table}/{f.name}",
        "name": f.name,
        "description": description,
        "dataType": _DATATYPE[f.item_type or "string"] if f.type == "array" else _DATATYPE[f.type],
        "source": {**source, "extract": {"column": f.name}},
    }
    if f.type == "array":
        out["repeated"] = True
    if references is not None:
        out["references"] = references
    return out


def table_reference(table: str, column: str) -> dict:
    """A reference to the key column ``column`` of ``table``'s Parquet files."""
    return {"fileSet": {"@id": f"{table}-parquet"}, "extract": {"column": column}}


def label_reference(label_set: str) -> dict:
    """A reference to the ``label`` column of a label set's CSV file."""
    return {"fileObject": {"@id": label_file(label_set)}, "extract": {"column": "label"}}


def reference_plan(schema: Schema) -> tuple[dict[tuple[str, str], dict], dict[tuple[str, str], str]]:
    """The ``references`` of every field, and the foreign keys stated in a field's description instead.

    Every single-column foreign key is a reference to the referenced table's files; a label
    column references its label set. A field with two foreign keys (evidence.claim_id: claims and
    verdicts) references the first and states the second. Returns ({(table, field): reference},
    {(table, field): "table.column" stated}).
    """
    references: dict[tuple[str, str], dict] = {}
    stated: dict[tuple[str, str], str] = {}
    for name in schema.table_names:
        t = schema[name]
        for fk in t.foreign_keys:
            if len(fk.fields) != 1:
                continue
            key = (name, fk.fields[0])
            if key in references:
                stated.setdefault(key, f"{fk.table}.{fk.ref_fields[0]}")
            else:
                references[key] = table_reference(fk.table, fk.ref_fields[0])
        for f in t.fields:
            if f.label_set is not None and (name, f.name) not in references:
                references[(name, f.name)] = label_reference(f.label_set.name)
    return references, stated


def _file_object(folder: Path, rel: str, description: str, encoding: str) -> dict:
    p = folder / rel
    return {
        "@type": "cr:FileObject",
        "@id": rel,
        "name": rel,
        "description": description,
        "contentUrl": rel,
        "contentSize": f"{p.stat().st_size} B",
        "encodingFormat": encoding,
        "sha256": sha256_file(p),
    }


def croissant(schema: Schema, folder: Path, *, version: str, date: str, datasheet: str, url: str) -> dict:
    """The Croissant metadata of the release folder ``folder`` (its Parquet and label files must be in place).

    ``url``: the dataset's page (Croissant 1.0 requires one), as the release was given it.
    """
    folder = Path(folder)
    distribution = []
    record_sets = []
    references, stated = reference_plan(schema)
    for name in schema.table_names:
        t = schema[name]
        for p in table_files(folder, name):
            distribution.append(_file_object(folder, p.relative_to(folder).as_posix(),
                                             f"Parquet file of the {name} table.", "application/x-parquet"))
        distribution.append({
            "@type": "cr:FileSet",
            "@id": f"{name}-parquet",
            "name": f"{name}-parquet",
            "description": f"Every Parquet file of the {name} table.",
            "encodingFormat": "application/x-parquet",
            "includes": f"data/{name}/*.parquet",
        })
        source = {"fileSet": {"@id": f"{name}-parquet"}}
        key = [{"@id": f"{name}/{k}"} for k in t.primary_key]
        record_sets.append({
            "@type": "cr:RecordSet",
            "@id": name,
            "name": name,
            "description": f"{t.description} One record is {t.row_unit}.",
            "key": key[0] if len(key) == 1 else key,
            "field": [_field(name, f, source, references.get((name, f.name)), stated.get((name, f.name))) for f in t.fields],
        })
    for ls in schema.label_sets.values():
        rel = label_file(ls.name)
        distribution.append(_file_object(folder, rel, f"The label set {ls.name}: class id, label and description.", "text/csv"))
        source = {"fileObject": {"@id": rel}}
        columns = [("id", "sc:Integer", "The class id: the label's position in its set, as in the Hugging Face features."),
                   ("label", "sc:Text", "The label, as stored in the tables."),
                   ("description", "sc:Text", "What the label means.")]
        record_sets.append({
            "@type": "cr:RecordSet",
            "@id": ls.name,
            "name": ls.name,
            "dataType": "sc:Enumeration",
            "description": f"Label set: {ls.description}",
            "key": {"@id": f"{ls.name}/label"},
            "field": [{"@type": "cr:Field", "@id": f"{ls.name}/{c}", "name": c, "description": d, "dataType": dt,
                       "source": {**source, "extract": {"column": c}}} for c, dt, d in columns],
        })
    documents = read_table(folder, "documents", columns=["language"]) if table_files(folder, "documents") else None
    languages = sorted({v for v in documents.column("language").to_pylist() if v}) if documents is not None else []
    meta = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": PRETTY_NAME,
        "description": SUMMARY + " " + RIGHTS,
        "url": url,
        "version": version,
        "datePublished": date,
        "license": LICENSE_URL,
        "inLanguage": languages or ["en"],
        "keywords": TAGS,
        "creator": {"@type": "Organization", "name": "ClaimBank maintainers"},
        "citeAs": bibtex(version, date),
        "isLiveDataset": False,
    }
    meta.update(rai_fields(datasheet))
    meta["distribution"] = distribution
    meta["recordSet"] = record_sets
    return meta


def render(meta: dict) -> str:
    return json.dumps(meta, indent=2, ensure_ascii=False) + "\n"
