"""``croissant.json``: the Croissant 1.0 description of a release folder.

One FileObject per Parquet file (with its SHA-256), one FileSet per table, one RecordSet per
table with its fields (types from the schema), its key (the primary key) and a
``references`` for every foreign key. The responsible-AI fields (``rai:``) are the answers
of the datasheet: the paragraphs of DATASHEET.md between ``<!-- rai:NAME -->`` and
``<!-- /rai -->``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .card import PRETTY_NAME, RIGHTS, SUMMARY, TAGS, bibtex
from .files import sha256_file
from .folders import read_table, table_files
from .schema import Field, Schema

CONFORMS_TO = "http://mlcommons.org/croissant/1.0"
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


def _field(table: str, f: Field, source: dict, references: dict | None, self_ref: str | None = None) -> dict:
    description = f.description
    if self_ref is not None:
        description += f" Foreign key to {self_ref} (stated here, not as a Croissant reference, which would make the record sets depend on each other in a cycle)."
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


def reference_plan(schema: Schema) -> tuple[set[tuple[str, str]], dict[tuple[str, str], str]]:
    """Which foreign keys become Croissant ``references`` and which are stated in the field's description.

    Croissant readers build one operation graph over record sets: a reference from a record set to
    itself (speakers.affiliation_id, documents.derived_from) or one that closes a cycle
    (stories.origin_doc_id back to documents, which names its story) makes the graph cyclic, and the
    reader fails. Foreign keys are taken in schema order; each becomes a reference unless it would
    close a cycle, and is then described instead. A field with two foreign keys (evidence.claim_id:
    claims and verdicts) keeps the first. Returns ((table, field) referenced, {(table, field): target}
    described).
    """
    edges: dict[str, set[str]] = {}

    def reaches(a: str, b: str) -> bool:
        seen, todo = set(), [a]
        while todo:
            cur = todo.pop()
            if cur == b:
                return True
            if cur not in seen:
                seen.add(cur)
                todo.extend(edges.get(cur, ()))
        return False

    referenced: set[tuple[str, str]] = set()
    described: dict[tuple[str, str], str] = {}
    for name in schema.table_names:
        for fk in schema[name].foreign_keys:
            if len(fk.fields) != 1 or (name, fk.fields[0]) in referenced:
                continue
            if fk.table == name or reaches(fk.table, name):
                described.setdefault((name, fk.fields[0]), f"{fk.table}.{fk.ref_fields[0]}")
                continue
            edges.setdefault(name, set()).add(fk.table)
            referenced.add((name, fk.fields[0]))
    return referenced, described


def croissant(schema: Schema, folder: Path, *, version: str, date: str, datasheet: str) -> dict:
    """The Croissant metadata of the release folder ``folder`` (its Parquet files must be in place)."""
    folder = Path(folder)
    distribution = []
    record_sets = []
    referenced, described = reference_plan(schema)
    for name in schema.table_names:
        t = schema[name]
        for p in table_files(folder, name):
            rel = p.relative_to(folder).as_posix()
            distribution.append({
                "@type": "cr:FileObject",
                "@id": rel,
                "name": rel,
                "description": f"Parquet file of the {name} table.",
                "contentUrl": rel,
                "contentSize": f"{p.stat().st_size} B",
                "encodingFormat": "application/x-parquet",
                "sha256": sha256_file(p),
            })
        distribution.append({
            "@type": "cr:FileSet",
            "@id": f"{name}-parquet",
            "name": f"{name}-parquet",
            "description": f"Every Parquet file of the {name} table.",
            "encodingFormat": "application/x-parquet",
            "includes": f"data/{name}/*.parquet",
        })
        refs: dict[str, dict] = {}
        for fk in t.foreign_keys:
            if (name, fk.fields[0]) in referenced:
                refs.setdefault(fk.fields[0], {"field": {"@id": f"{fk.table}/{fk.ref_fields[0]}"}})
        self_refs = {field: target for (table, field), target in described.items() if table == name}
        source = {"fileSet": {"@id": f"{name}-parquet"}}
        key = [{"@id": f"{name}/{k}"} for k in t.primary_key]
        record_sets.append({
            "@type": "cr:RecordSet",
            "@id": name,
            "name": name,
            "description": f"{t.description} One record is {t.row_unit}.",
            "key": key[0] if len(key) == 1 else key,
            "field": [_field(name, f, source, refs.get(f.name), self_refs.get(f.name)) for f in t.fields],
        })
    documents = read_table(folder, "documents", columns=["language"]) if table_files(folder, "documents") else None
    languages = sorted({v for v in documents.column("language").to_pylist() if v}) if documents is not None else []
    meta = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": PRETTY_NAME,
        "description": SUMMARY + " " + RIGHTS,
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
