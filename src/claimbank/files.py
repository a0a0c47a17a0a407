"""Writing output files: whole or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class OutputError(Exception):
    """The output path cannot be written."""


def beside(folder: Path, suffix: str) -> Path:
    """``DIR<suffix>`` next to ``DIR`` (e.g. ``compiled.explorer.html``)."""
    resolved = Path(folder).resolve()
    return resolved.parent / f"{resolved.name}{suffix}"


def write_text_atomic(out: Path, text: str, example_name: str) -> Path:
    """Write ``text`` to ``out`` aside, then rename it into place; a failure leaves ``out`` as it was."""
    out = Path(out)
    if out.is_dir():
        raise OutputError(f"{out}: is a folder; pass a file name for --out, e.g. {out / example_name}")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def swap_folder(new: Path, out: Path) -> None:
    """Put the complete folder ``new`` in the place of ``out``; if the swap fails, ``out`` is put back."""
    if not out.exists():
        os.replace(new, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.replace(out, old)
    try:
        os.replace(new, out)
    except BaseException:
        os.replace(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
