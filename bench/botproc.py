"""The real ``python -m bot run`` as a subprocess against the tests' fake Bot API server."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.common import PYTHON, REPO, kb_env, proc_status_kb

if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from fake_bot_api import FakeBotAPI

BOT_TOKEN = "123:abc"


class BenchBotAPI(FakeBotAPI):
    """The fake server, also timestamping the first call of each method (getUpdates included)."""

    def __init__(self) -> None:
        super().__init__(token=BOT_TOKEN, username="cca_bench_bot")
        self.first_at: dict[str, float] = {}
        self._first_lock = threading.Lock()

    def _call(self, method: str, p: dict[str, Any], files: dict[str, bytes]) -> Any:
        with self._first_lock:
            self.first_at.setdefault(method, time.monotonic())
        return super()._call(method, p, files)


class BotProcess:
    """Start the bot against ``api``; ``stop()`` sends SIGINT (PTB's graceful stop), then kills."""

    def __init__(self, api: BenchBotAPI, data_dir: Path, log_path: Path, **env: str) -> None:
        self.api = api
        self.log_path = log_path
        self.env = kb_env(
            data_dir,
            TELEGRAM_BOT_TOKEN=BOT_TOKEN,
            TELEGRAM_BASE_URL=api.base_url,
            TELEGRAM_BASE_FILE_URL=api.base_file_url,
            BOT_FACT_SCHEDULE="off",
            **env,
        )
        self.proc: subprocess.Popen[bytes] | None = None
        self.started = 0.0

    def start(self) -> None:
        self.started = time.monotonic()
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [PYTHON, "-m", "bot", "run"],
                cwd=self.log_path.parent,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def wait_first(self, method: str, timeout: float = 120.0) -> float:
        """Seconds from launch to the first ``method`` request; raises if the bot died or hung."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while method not in self.api.first_at:
            if self.proc.poll() is not None:
                raise RuntimeError(f"bot exited with {self.proc.returncode}: {self.tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"no {method} within {timeout} s: {self.tail()}")
            time.sleep(0.01)
        return self.api.first_at[method] - self.started

    def memory(self) -> dict[str, float]:
        return {
            "rss_mb": round(proc_status_kb("VmRSS", self.pid) / 1024, 1),
            "peak_rss_mb": round(proc_status_kb("VmHWM", self.pid) / 1024, 1),
        }

    def tail(self, n: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
