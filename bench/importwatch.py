"""Run ``python -m bot ...`` and report where watched modules (torch, ...) first get imported.

Usage: ``python -m bench.importwatch torch,transformers -- ask "question"``. A meta-path finder
sees the first import of each watched top-level package and prints (to stderr, one JSON line) the
repository / site-packages frames of the stack at that moment: the file and line that caused it.
"""

from __future__ import annotations

import json
import runpy
import sys
import traceback
from collections.abc import Sequence
from typing import Any

MARK = "IMPORTWATCH "


class Watcher:
    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.seen: set[str] = set()

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        top = fullname.split(".", 1)[0]
        if top in self.names and top not in self.seen:
            self.seen.add(top)
            frames = [
                f"{f.filename}:{f.lineno} {f.name}: {(f.line or '').strip()}"
                for f in traceback.extract_stack()[:-1]
                if "importlib._bootstrap" not in f.filename
                and "<frozen" not in f.filename
                and not f.filename.endswith("importwatch.py")
            ]
            print(MARK + json.dumps({"module": top, "stack": frames}), file=sys.stderr, flush=True)
        return None


def main(argv: Sequence[str]) -> None:
    names = set(argv[0].split(","))
    rest = list(argv[2:] if len(argv) > 1 and argv[1] == "--" else argv[1:])
    sys.meta_path.insert(0, Watcher(names))
    sys.argv = ["bot", *rest]
    runpy.run_module("bot", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
