"""One ingestion run per store at a time, across threads and processes (an flock on a file).

Writers of the manifest and of the derived indexes (BM25, language statistics) hold the lock, so
two runs never interleave their manifest saves, and a reader (the engine) that finds a derived
index stale while a run is in progress builds it in memory but leaves the file to the run.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def run_lock(path: Path, *, wait: bool) -> Iterator[bool]:
    """Hold the lock for the block; yields False (without waiting) when ``wait`` is off and it is busy."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
