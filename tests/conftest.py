"""Shared pytest fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared read-only directory next to the repository (corpus, design notes)."""
    path = Path(__file__).resolve().parents[1].parent / "shared"
    if not path.is_dir():
        message = f"../shared is absent: {path} (the shared corpus lives next to the repository)"
        if os.environ.get("REQUIRE_SHARED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path

