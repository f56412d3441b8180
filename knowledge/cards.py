"""Fact cards as square PNG images for a Telegram channel (Latin, Cyrillic and CJK text).

The font comes from ``knowledge.fonts`` (Noto Sans CJK from a pinned PyPI package).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from knowledge.fonts import load_font
from knowledge.models import FactCard
from knowledge.text import CJK_CHARS, detect_language

BG_TOP, BG_BOTTOM = (10, 34, 60), (20, 66, 104)
ACCENT, TEXT, MUTED, CHIP_BG = (245, 184, 65), (240, 245, 250), (160, 181, 202), (32, 80, 120)
_LABELS = {
    "en": ("CHINA – CENTRAL ASIA · KEY FACT", "Source: "),
    "ru": ("КИТАЙ – ЦЕНТРАЛЬНАЯ АЗИЯ · ФАКТ", "Источник: "),
    "zh": ("中国—中亚 · 关键数据", "来源："),
}
_TAG_KEYS = ("China", "Kazakhstan", "Kyrgyzstan", "Tajikistan", "Turkmenistan", "Uzbekistan",
             "trade", "transport", "energy", "agriculture", "security", "diplomacy")


def _names(joined: str) -> dict[str, str]:
    return dict(zip(_TAG_KEYS, joined.split("|"), strict=True))


_TAG_NAMES = {
    "ru": _names("Китай|Казахстан|Кыргызстан|Таджикистан|Туркменистан|Узбекистан|Торговля|Транспорт"
                 "|Энергетика|Сельское хозяйство|Безопасность|Дипломатия"),
    "zh": _names("中国|哈萨克斯坦|吉尔吉斯斯坦|塔吉克斯坦|土库曼斯坦|乌兹别克斯坦"
                 "|贸易|交通|能源|农业|安全|外交"),
}
_TOKEN = re.compile(  # a CJK character with the closing punctuation after it | spaces | a word
    f"[{CJK_CHARS}][\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f\u201d\u2019)）》」』]*|\\s+|[^\\s{CJK_CHARS}]+"
)


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy line breaking: between words, and between CJK characters (never before ，。 etc.)."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        candidate = line + token
        if font.getlength(candidate) <= width or not line.strip():
            if font.getlength(candidate) > width and not token.isspace():  # one over-long word
                for ch in token:
                    if line and font.getlength(line + ch) > width:
                        lines.append(line.rstrip())
                        line = ""
                    line += ch
                continue
            line = candidate
        elif token.isspace():
            lines.append(line.rstrip())
            line = ""
        else:
            lines.append(line.rstrip())
            line = token
    if line.strip():
        lines.append(line.rstrip())
    return [ln for ln in (x.strip() for x in lines) if ln]


@dataclass(frozen=True)
class Placed:
    """One line of text on the card: its font, top-left anchor and ink bounding box."""

    text: str
    font: ImageFont.FreeTypeFont
    xy: tuple[float, float]
    fill: tuple[int, int, int]
    bbox: tuple[float, float, float, float]


def _fit(text: str, bold: bool, sizes: range, width: float, height: float, spacing: float,
         max_lines: int = 99) -> tuple[ImageFont.FreeTypeFont, list[str], float]:
    """Largest font size whose wrapped text fits the box; at the smallest, lines are ellipsised."""
    font, lines, step = load_font(bold, sizes.start), [text], 0.0
    for size in sizes:
        font = load_font(bold, size)
        lines = wrap(text, font, width)
        step = size * spacing
        if len(lines) <= max_lines and len(lines) * step <= height:
            return font, lines, step
    keep = max(1, min(max_lines, int(height // step)))
    if len(lines) > keep:
        lines = lines[:keep]
        while lines[-1] and font.getlength(lines[-1] + "…") > width:
            lines[-1] = lines[-1][:-1]
        lines[-1] = lines[-1].rstrip(" ,;:，、") + "…"
    return font, lines, step


def _place(lines: list[str], font: ImageFont.FreeTypeFont, x: float, y: float, step: float,
           fill: tuple[int, int, int]) -> list[Placed]:
    out = []
    for i, line in enumerate(lines):
        left, top, right, bottom = font.getbbox(line, anchor="la")
        yy = y + i * step
        out.append(Placed(line, font, (x, yy), fill, (x + left, yy + top, x + right, yy + bottom)))
    return out


def layout_card(card: FactCard, width: int = 1080, height: int = 1080) -> tuple[list[Placed], list[tuple]]:
    """Text lines and chip rectangles ``(x0, y0, x1, y1)`` of the card, all inside the margins."""
    s = min(width, height) / 1080
    margin, inner = round(80 * s), width - 2 * round(80 * s)
    lang = detect_language(card.sentence)
    label, source_word = _LABELS[lang]
    texts: list[Placed] = []
    chips: list[tuple] = []
    y = float(margin)
    lab_font = load_font(True, max(12, round(26 * s)))
    texts += _place([label], lab_font, margin, y, 0, ACCENT)
    y += 26 * s + 56 * s

    font, lines, step = _fit(card.headline, True, range(round(210 * s), round(120 * s), -4), inner,
                             300 * s, 1.12, max_lines=1)
    if len(lines) > 1 or lines[0].endswith("…"):  # too long for one line even at 120 px: use two
        font, lines, step = _fit(card.headline, True, range(round(150 * s), max(20, round(64 * s)), -4),
                                 inner, 300 * s, 1.12, max_lines=2)
    texts += _place(lines, font, margin, y - font.getbbox("8", anchor="la")[1] + 4 * s, step, ACCENT)
    y = max(t.bbox[3] for t in texts) + 44 * s
    chips.append((margin, y, margin + 120 * s, y + 8 * s))  # accent rule
    y += 8 * s + 44 * s

    src_font = load_font(False, max(10, round(25 * s)))
    parts = [card.citation.title, card.citation.publishers(card.sentence)]
    date = f", {card.citation.date}" if card.citation.date else ""
    source = source_word + " — ".join(p for p in parts if p) + date
    _, src_lines, src_step = _fit(source, False, range(round(25 * s), round(25 * s) - 1, -1), inner,
                                  2.01 * round(25 * s) * 1.4, 1.4, max_lines=2)
    src_top = height - margin - len(src_lines) * src_step
    texts += _place(src_lines, src_font, margin, src_top, src_step, MUTED)
    rule_y = src_top - 28 * s
    chips.append((margin, rule_y, width - margin, rule_y + max(1, 2 * s)))

    chip_font = load_font(True, max(10, round(24 * s)))
    names = _TAG_NAMES.get(lang, {})
    chip_h, pad, gap = 48 * s, 20 * s, 14 * s
    rows: list[list[tuple[str, float]]] = [[]]
    for tag in card.tags:
        name = names.get(tag, tag[:1].upper() + tag[1:])
        w = chip_font.getlength(name) + 2 * pad
        used = sum(cw for _, cw in rows[-1]) + gap * len(rows[-1])
        if rows[-1] and used + w > inner:
            rows.append([])
        rows[-1].append((name, min(w, inner)))
    rows = [r for r in rows if r][:2]
    chip_top = rule_y - 32 * s - len(rows) * chip_h - (len(rows) - 1) * gap
    for r, row in enumerate(rows):
        cx, cy = float(margin), chip_top + r * (chip_h + gap)
        for name, w in row:
            chips.append((cx, cy, cx + w, cy + chip_h))
            tx = cx + (w - chip_font.getlength(name)) / 2
            ty = cy + (chip_h - (chip_font.getbbox("Ag中", anchor="la")[3]
                                 + chip_font.getbbox("Ag中", anchor="la")[1])) / 2
            texts += _place([name], chip_font, tx, ty, 0, TEXT)
            cx += w + gap

    bottom = (chip_top if rows else rule_y) - 40 * s
    spacing = 1.5 if lang == "zh" else 1.38
    font, lines, step = _fit(card.sentence, False, range(round(50 * s), max(9, round(24 * s)) - 1, -2),
                             inner, bottom - y, spacing)
    texts += _place(lines, font, margin, y, step, TEXT)
    return texts, chips


def render_card_png(card: FactCard, width: int = 1080, height: int = 1080) -> bytes:
    """The card as PNG bytes: big headline figure, wrapped sentence, tag chips, source line."""
    texts, rects = layout_card(card, width, height)
    top, bottom = BG_TOP, BG_BOTTOM
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(Image.new("RGB", (width, height), bottom), Image.new("RGB", (width, height), top),
                            gradient)
    draw = ImageDraw.Draw(image)
    s = min(width, height) / 1080
    for i, (x0, y0, x1, y1) in enumerate(rects):
        if i == 0:
            draw.rectangle((x0, y0, x1, y1), fill=ACCENT)
        elif i == 1:
            draw.rectangle((x0, y0, x1, y1), fill=(58, 98, 134))
        else:
            draw.rounded_rectangle((x0, y0, x1, y1), radius=(y1 - y0) / 2, fill=CHIP_BG,
                                   outline=(74, 120, 160), width=max(1, round(2 * s)))
    for t in texts:
        draw.text(t.xy, t.text, font=t.font, fill=t.fill, anchor="la")
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
