"""The derived columns: how the validator re-derives, from the tables, what the build derived.

One definition, in SQL, for every engine: the build's checks of its in-memory tables and
``claimbank validate`` run it on DuckDB, ``--engine spark`` on Spark SQL. Which columns each
table gets, with their types and meanings, is declared in ``schema/semantic.json``
("derived"); this module says how each is computed. The expectations of ``schema/suites/``
compare them with the stored columns (``claims.quote == _text_slice``, ``sourcing.role``
against ``_role_expected``, ...).

Every table is a view ``claimbank_<table>`` with all the columns of its schema (NULL where a
column is missing or of another type: the derived columns of a damaged table are still
defined) and ``_row``, a number that orders the rows as the files hold them. On top of these
come a few look-up relations (``lookups``), made once per validation, and per table one
query, ``frame_sql``: the table's own columns, then its derived columns in the declared order.
Where a key is duplicated, a look-up takes its last row, as a dictionary built over the rows
would.

The SQL is the common part of DuckDB's and Spark's dialects; the few functions that differ
are the methods of :class:`Dialect`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

import pyarrow as pa

from .curation import ANNOTATION_DIMENSIONS, ANNOTATION_LABELS
from .schema import Schema, Table
from .suites import fk_columns

PREFIX = "claimbank_"
NO_DOCUMENT = "<no such document>"
NO_OFFSETS = "<offsets missing or not integers>"
OUTSIDE = "<span outside the text>"
NOT_ASCII = "[^\\x00-\\x7F]"  # a regular expression: one character outside ASCII
SHADOW = "\x7f"  # what stands for a character outside ASCII in a text's shadow (see shadow())
SQL_TYPE = {"string": "STRING", "integer": "INT", "boolean": "BOOLEAN", "date": "DATE", "int64": "BIGINT", "bool": "BOOLEAN"}


@dataclass(frozen=True)
class Dialect:
    """The functions whose spelling differs between the engines."""

    name: str

    def sql_type(self, field_type: str) -> str:
        """The SQL type of a schema field type (or of a derived column's declared type)."""
        if field_type == "array":
            return "VARCHAR[]" if self.name == "duckdb" else "ARRAY<STRING>"
        return SQL_TYPE[field_type]

    def sha256_hex(self, x: str) -> str:
        return f"sha256({x})" if self.name == "duckdb" else f"sha2({x}, 256)"

    def list_has_null(self, x: str) -> str:
        return f"(list_count({x}) <> len({x}))" if self.name == "duckdb" else f"exists({x}, v -> v IS NULL)"

    def regex_search(self, x: str, pattern: str) -> str:
        """True where ``pattern`` matches somewhere in ``x`` (RE2 on DuckDB, java.util.regex on Spark)."""
        if self.name == "duckdb":
            return f"regexp_matches({x}, {self.literal(pattern)})"
        return f"({x} RLIKE {self.literal(pattern)})"

    def regex_match_implies_python(self, pattern: str) -> bool:
        """Whether a value this engine's regex matches is one Python's ``re`` matches too, for a pattern of the
        plain kind ``claimbank.scan`` translates. On RE2 it is, unless the pattern holds a negated class: RE2's
        ``\\d``, ``\\w``, ``\\s`` are ASCII and Python's Unicode (more characters), RE2's ``$`` is the end of the
        text and Python's also before a final newline, ``.`` excludes the newline in both. java.util.regex's
        ``$`` also matches before a final U+2028, which Python's does not: never on Spark."""
        if self.name != "duckdb":
            return False
        return not any(neg in pattern for neg in ("\\D", "\\W", "\\S", "[^"))

    def literal(self, v) -> str:
        """A SQL literal for a string, a whole number, a boolean or None.

        DuckDB doubles a quote and takes backslashes as they are; Spark escapes both with a backslash.
        """
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            return "TRUE" if v else "FALSE"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, str):
            if self.name == "duckdb":
                return "'" + v.replace("'", "''") + "'"
            return "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'"
        raise TypeError(f"no SQL literal for {v!r}")

    def replace_all(self, x: str, pattern: str, replacement: str) -> str:
        """Every match of regular expression ``pattern`` in ``x`` replaced by the literal ``replacement``."""
        if self.name == "duckdb":
            return f"regexp_replace({x}, {self.literal(pattern)}, {self.literal(replacement)}, 'g')"
        return f"regexp_replace({x}, {self.literal(pattern)}, {self.literal(replacement)})"

    def struct(self, **fields: str) -> str:
        """A struct of the named SQL expressions; structs compare field by field, in this order."""
        if self.name == "duckdb":
            return "{" + ", ".join(f"'{k}': {v}" for k, v in fields.items()) + "}"
        return "named_struct(" + ", ".join(f"'{k}', {v}" for k, v in fields.items()) + ")"

    def byte_length(self, x: str) -> str:
        """The length of string ``x`` in bytes of UTF-8 (``length`` counts code points)."""
        return f"strlen({x})" if self.name == "duckdb" else f"octet_length({x})"

    def contains(self, x: str, part: str) -> str:
        return f"contains({x}, {part})" if self.name == "duckdb" else f"(instr({x}, {part}) > 0)"

    def list_size(self, x: str) -> str:
        return f"len({x})" if self.name == "duckdb" else f"size({x})"

    def list_within(self, x: str, values: list[str]) -> str:
        """Every element of list ``x`` is one of ``values`` (true for an empty list)."""
        allowed = ", ".join(self.literal(v) for v in values)
        if self.name == "duckdb":
            return f"list_has_all([{allowed}], {x})"
        return f"(size(array_except({x}, array({allowed}))) = 0)"

    def count_distinct(self, cols: list[str]) -> str:
        """Distinct tuples among the rows where none of ``cols`` is null."""
        if len(cols) == 1:
            return f"count(DISTINCT {cols[0]})"
        if self.name == "duckdb":
            return f"count(DISTINCT CASE WHEN {' AND '.join(f'{c} IS NOT NULL' for c in cols)} THEN ({', '.join(cols)}) END)"
        return f"count(DISTINCT {', '.join(cols)})"


