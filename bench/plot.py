"""A small PNG of answers per second against concurrent questions, drawn with Pillow.

(matplotlib is not a dependency; this draws two lines, batching on and off, on a log-spaced x axis.)
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

W, H = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 40, 60
COLOURS = {"on": (31, 119, 180), "off": (214, 39, 40)}
LABELS = {"on": "micro-batching on", "off": "micro-batching off"}


def nice_top(value: float) -> float:
    """A round axis maximum at or above ``value``."""
    if value <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(value))
    return math.ceil(value / step) * step


def points(series: dict[str, Any], levels: list[int], top: float) -> list[tuple[float, float]]:
    """Pixel positions: x log-spaced over the levels, y linear from 0 to ``top``."""
    lo, hi = math.log(min(levels)), math.log(max(levels))
    span = hi - lo or 1.0
    out = []
    for c in levels:
        if str(c) not in series:
            continue
        x = LEFT + (math.log(c) - lo) / span * (W - LEFT - RIGHT)
        y = H - BOTTOM - series[str(c)]["answers_per_s"] / top * (H - TOP - BOTTOM)
        out.append((x, y))
    return out


def draw(res: dict[str, Any], path: Path, title: str) -> Path:
    """Write the throughput curve of a ``bench.concurrency`` result to ``path``."""
    levels = [int(c) for c in res["levels"]]
    top = nice_top(max(v["answers_per_s"] for mode in ("on", "off") for v in res[mode].values()))
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=13)
    d.text(((LEFT + W - RIGHT) / 2, 6), title, fill="black", font=font, anchor="mt")
    d.line([(LEFT, TOP), (LEFT, H - BOTTOM), (W - RIGHT, H - BOTTOM)], fill="black", width=1)
    for i in range(6):
        value = top * i / 5
        y = H - BOTTOM - i / 5 * (H - TOP - BOTTOM)
        d.line([(LEFT, y), (W - RIGHT, y)], fill=(225, 225, 225))
        d.text((LEFT - 8, y), f"{value:g}", fill="black", font=font, anchor="rm")
    for (x, _), c in zip(points(res["on"], levels, top), levels, strict=False):
        d.text((x, H - BOTTOM + 8), str(c), fill="black", font=font, anchor="mt")
    d.text(((LEFT + W - RIGHT) / 2, H - 22), "concurrent questions", fill="black", font=font, anchor="mm")
    d.text((8, TOP - 20), "answers/s", fill="black", font=font)
    for n, mode in enumerate(("on", "off")):
        pts = points(res[mode], levels, top)
        d.line(pts, fill=COLOURS[mode], width=3)
        for x, y in pts:
            d.ellipse([x - 4, y - 4, x + 4, y + 4], fill=COLOURS[mode])
        ly = TOP + 8 + n * 18
        d.line([(W - 200, ly), (W - 175, ly)], fill=COLOURS[mode], width=3)
        d.text((W - 168, ly), LABELS[mode], fill="black", font=font, anchor="lm")
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, optimize=True)
    return path
