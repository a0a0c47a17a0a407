"""Safe YAML reading with line numbers, on the YAML 1.2 core schema.

The file is only *parsed* into events; no Python object is ever constructed from a tag, and
the values are assembled here, without recursion (nesting deeper than ``MAX_DEPTH`` is
reported, never a RecursionError). Plain scalars follow the YAML 1.2 core schema, so nothing
is read as something it does not look like:

- booleans are ``true`` and ``false`` only (``True``/``TRUE``, ``False``/``FALSE``): ``yes``,
  ``no``, ``on``, ``off``, ``y`` and ``n`` are text;
- integers are decimal (``12``, ``-3``, ``0012`` is 12): ``0x1F``, ``0o17``, ``0b11`` and
  sexagesimal ``1:30`` are text;
- decimal numbers are ``1.5``, ``.5``, ``1e3``: ``.inf`` and ``.nan`` are text;
- null is ``null``, ``~`` or nothing; dates stay text and are checked by the curation reader.

Explicit tags are refused (``!!str`` aside), and so are anchors, aliases, duplicate keys,
keys that are not text and more than one document in a file. Every mapping and list
remembers the line of each entry, and the source text of each plain scalar that is not text
(``yes`` is text; ``0012`` is the number 12, written ``0012``), so that a hint can quote the
value as the curator wrote it.
"""

from __future__ import annotations

import re

import yaml

from .problems import Problem

try:  # the C parser when available: same events, faster
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader

MAX_DEPTH = 32  # the curation needs 6 levels; libyaml itself stops at 1000
MAX_DIGITS = 30  # a longer plain number is refused rather than converted

_STD = "tag:yaml.org,2002:"
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_MAYBE_NOT_TEXT = frozenset("0123456789+-.~nNtTfF")  # first characters of the plain scalars that are not text


class _Loader(_Base):
    """The safe parser; only its events are used (no resolver, no constructor)."""


class YMap(dict):
    """A mapping that knows the line of each key (1-based) and how its non-text values were written."""

    line: int = 0
    lines: dict
    src: dict | None = None  # key -> source text of a plain scalar value that is not text

    def source(self, key) -> str | None:
        return self.src.get(key) if self.src else None


class YList(list):
    """A list that knows the line of each item (1-based) and how its non-text items were written."""

    line: int = 0
    lines: list
    src: dict | None = None  # index -> source text of a plain scalar item that is not text

    def source(self, index) -> str | None:
        return self.src.get(index) if self.src else None


class YamlError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def quoted(src: str) -> str:
    """``src`` as a double-quoted YAML scalar: what a hint tells the curator to write."""
    return '"' + src.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _TooLong(ValueError):
    pass


def plain(v: str):
    """A plain (unquoted, untagged) scalar by the YAML 1.2 core schema: None, bool, int, float or the text."""
    if not v or v[0] in _MAYBE_NOT_TEXT:
        if v in _NULLS:
            return None
        b = _BOOLS.get(v)
        if b is not None:
            return b
        if _INT.fullmatch(v):
            if len(v) > MAX_DIGITS:
                raise _TooLong(v)
            return int(v)
        if _FLOAT.fullmatch(v):
            if len(v) > MAX_DIGITS:
                raise _TooLong(v)
            return float(v)
    return v


def _fmt(p) -> str:
    """A path ("claims[3].sourcing[0].cue") from its (parent, key) chain; formatted only for a problem."""
    parts = []
    while p is not None:
        p, k = p
        parts.append(f"[{k}]" if isinstance(k, int) else f".{k}")
    return "".join(reversed(parts)).lstrip(".")


def _short(s: str, n: int = 40) -> str:
    return s if len(s) <= n else s[: n - 3] + "..."


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, max(0, position)) + 1