DUCKDB = Dialect("duckdb")
SPARK = Dialect("spark")




def view(table: str) -> str:
    return PREFIX + table


def declared(schema: Schema) -> dict[str, dict[str, dict]]:
    """schema/semantic.json "derived": table -> column -> {"type", "description"}, in the declared order."""
    raw = json.loads((schema.root / "semantic.json").read_text(encoding="utf-8"))["derived"]
    return {name: dict(raw.get(name, {})) for name in schema.table_names}


# -- the normalised views -----------------------------------------------------------------------

def presence(table: Table, arrow_schema) -> dict[str, str]:
    """Per schema column of ``table``, how the stored column enters the view: "ok" (the schema's Arrow type),
    "cast" (another type of the same kind: integers, strings, lists, dates); absent where it is missing or
    holds something else (the view has NULL there, as the checks of a column of the wrong type expect)."""
    def family(t):
        for name, test in (("int", pa.types.is_integer), ("str", lambda x: pa.types.is_string(x) or pa.types.is_large_string(x)
                                                          or pa.types.is_string_view(x)),
                           ("list", lambda x: pa.types.is_list(x) or pa.types.is_large_list(x)),
                           ("date", pa.types.is_date), ("bool", pa.types.is_boolean)):
            if test(t):
                return name
        return None

    out = {}
    for f in table.fields:
        i = arrow_schema.get_field_index(f.name)
        if i < 0:
            continue
        stored = arrow_schema.field(i).type
        if stored == f.arrow_type:
            out[f.name] = "ok"
        elif family(stored) is not None and family(stored) == family(f.arrow_type):
            out[f.name] = "cast"
    return out


def normalised_select(table: Table, present: dict[str, str], source: str, d: Dialect) -> str:
    """SELECT every schema column of ``table`` from ``source``: as stored where ``present`` (column -> "ok" or
    "cast") says so, else a typed NULL; then ``_row``."""
    cols = []
    for f in table.fields:
        kind = present.get(f.name)
        if kind == "ok":
            cols.append(f"{f.name}")
        elif kind == "cast":
            cols.append(f"CAST({f.name} AS {d.sql_type(f.type)}) AS {f.name}")
        else:
            cols.append(f"CAST(NULL AS {d.sql_type(f.type)}) AS {f.name}")
    return f"SELECT {', '.join(cols)}, _row FROM {source}"


# -- the look-ups -----------------------------------------------------------------------------

