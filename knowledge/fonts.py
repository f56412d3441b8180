"""The fact-card font: Noto Sans CJK (Latin, Cyrillic and Simplified Chinese) from a pinned PyPI package.

The font ships in ``manimgx-fonts-cjk`` (SIL Open Font License 1.1), a dependency in
``pyproject.toml``, so ``pip install`` is the whole set-up. Its file is found through the installed
distribution's file list, never a system path. System fonts (Debian's ``fonts-noto-cjk``, then
``fc-match``) are only a fallback for an environment where that package is absent. Every candidate
must really cover Latin, Cyrillic and CJK, or ``FontNotFound`` is raised.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from PIL import ImageFont

from knowledge.errors import KnowledgeError

FONT_DISTRIBUTION = "manimgx-fonts-cjk"
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")
_SYSTEM_DIRS = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/opentype/noto-cjk",
    "/usr/local/share/fonts",
    "/Library/Fonts",
)
PROBE = "AgЖж中文"
NOTDEF_CHAR = "\U0010fffd"  # a private-use code point no font maps: renders the .notdef glyph
REGULAR_WEIGHT, BOLD_WEIGHT = 400, 700


class FontNotFound(KnowledgeError):
    """No font covering Latin, Cyrillic and CJK could be found."""


def packaged_fonts(distribution: str = FONT_DISTRIBUTION) -> list[Path]:
    """Font files installed by ``distribution`` (from its RECORD), or [] when it is not installed."""
    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        return []
    files = [f for f in dist.files or () if f.name.lower().endswith(FONT_SUFFIXES)]
    return [p for p in (Path(str(dist.locate_file(f))) for f in files) if p.is_file()]


def _system_fonts(bold: bool) -> list[Path]:
    weight = "Bold" if bold else "Regular"
    found = [
        Path(folder) / name
        for folder in _SYSTEM_DIRS
        for name in (f"NotoSansCJK-{weight}.ttc", f"NotoSansCJKsc-{weight}.otf", f"NotoSansSC-{weight}.otf")
        if (Path(folder) / name).is_file()
    ]
    if shutil.which("fc-match"):
        style = ":bold" if bold else ""
        for pattern in (f"Noto Sans CJK SC{style}", f"sans-serif:lang=zh-cn{style}"):
            try:
                out = subprocess.run(["fc-match", "-f", "%{file}", pattern], capture_output=True,
                                     text=True, timeout=10, check=False).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                continue
            if out and Path(out).is_file():
                found.append(Path(out))
    return found


def font_candidates(bold: bool) -> list[Path]:
    """Where to look, in order: the packaged font first, system fonts as a fallback."""
    return list(dict.fromkeys([*packaged_fonts(), *_system_fonts(bold)]))


@lru_cache(maxsize=16)
def font_index(path: Path) -> int:
    """The face in a collection to use: Simplified Chinese (``SC``) when present, else 0."""
    if path.suffix.lower() != ".ttc":
        return 0
    for index in range(32):
        try:
            family = ImageFont.truetype(str(path), 12, index=index).getname()[0] or ""
        except OSError:
            break
        if family.endswith(" SC") or " SC " in family:
            return index
    return 0


def open_font(path: Path, size: int, bold: bool) -> ImageFont.FreeTypeFont:
    """``path`` at ``size`` pixels; a variable font is set to the regular or bold weight (its
    default instance may be Thin)."""
    font = ImageFont.truetype(str(path), size, index=font_index(path))
    try:
        axes = font.get_variation_axes()
    except OSError:  # not a variable font
        return font
    wanted = BOLD_WEIGHT if bold else REGULAR_WEIGHT
    font.set_variation_by_axes([wanted if _is_weight(axis) else int(axis["default"] or 0) for axis in axes])
    return font


def _is_weight(axis: Any) -> bool:
    name = axis.get("name") or b""
    return (name.decode() if isinstance(name, bytes) else str(name)).casefold() in {"weight", "wght"}


def missing_glyphs(font: ImageFont.FreeTypeFont, text: str) -> list[str]:
    """Characters of ``text`` that render as the font's .notdef glyph (tofu)."""
    notdef = font.getmask(NOTDEF_CHAR)
    ref = (notdef.size, bytes(notdef))
    return [ch for ch in text if not ch.isspace() and (font.getmask(ch).size, bytes(font.getmask(ch))) == ref]


@lru_cache(maxsize=2)
def find_font(bold: bool) -> Path:
    """A font file covering Latin, Cyrillic and CJK; raises ``FontNotFound`` when none exists."""
    tried = font_candidates(bold)
    for path in tried:
        try:
            font = open_font(path, 32, bold)
        except OSError:
            continue
        if not missing_glyphs(font, PROBE):
            return path
    raise FontNotFound(
        "No font covering Latin, Cyrillic and CJK was found (tried: "
        + (", ".join(map(str, tried)) or "none")
        + f"). Reinstall the project (`pip install -e .`), which brings the {FONT_DISTRIBUTION} package."
    )


@lru_cache(maxsize=64)
def load_font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    """The card font at ``size`` pixels (the SC face of a collection, at the right weight)."""
    return open_font(find_font(bold), size, bold)