def load(text: str, file: str):
    """Parse ``text`` (the content of ``file``) into plain values with line numbers.

    Returns None for a file without data (empty, blank lines or comments only). Raises
    YamlError with every problem found.
    """
    problems: list[Problem] = []

    def problem(slug, line, path, message, expected, fix):
        problems.append(Problem(slug, file, line, _fmt(path), message, expected, fix))

    # A frame: [container (None: skipped, too deep), path, the key awaiting its value (AWAIT: a key is
    #           awaited; SKIP: the entry was refused), that key's line, depth, the container's line]
    E = yaml.events
    Scalar, MapStart, SeqStart = E.ScalarEvent, E.MappingStartEvent, E.SequenceStartEvent
    MapEnd, SeqEnd, Alias, DocStart = E.MappingEndEvent, E.SequenceEndEvent, E.AliasEvent, E.DocumentStartEvent
    STR, MAP, SEQ = _STD + "str", _STD + "map", _STD + "seq"
    AWAIT = object()  # a mapping frame waiting for its next key
    SKIP = object()  # a mapping entry whose key was refused: its value is dropped

    root = None
    stack: list[list] = []
    documents = 0
    loader = _Loader(text)

    def unsafe_anchor(ev, path):
        problem("yaml-unsafe", ev.start_mark.line + 1, path, f"anchor &{ev.anchor} is not allowed",
                "plain values (no anchors or aliases)", f"remove '&{ev.anchor}' and write every value out in full")

    def refused_tag(ev, path):
        problem("yaml-unsafe", ev.start_mark.line + 1, path, f"YAML tag {ev.tag!r} is not allowed",
                "untagged values", "remove the tag (the text after '!')")

    def child_path(frame):
        c = frame[0]
        if type(c) is YList:
            return (frame[1], len(c))
        k = frame[2]
        return frame[1] if k is AWAIT or k is SKIP else (frame[1], k)

    def add(value, line: int, src: str | None):
        """Put a finished value into the innermost open container (or make it the root)."""
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        c = frame[0]
        if c is None:  # inside a skipped (too deep) container
            return
        if type(c) is YList:
            if src is not None:
                if c.src is None:
                    c.src = {}
                c.src[len(c)] = src
            c.append(value)
            c.lines.append(line)
            return
        k = frame[2]
        if k is AWAIT:
            if not isinstance(value, str):
                shown = (src or "null") if src is not None else ("a list" if isinstance(value, list) else
                                                                 "a mapping" if isinstance(value, dict) else "null")
                problem("wrong-type", line, (frame[1], shown), f"key {shown} is not text", "text keys",
                        "write the key as a word")
                frame[2] = SKIP
                return
            if value in c:
                problem("duplicate-key", line, (frame[1], value),
                        f"key {value!r} appears twice in this mapping (first at line {c.lines[value]})",
                        "each key once", "remove or merge one of the two entries")
                frame[2] = SKIP
                return
            frame[2] = value
            frame[3] = line
            return
        if k is not SKIP:
            c[k] = value
            c.lines[k] = frame[3]
            if src is not None:
                if c.src is None:
                    c.src = {}
                c.src[k] = src
        frame[2] = AWAIT

    try:
        while loader.check_event():
            ev = loader.get_event()
            cls = type(ev)
            if cls is Scalar:
                path = child_path(stack[-1]) if stack else None
                if ev.anchor is not None:
                    unsafe_anchor(ev, path)
                tag = ev.tag
                v = ev.value
                src = None
                if tag is None and ev.implicit[0]:
                    try:
                        value = plain(v)
                    except _TooLong:
                        problem("bad-format", ev.start_mark.line + 1, path,
                                f"{_short(v)} is a number of {len(v)} characters", f"a number of at most {MAX_DIGITS} characters, or text",
                                "if it is text, put it in quotes")
                        value = None
                    if value is not v:
                        src = v
                elif tag is None or tag == STR or tag == "!":
                    value = v
                else:
                    refused_tag(ev, path)
                    value = None
                add(value, ev.start_mark.line + 1, src)
            elif cls is MapStart or cls is SeqStart:
                parent = stack[-1] if stack else None
                path = child_path(parent) if parent is not None else None
                line = ev.start_mark.line + 1
                if parent is not None and parent[0] is None:
                    stack.append([None, path, AWAIT, 0, parent[4] + 1, line])  # nested in a skipped container
                    continue
                if ev.anchor is not None:
                    unsafe_anchor(ev, path)
                if ev.tag is not None and ev.tag != (MAP if cls is MapStart else SEQ) and ev.tag != "!":
                    refused_tag(ev, path)
                depth = parent[4] + 1 if parent is not None else 1
                if depth > MAX_DEPTH:
                    problem("yaml-too-deep", line, path, f"the values are nested more than {MAX_DEPTH} levels deep",
                            f"at most {MAX_DEPTH} levels of lists and mappings (the format needs 6)",
                            "remove the extra brackets or indentation")
                    stack.append([None, path, AWAIT, 0, depth, line])
                    continue
                if cls is MapStart:
                    c = YMap()
                    c.lines = {}
                else:
                    c = YList()
                    c.lines = []
                c.line = line
                stack.append([c, path, AWAIT, 0, depth, line])
            elif cls is MapEnd or cls is SeqEnd:
                frame = stack.pop()
                if frame[0] is None:
                    if not stack or stack[-1][0] is not None:
                        add(None, frame[5], None)  # the skipped container still fills its place
                    continue
                add(frame[0], frame[5], None)
            elif cls is Alias:
                path = child_path(stack[-1]) if stack else None
                problem("yaml-unsafe", ev.start_mark.line + 1, path, f"alias *{ev.anchor} is not allowed",
                        "plain values (no anchors or aliases)", f"write the value out in full instead of '*{ev.anchor}'")
                add(None, ev.start_mark.line + 1, None)
            elif cls is DocStart:
                documents += 1
                if documents > 1:
                    problem("yaml-syntax", ev.start_mark.line + 1, None,
                            "YAML syntax error: a second document starts here ('---')", "one YAML document per file",
                            "remove the '---' line, or move the second document to its own file")
                    break
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(exc, text, file))
    except yaml.reader.ReaderError as exc:
        # The reader stops at the first character YAML does not allow: its first occurrence is the one.
        ch = exc.character
        ch = chr(ch) if isinstance(ch, int) else ch
        at = text.find(ch) if isinstance(ch, str) and ch else -1
        line = _line_of(text, at) if at != -1 else None
        what = f"U+{ord(ch):04X}" if isinstance(ch, str) and len(ch) == 1 else repr(ch)
        problems.append(Problem("control-character", file, line, "", f"the file holds the control character {what}, which YAML does not allow",
                                "printable characters", "remove the character (in quoted text, write it as an escape such as \\t)"))
    except yaml.YAMLError as exc:  # pragma: no cover - every parser error carries a mark or a position
        problems.append(Problem("yaml-syntax", file, None, "", f"YAML error: {exc}", "valid YAML", "correct the syntax"))
    finally:
        loader.dispose()
    if problems:
        raise YamlError(problems)
    return root


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, file: str) -> Problem:
    """The problem for a parser error; an unclosed quote is named at the line where it opens."""
    fix = "correct the syntax at that line (check indentation, colons and quotes)"
    mark = exc.problem_mark or exc.context_mark
    line = min(mark.line + 1, text.count("\n") + 1) if mark else None  # the end of the stream is on the last line
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        return _unclosed(text, file, exc.context_mark.line, None, exc.problem)
    if "exceeded maximum nesting depth" in str(exc.problem):
        return Problem("yaml-too-deep", file, line, "", f"the values are nested more than {MAX_DEPTH} levels deep",
                       f"at most {MAX_DEPTH} levels of lists and mappings (the format needs 6)",
                       "remove the extra brackets or indentation")
    if mark is not None:
        opened = _open_quote_before(text, mark.line)
        if opened is not None:
            return _unclosed(text, file, opened[0], opened[1], exc.problem)
    return Problem("yaml-syntax", file, line, "", f"YAML syntax error: {exc.problem}", "valid YAML", fix)