def _last(table: str, key: str, columns: list[str], where: str = "") -> str:
    """The last row (by _row) of each ``key`` value of ``table``, with ``columns``."""
    cond = f"AND {where}" if where else ""
    return (f"SELECT {', '.join(f'x.{c}' for c in [key] + columns)} FROM {view(table)} x "
            f"JOIN (SELECT max(_row) AS r FROM {view(table)} WHERE {key} IS NOT NULL {cond} GROUP BY {key}) m ON m.r = x._row")


def keys_lookup(table: str, column: str) -> str:
    return f"{PREFIX}lk_keys_{table}_{column}"


def shadow(d: Dialect, text: str) -> str:
    """``text`` with every character outside ASCII replaced by SHADOW: the same length in code points, and
    ASCII throughout, so that an engine slices it without walking the text from its start."""
    replaced = d.replace_all(text, NOT_ASCII, SHADOW)
    return f"CASE WHEN {d.byte_length(text)} = length({text}) THEN {text} ELSE {replaced} END"


def lookups(schema: Schema, rows: dict[str, int], d: Dialect) -> list[tuple[str, str]]:
    """(name, query) of the look-up relations, in the order they are made (a query may use an earlier one).

    ``rows``: the row count of each table (the number of pointer-doubling steps of the cycle
    search grows with the log of the number of documents).
    """
    out = [
        # documents.text, its length in code points and its ASCII shadow (``shadow``) by doc_id, from the rows
        # that have a text
        (f"{PREFIX}lk_texts", f"SELECT doc_id, text, length(text) AS n, {shadow(d, 'text')} AS shadow "
                              f"FROM ({_last('documents', 'doc_id', ['text'], 'text IS NOT NULL')}) x"),
        # each document's row by doc_id
        (f"{PREFIX}lk_docs", _last("documents", "doc_id", ["story_id", "derived_from", "published_date",
                                                             "published_date_precision"])),
        (f"{PREFIX}lk_stories", _last("stories", "story_id", ["origin_doc_id"])),
        # the document of each claim
        (f"{PREFIX}lk_claim_doc", _last("claims", "claim_id", ["doc_id"])),
        (f"{PREFIX}lk_verdict_count", f"SELECT claim_id, count(*) AS n FROM {view('verdicts')} "
                                      f"WHERE claim_id IS NOT NULL GROUP BY claim_id"),
        # per chain: its length, its highest position and the source there (the first such row where positions repeat),
        # and whether its positions are 0 to n-1, each once (``ok``: then each link's rank in the chain is its position);
        # from the chain's positions, each with its count and the source of its first row
        (f"{PREFIX}lk_chains", f"SELECT claim_id, sum(c) AS n, max(position) AS p, "
                               f"(count(position) = sum(c) AND min(position) = 0 AND max(position) = sum(c) - 1) AS ok, "
                               f"max(CASE WHEN position IS NOT NULL THEN {d.struct(p='position', s='s')} END).s AS source_id "
                               f"FROM (SELECT claim_id, position, count(*) AS c, max({d.struct(r='-_row', s='source_id')}).s AS s "
                               f"FROM {view('sourcing')} WHERE claim_id IS NOT NULL GROUP BY claim_id, position) x GROUP BY claim_id"),
        # the rank of each link in its chain, in position order, for the chains that are not ``ok`` (the others'
        # ranks are their positions): a window sorts what it is given, so it is given only these
        (f"{PREFIX}lk_ranks", f"SELECT s._row, row_number() OVER (PARTITION BY s.claim_id ORDER BY coalesce(s.position, -1), "
                              f"s._row) - 1 AS r FROM {view('sourcing')} s LEFT JOIN {PREFIX}lk_chains c "
                              f"ON c.claim_id = s.claim_id WHERE NOT coalesce(c.ok, FALSE)"),
        # whether a row of the claim says it is checkworthy; per claim, its evidence items that support or refute it
        (f"{PREFIX}lk_checkworthy", f"SELECT claim_id, max(CASE WHEN checkworthy IS DISTINCT FROM FALSE THEN 1 ELSE 0 END) AS cw "
                                    f"FROM {view('claims')} WHERE claim_id IS NOT NULL GROUP BY claim_id"),
        (f"{PREFIX}lk_decisive", f"SELECT claim_id, count(*) AS n FROM {view('evidence')} "
                                 f"WHERE claim_id IS NOT NULL AND relation IN ('supports', 'refutes') GROUP BY claim_id"),
        # per claim, round and dimension of the annotations: how many different labels the annotators gave,
        # and whether an adjudicated label with a rationale says which one won
        (f"{PREFIX}lk_annotated", f"SELECT claim_id, round, dimension, "
                                  f"greatest(count(DISTINCT CASE WHEN annotator_id <> 'adjudication' THEN label END), "
                                  f"count(DISTINCT CASE WHEN annotator_id <> 'adjudication' THEN mutations END)) AS labels, "
                                  f"max(CASE WHEN annotator_id = 'adjudication' AND length(trim(rationale)) > 0 THEN 1 ELSE 0 END) AS adjudicated "
                                  f"FROM {view('annotations')} WHERE claim_id IS NOT NULL GROUP BY claim_id, round, dimension"),
        # derived_from as a function: a^1
        (f"{PREFIX}lk_parent_0", f"SELECT doc_id AS d, derived_from AS a FROM {PREFIX}lk_docs "
                                 f"WHERE derived_from IS NOT NULL"),
    ]
    # a^(2^k) by pointer doubling; after 2^k steps with 2^k > the number of documents, a walk that has
    # not ended is on a cycle, and every document on a cycle is reached so: they are the cycle members
    steps = max(1, math.ceil(math.log2(rows.get("documents", 0) + 2)))
    for k in range(1, steps + 1):
        prev = f"{PREFIX}lk_parent_{k - 1}"
        out.append((f"{PREFIX}lk_parent_{k}", f"SELECT x.d, y.a FROM {prev} x JOIN {prev} y ON y.d = x.a"))
    out.append((f"{PREFIX}lk_in_cycle", f"SELECT DISTINCT a AS doc_id FROM {PREFIX}lk_parent_{steps}"))
    # the values of every referenced column, once (the foreign keys are anti-joins against them)
    refs = sorted({(ref_table, ref) for t in schema.table_names for _, _, ref_table, ref in fk_columns(schema[t])})
    for ref_table, ref in refs:
        out.append((keys_lookup(ref_table, ref), f"SELECT DISTINCT {ref} AS k FROM {view(ref_table)} WHERE {ref} IS NOT NULL"))
    return out


