"""Safe YAML reading with line numbers.

The file is only *composed* (parsed into a node graph); no Python object is ever
constructed from a tag. Scalars are resolved to str, int, float, bool or None; dates stay
strings and are checked by the curation reader. Tags, anchors and aliases are refused,
and so are duplicate keys. Every mapping and list remembers the line of each entry.
"""

from __future__ import annotations

import yaml

from .problems import Problem

try:  # the C parser when available: same nodes, faster
    _Base = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Base = yaml.SafeLoader

_RESOLVED: dict[str, str] = {}  # plain scalar -> its tag; the resolution depends on the text alone
_RESOLVED_MAX = 1 << 16


class _Loader(_Base):
    """The safe loader with the tag resolution of plain scalars remembered (labels, ids and dates repeat)."""

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            tag = _RESOLVED.get(value)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(_RESOLVED) < _RESOLVED_MAX and len(value) <= 64:
                    _RESOLVED[value] = tag
            return tag
        return super().resolve(kind, value, implicit)

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")}


class YMap(dict):
    """A mapping that knows the line of each key (1-based)."""

    line: int = 0
    lines: dict


class YList(list):
    """A list that knows the line of each item (1-based)."""

    line: int = 0
    lines: list


class YamlError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _scalar(node: yaml.ScalarNode):
    tag = node.tag
    v = node.value
    if tag == _STD + "str" or tag == _STD + "timestamp":
        return v
    if tag == _STD + "null":
        return None
    if tag == _STD + "bool":
        return v.lower() in ("true", "yes", "on")
    if tag == _STD + "int":
        return int(v.replace("_", ""), 0) if not v.lstrip("+-").startswith("0") or v.strip("+-") == "0" else int(v.replace("_", ""))
    if tag == _STD + "float":
        return float(v.replace("_", ""))
    return v


def load(text: str, file: str):
    """Parse ``text`` (the content of ``file``) into plain values with line numbers."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlError([Problem("yaml-syntax", file, line, "", f"YAML syntax error: {exc.problem}",
                                 "valid YAML", "correct the syntax at that line (check indentation, colons and quotes)")]) from None
    except yaml.YAMLError as exc:
        raise YamlError([Problem("yaml-syntax", file, None, "", f"YAML error: {exc}", "valid YAML", "correct the syntax")]) from None
    problems: list[Problem] = []
    seen: set[int] = set()
    ScalarNode, SequenceNode = yaml.ScalarNode, yaml.SequenceNode
    STR = _STD + "str"

    # A node's path ("claims[3].sourcing[0].cue") is formatted only when a problem names it:
    # paths travel as (parent, key) chains.
    def fmt(p) -> str:
        if p is None:
            return ""
        parent, k = p
        head = fmt(parent)
        if isinstance(k, int):
            return f"{head}[{k}]"
        return f"{head}.{k}" if head else str(k)

    def conv(node, path):
        nid = id(node)
        if nid in seen or node.__dict__.get("anchor"):
            problems.append(Problem("yaml-unsafe", file, node.start_mark.line + 1, fmt(path), "anchors and aliases are not allowed",
                                    "plain values", "write the value out in full instead of using & and *"))
            return None
        seen.add(nid)
        tag = node.tag
        if tag == STR and type(node) is ScalarNode:
            return node.value
        if tag not in _ALLOWED_TAGS:
            problems.append(Problem("yaml-unsafe", file, node.start_mark.line + 1, fmt(path), f"YAML tag {tag!r} is not allowed",
                                    "untagged values", "remove the tag (the text after '!')"))
            return None
        if isinstance(node, ScalarNode):
            return _scalar(node)
        line = node.start_mark.line + 1
        if isinstance(node, SequenceNode):
            out = YList()
            out.line = line
            lines = out.lines = []
            append, add_line = out.append, lines.append
            for i, item in enumerate(node.value):
                append(conv(item, (path, i)))
                add_line(item.start_mark.line + 1)
            return out
        out = YMap()
        out.line = line
        lines = out.lines = {}
        for knode, vnode in node.value:
            key = conv(knode, path)
            if not isinstance(key, str):
                kpath = fmt((path, str(key)))
                problems.append(Problem("wrong-type", file, knode.start_mark.line + 1, kpath, f"key {key!r} is not text",
                                        "text keys", "write the key as a word"))
                continue
            if key in out:
                problems.append(Problem("duplicate-key", file, knode.start_mark.line + 1, fmt((path, key)),
                                        f"key {key!r} appears twice in this mapping (first at line {lines[key]})",
                                        "each key once", "remove or merge one of the two entries"))
                continue
            out[key] = conv(vnode, (path, key))
            lines[key] = knode.start_mark.line + 1
        return out

    try:
        value = conv(root, None) if root is not None else None
    finally:
        seen.clear()
        conv = fmt = None  # the two functions refer to themselves: break the cycle, free the tree now
    if problems:
        raise YamlError(problems)
    return value
