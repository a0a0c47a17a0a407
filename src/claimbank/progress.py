"""Progress on standard error: a bar by time, with rate and ETA, for every stage that knows its total.

The verbs pass a :class:`Progress` as the ``progress`` callback of the library. A call with only a
message prints it as a line, with the time since the start (``[   1.2s] compiled ...``); a call with
``done`` and ``total`` moves the stage's bar (tqdm: count, rate, elapsed and remaining time).
The bar is drawn as soon as the stage starts and redrawn by time: on a terminal several times a
second, into a log (``--progress`` with standard error redirected) as one line every
``LOG_INTERVAL`` seconds. Results never go here: they are on standard output.
"""

from __future__ import annotations

import sys
import time

from tqdm import tqdm

LOG_INTERVAL = 5.0  # seconds between two progress lines written into a log


class _Lines:
    """A file for tqdm that turns each redraw into a line of its own (for logs: no carriage returns)."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text: str) -> int:
        text = text.replace("\r", "").replace("\x1b[A", "")
        if text.strip():
            self.stream.write(text.rstrip("\n") + "\n")
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


class Progress:
    """A ``progress`` callback: ``progress(message)`` prints a line, ``progress(message, done=, total=, unit=)`` a bar."""

    def __init__(self, stream=None, *, terminal: bool | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.terminal = self.stream.isatty() if terminal is None else terminal
        self.start = time.perf_counter()
        self.bar = None
        self.stage = None

    def elapsed(self) -> str:
        return f"[{time.perf_counter() - self.start:7.1f}s]"

    def __call__(self, message: str, *, done: int | None = None, total: int | None = None, unit: str = "it") -> None:
        if total is None:
            self.close()
            self._line(f"{self.elapsed()} {message}")
            return
        if self.bar is None or self.stage != (unit, total):
            self.close()

            self.stage = (unit, total)
            self.bar = tqdm(total=total, unit=unit, desc=f"{self.elapsed()} {message.split(':')[0]}",
                            file=self.stream if self.terminal else _Lines(self.stream),
                            mininterval=0.1 if self.terminal else LOG_INTERVAL, maxinterval=LOG_INTERVAL,
                            dynamic_ncols=self.terminal, ncols=None if self.terminal else 100, leave=True,
                            ascii=not self.terminal)
        if done is not None and done > self.bar.n:
            self.bar.update(done - self.bar.n)
        if done is not None and done >= total:
            self.close()

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
            self.stage = None


def step(progress, message: str, done: int, total: int, unit: str, every: int = 2000) -> None:
    """Report ``done`` of ``total`` to ``progress``: a :class:`Progress` moves its bar at every call (it
    redraws by time); any other callable gets a line ``message done/total unit`` at the start, every
    ``every`` and at the end."""
    if progress is None:
        return
    if isinstance(progress, Progress):
        progress(message, done=done, total=total, unit=unit)
    elif done == 0 or done % every == 0 or done == total:
        progress(f"{message} {done}/{total} {unit}")