# -- the derived columns of each table -------------------------------------------------------------

def _slice(d: Dialect, tx: str, s: str, e: str, stored: str, *, optional: bool = False) -> str:
    """text[s:e] in code points, from the look-up ``tx`` of the text; a marker that names the problem where
    there is no such slice. With ``optional``, rows without either offset give NULL (a sourcing link without a cue).

    ``stored`` is the column the slice is compared with (the quote, the cue). Where it is ASCII, free of
    SHADOW, and equal to the slice of the text's shadow, the slice of the text is ``stored`` itself: a
    character outside ASCII in that stretch of the text would be SHADOW in the shadow, which ``stored``
    does not hold. Every other row slices the text, which engines do by walking it from its start.
    """
    text, length = f"{tx}.text", f"{tx}.n"
    fast = (f"{d.byte_length(stored)} = length({stored}) AND NOT {d.contains(stored, d.literal(SHADOW))} "
            f"AND substring({tx}.shadow, {s} + 1, {e} - {s}) = {stored}")
    body = (f"CASE WHEN {text} IS NULL THEN {d.literal(NO_DOCUMENT)} "
            f"WHEN {s} IS NULL OR {e} IS NULL THEN {d.literal(NO_OFFSETS)} "
            f"WHEN NOT ({s} >= 0 AND {s} <= {e} AND {e} <= {length}) THEN {d.literal(OUTSIDE)} "
            f"WHEN {fast} THEN {stored} "
            f"ELSE substring({text}, {s} + 1, {e} - {s}) END")
    if optional:
        return f"CASE WHEN {s} IS NULL AND {e} IS NULL THEN NULL ELSE {body} END"
    return body


def _precision_rank(p: str) -> str:
    return f"CASE {p} WHEN 'year' THEN 1 WHEN 'month' THEN 2 ELSE 3 END"


