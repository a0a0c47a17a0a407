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
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader

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

    def conv(node, path: str):
        line = node.start_mark.line + 1
        if id(node) in seen or getattr(node, "anchor", None):
            problems.append(Problem("yaml-unsafe", file, line, path, "anchors and aliases are not allowed",
                                    "plain values", "write the value out in full instead of using & and *"))
            return None
        seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            problems.append(Problem("yaml-unsafe", file, line, path, f"YAML tag {node.tag!r} is not allowed",
                                    "untagged values", "remove the tag (the text after '!')"))
            return None
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            out = YList()
            out.line, out.lines = line, []
            for i, item in enumerate(node.value):
                out.append(conv(item, f"{path}[{i}]"))
                out.lines.append(item.start_mark.line + 1)
            return out
        out = YMap()
        out.line, out.lines = line, {}
        for knode, vnode in node.value:
            key = conv(knode, path)
            kpath = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str):
                problems.append(Problem("wrong-type", file, knode.start_mark.line + 1, kpath, f"key {key!r} is not text",
                                        "text keys", "write the key as a word"))
                continue
            if key in out:
                problems.append(Problem("duplicate-key", file, knode.start_mark.line + 1, kpath,
                                        f"key {key!r} appears twice in this mapping (first at line {out.lines[key]})",
                                        "each key once", "remove or merge one of the two entries"))
                continue
            out[key] = conv(vnode, kpath)
            out.lines[key] = knode.start_mark.line + 1
        return out

    value = conv(root, "") if root is not None else None
    if problems:
        raise YamlError(problems)
    return value