def _unclosed(text: str, file: str, start_line: int, end_line: int | None, problem: str | None) -> Problem:
    begin = _offset_of_line(text, start_line)
    end = text.find("\n", begin)
    source = text[begin: end if end != -1 else len(text)].strip()
    runs = f"it runs on to line {end_line + 1}" if end_line is not None else "it runs on to the end of the file"
    return Problem("yaml-syntax", file, start_line + 1, "",
                   f"YAML syntax error: the quote opened on this line is not closed ({_short(source, 60)}); {runs}, "
                   f"where the parser stopped ({problem})",
                   "a quoted value closed by the quote mark it opens with",
                   "close the quote at the end of the value (a quote inside the value is doubled '' in single quotes "
                   "or escaped \\\" in double quotes)")


_KEY_LINE = re.compile(r"\n[ \t]*(?:- )?[A-Za-z_][\w-]*:(?: |$)", re.M)


def _open_quote_before(text: str, error_line: int) -> tuple[int, int] | None:
    """(start, end line) of the quoted scalar that swallowed the lines before a syntax error, if any.

    A quote left open runs on until the next quote mark of its kind, usually the opening quote of
    a later value; the parser then fails at or just after that line. Such a scalar spans several
    lines and holds what looks like YAML keys.
    """
    last = None
    loader = _Loader(text)
    try:
        while loader.check_token():
            tok = loader.get_token()
            if tok.start_mark.line > error_line:
                break
            if type(tok) is yaml.tokens.ScalarToken and tok.style in ("'", '"') and tok.end_mark.line > tok.start_mark.line:
                last = tok
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    if last is None or error_line - last.end_mark.line > 1:
        return None
    if not _KEY_LINE.search(text, _offset_of_line(text, last.start_mark.line), _offset_of_line(text, last.end_mark.line + 1)):
        return None
    return last.start_mark.line, last.end_mark.line


def _offset_of_line(text: str, line: int) -> int:
    """The offset of the start of 0-based ``line`` (len(text) past the end)."""
    pos = 0
    for _ in range(line):
        pos = text.find("\n", pos)
        if pos == -1:
            return len(text)
        pos += 1
    return pos