def _not_later(a: str, ap: str, b: str, bp: str) -> str:
    """Date ``a`` is not later than ``b`` at the coarser of their precisions; true where either is unknown."""
    return (f"CASE WHEN {a} IS NULL OR {b} IS NULL THEN TRUE "
            f"ELSE CASE least({_precision_rank(ap)}, {_precision_rank(bp)}) "
            f"WHEN 1 THEN year({a}) <= year({b}) "
            f"WHEN 2 THEN year({a}) * 100 + month({a}) <= year({b}) * 100 + month({b}) "
            f"ELSE {a} <= {b} END END")


def _label_fits_dimension(d: Dialect, schema: Schema) -> str:
    """An annotation's label belongs to its dimension's set; mutations name labels of the mutation set, in a null label."""
    sets = {dim: ANNOTATION_LABELS[dim](schema) for dim in ANNOTATION_DIMENSIONS if dim != "mutations"}
    whens = " ".join(f"WHEN {d.literal(dim)} THEN coalesce(t.label IN ({', '.join(d.literal(v) for v in names)}), FALSE)"
                     f" AND coalesce({d.list_size('t.mutations')}, 0) <= 0" for dim, names in sets.items())
    mutations = d.list_within("t.mutations", schema.label_sets["mutation"].names)
    return (f"CASE t.dimension {whens} WHEN 'mutations' THEN t.label IS NULL AND t.mutations IS NOT NULL "
            f"AND coalesce({mutations}, FALSE) ELSE FALSE END")


def _definitions(d: Dialect, schema: Schema) -> dict[str, tuple[dict[str, str], list[str]]]:
    """Per table: (derived column -> SQL expression over ``t`` and the joined look-ups, the joins)."""
    lk = PREFIX + "lk_"
    return {
        "documents": ({
            "_text_sha256": d.sha256_hex("t.text"),
            "_text_length": "length(t.text)",
            "_derivation_acyclic": "(t.doc_id IS NULL OR cyc.doc_id IS NULL)",
            "_derived_story": "par.story_id",
        }, [f"LEFT JOIN {lk}in_cycle cyc ON cyc.doc_id = t.doc_id",
            f"LEFT JOIN {lk}docs par ON par.doc_id = t.derived_from"]),
        "claims": ({
            "_text_slice": _slice(d, "tx", "t.span_start", "t.span_end", "t.quote"),
            "_doc_length": "tx.n",
            "_verdict_count": "coalesce(vc.n, 0)",
            "_sourcing_count": "coalesce(ch.n, 0)",
            "_chain_origin": "ch.source_id",
        }, [f"LEFT JOIN {lk}texts tx ON tx.doc_id = t.doc_id",
            f"LEFT JOIN {lk}verdict_count vc ON vc.claim_id = t.claim_id",
            f"LEFT JOIN {lk}chains ch ON ch.claim_id = t.claim_id"]),
        "sourcing": ({
            "_position_rank": "CASE WHEN coalesce(ch.ok, FALSE) THEN t.position ELSE rk.r END",
            "_cue_slice": _slice(d, "tx", "t.cue_start", "t.cue_end", "t.cue", optional=True),
            "_doc_length": "tx.n",
            "_role_expected": ("coalesce(t.role = CASE WHEN t.position = 0 THEN 'author' "
                               "WHEN t.position IS NOT DISTINCT FROM ch.p THEN 'origin' ELSE 'relay' END, FALSE)"),
        }, [f"LEFT JOIN {lk}chains ch ON ch.claim_id = t.claim_id",
            f"LEFT JOIN {lk}ranks rk ON rk._row = t._row",
            f"LEFT JOIN {lk}claim_doc cd ON cd.claim_id = t.claim_id",
            f"LEFT JOIN {lk}texts tx ON tx.doc_id = cd.doc_id"]),
        "stances": ({
            "_text_slice": _slice(d, "tx", "t.span_start", "t.span_end", "t.quote"),
            "_doc_length": "tx.n",
        }, [f"LEFT JOIN {lk}texts tx ON tx.doc_id = t.doc_id"]),
        "verdicts": ({
            # a veracity outside its label set is reported by the label-set check alone
            "_fits_checkworthy": (f"coalesce(cw.cw IS NULL OR cw.cw = 1 OR t.veracity = 'not_checkable' OR t.veracity NOT IN "
                                  f"({', '.join(d.literal(v) for v in schema.label_sets['veracity'].names)}), TRUE)"),
            "_no_decisive_evidence": "(t.veracity IS DISTINCT FROM 'not_checkable' OR de.n IS NULL)",
        }, [f"LEFT JOIN {lk}checkworthy cw ON cw.claim_id = t.claim_id",
            f"LEFT JOIN {lk}decisive de ON de.claim_id = t.claim_id"]),
        "annotations": ({
            "_adjudicated": "(an.labels IS NULL OR an.labels <= 1 OR an.adjudicated = 1)",
            "_label_fits_dimension": _label_fits_dimension(d, schema),
        }, [f"LEFT JOIN {lk}annotated an ON an.claim_id = t.claim_id AND an.round = t.round AND an.dimension = t.dimension"]),
        "stories": ({
            "_origin_story": "od.story_id",
        }, [f"LEFT JOIN {lk}docs od ON od.doc_id = t.origin_doc_id"]),
        "claim_links": ({
            "_crosses_documents": "(t.doc_id IS NULL OR t.source_doc_id IS NULL OR t.doc_id <> t.source_doc_id)",
            "_source_in_lineage": ("(t.source_doc_id IS NOT NULL AND (coalesce(t.source_doc_id = dd.derived_from, FALSE) "
                                   "OR coalesce(t.source_doc_id = so.origin_doc_id, FALSE)))"),
            "_source_not_later": _not_later("sd.published_date", "sd.published_date_precision",
                                            "dd.published_date", "dd.published_date_precision"),
        }, [f"LEFT JOIN {lk}docs dd ON dd.doc_id = t.doc_id",
            f"LEFT JOIN {lk}docs sd ON sd.doc_id = t.source_doc_id",
            f"LEFT JOIN {lk}stories so ON so.story_id = dd.story_id"]),
    }


def frame_sql(schema: Schema, name: str, dialect: Dialect) -> str:
    """The table ``name`` as validated: its schema columns and ``_row``, then every derived column of semantic.json
    (cast to its declared type), then one ``_fk_<column>_<table>`` per foreign key column: the value where the
    referenced column lacks it, NULL elsewhere."""
    table = schema[name]
    exprs, joins = _definitions(dialect, schema).get(name, ({}, []))
    wanted = declared(schema)[name]
    if list(wanted) != list(exprs):
        raise ValueError(f"schema/semantic.json declares the derived columns {list(wanted)} for {name}; "
                         f"src/claimbank/derived.py defines {list(exprs)}")
    select = [f"t.{f.name}" for f in table.fields] + ["t._row"]
    select += [f"CAST({exprs[c]} AS {SQL_TYPE[spec['type']]}) AS {c}" for c, spec in wanted.items()]
    joins = list(joins)
    for i, (derived_fk, col, ref_table, ref) in enumerate(fk_columns(table)):
        joins.append(f"LEFT JOIN {keys_lookup(ref_table, ref)} fk{i} ON fk{i}.k = t.{col}")
        select.append(f"CASE WHEN t.{col} IS NOT NULL AND fk{i}.k IS NULL THEN t.{col} END AS {derived_fk}")
    return f"SELECT {', '.join(select)} FROM {view(name)} t {' '.join(joins)}"


def arrow_types(schema: Schema, name: str) -> dict:
    """Derived column -> the Arrow type handed to Great Expectations."""
    kinds = {"string": pa.string(), "int64": pa.int64(), "bool": pa.bool_()}
    out = {c: kinds[spec["type"]] for c, spec in declared(schema)[name].items()}
    for derived_fk, col, _, _ in fk_columns(schema[name]):
        out[derived_fk] = schema[name].field(col).arrow_type
    return out


def built(schema: Schema) -> dict:
    """schema/semantic.json "built": the stored columns the build derives (with the derived columns that check
    them) and the tables it fills from other fields."""
    return json.loads((schema.root / "semantic.json").read_text(encoding="utf-8"))["built"]


def curator_list(schema: Schema) -> str:
    """The sentence of data/README.md ("Derived by the build, never written") that lists what the build derives."""
    b = built(schema)
    return ", ".join(e["text"] for e in b["columns"]) + "; " + ", ".join(e["text"] for e in b["tables"]) + "."
