"""Text copied from a web page: unwrap it, strip the page furniture, recover the metadata.

Cleaning goes by structure first and phrases second:
- hard-wrapped paragraphs (lines of similar width) are joined back into paragraphs (``weblines``);
- the header (lines before the body) yields title, byline (or a bare name by the dateline), date
  (``webmeta``);
- lines that are not sentences (short and without sentence-final punctuation: menus, headline
  lists, captions and their credits, widget labels) are dropped, and so are the lists under "Related" /
  "Читайте также" / "相关新闻" headings and labelled lines (tags, credits, copyright, cookies,
  comment forms, print and font controls) in English, Russian and Chinese (``webfurniture``);
- after the last body paragraph only sentences of some length survive;
- a channel's page of posts (``webfeed``) is reduced to its main post first.
"""

from __future__ import annotations

import re
from dataclasses import replace

from knowledge.models import DocumentMeta
from knowledge.pdftext import cover_issuer, cover_title, is_pdf_copy, strip_pages
from knowledge.text import cjk_count, word_count
from knowledge.webfeed import feed_post
from knowledge.webfurniture import (
    BRACKETED_CREDIT,
    BULLET,
    COMMENTS,
    CREDIT,
    END_MARK,
    PHOTO_LINE,
    RELATED,
    is_furniture,
)
from knowledge.weblines import ITEM_MARK, paragraphs
from knowledge.webmail import forwarded
from knowledge.webmeta import header_meta
from knowledge.wrapwidth import ends_sentence, size

__all__ = ["clean_web_text", "is_furniture", "is_sentence"]


def is_sentence(line: str) -> bool:
    """Prose rather than a label: ends like a sentence and has some length, or is long."""
    n = size(line)
    return n >= 25 or (ends_sentence(line) and n >= 6)


# a footnote's mark in the text ("…of capital for everyone.[3]"): never quoted, it would read as
# one of the answer's own citation numbers
_NOTE_MARK = re.compile(r"(?<=[^\W\d_]|[.,;:!?»”\"')。，；：！？」）])\[\d{1,3}\]")


def _without_pull_quotes(paras: list[str]) -> list[str]:
    """A pull quote (a sentence of the article set apart in display type) repeats a paragraph's
    words: a paragraph found whole inside a longer one, or again after its first copy, goes."""
    bare = [_LETTERS.sub("", para).casefold() for para in paras]  # "risk." and "risk," the same
    out = []
    for i, para in enumerate(paras):
        if len(bare[i]) >= 20 and any(j != i and bare[i] in other and (len(other) > len(bare[i]) or j < i)
                                      for j, other in enumerate(bare)):
            continue
        out.append(para)
    return out


_LETTERS = re.compile(r"[\W_]+")
# an embedded post's media link after its text: "… by 2030. pic.twitter.com/Rk7Lq2Vd0s"
_MEDIA_LINK = re.compile(r"\s+(?:pic\.twitter\.com|t\.co)/\S+$")


def _bilingual_captions(lines: list[str]) -> set[int]:
    """A short sentence followed by its short version in the other script (a caption given in
    English and in Chinese: "Students talk with recruiters…" / "学生们在招聘会上…"): both lines."""
    out: set[int] = set()
    for i in range(len(lines) - 1):
        a, b = lines[i].strip(), lines[i + 1].strip()
        if not (ends_sentence(a) and ends_sentence(b) and size(a) <= 20 and size(b) <= 20):
            continue
        if bool(cjk_count(a)) != bool(cjk_count(b)):  # one in Chinese, the other not at all
            out |= {i, i + 1}
    return out


_NUMBERED = re.compile(r"^\d{1,2}[.)]\s")


def _listed(lines: list[str]) -> set[int]:
    """Indices of the numbered or bulleted items right under a list heading ("Главное", "Related")."""
    out: set[int] = set()
    for i, line in enumerate(lines):
        if RELATED.match(line.strip()):
            j = i + 1
            while j < len(lines) and (_NUMBERED.match(lines[j].strip()) or ITEM_MARK.match(lines[j].strip())):
                out.add(j)
                j += 1
    return out


def _headline_question(lines: list[str], i: int) -> bool:
    """A headline asking a question ("…热到了什么程度？") or a standfirst without a full stop, over
    its byline or dateline: a line that asks, exclaims or does not end like a sentence, followed by
    a line that is not prose, is a heading, not the body's first line."""
    line = lines[i].rstrip()
    heading = line.endswith(("?", "!", "？", "！")) or not ends_sentence(line)
    return heading and i + 1 < len(lines) and not is_sentence(lines[i + 1])


def clean_web_text(text: str) -> tuple[str, DocumentMeta]:
    """The article text of a pasted page (paragraphs separated by blank lines) and its metadata."""
    pdf = is_pdf_copy(text)
    raw = strip_pages(text)
    lines = paragraphs(raw)
    feed = feed_post(lines)  # a channel's page of posts: its main post only
    if feed is not None:
        lines = feed.lines
    mail = forwarded(lines)  # a forwarded e-mail: the message under its headers, not the note above
    if mail is not None:
        lines = lines[mail.start:]
    listed = _listed(lines)  # a "Главное" / "Key points" list over the byline is not the body
    body_start = next((i for i, ln in enumerate(lines) if is_sentence(ln) and not is_furniture(ln)
                       and i not in listed and not _headline_question(lines, i)), 0)
    meta, used = header_meta(lines, body_start)
    if feed is not None:
        meta = replace(meta, title=feed.title or meta.title, source=feed.channel or meta.source,
                       author=feed.author or meta.author, date=feed.date or meta.date)
    if mail is not None:
        meta = replace(meta, title=mail.subject or meta.title, source=mail.sender or meta.source,
                       date=mail.date or meta.date)
    last_body = max((i for i, ln in enumerate(lines) if is_sentence(ln) and word_count(ln) >= 15
                     and not is_furniture(ln)), default=len(lines) - 1)
    # a caption: the line over a credit line ("Reuters/Jane Doe"), or a short one over a credit in brackets
    captions = {i for i in range(len(lines) - 1) if PHOTO_LINE.match(lines[i + 1].strip())
                or (BRACKETED_CREDIT.match(lines[i + 1].strip()) and word_count(lines[i]) <= 30)}
    captions |= _bilingual_captions(lines)
    kept: list[str] = []
    in_list = False
    for i, line in enumerate(lines):
        bare = END_MARK.sub("", BULLET.sub("", line)).strip()
        if RELATED.match(bare):
            in_list = True
            continue
        if i > body_start and COMMENTS.match(bare):
            break
        if in_list and not (is_sentence(bare) and size(bare) >= 15):  # a headline, however asked
            continue
        in_list = False
        if i in used or i in captions or is_furniture(line) or not is_sentence(bare):
            continue
        if i > last_body and word_count(bare) < 10:
            continue
        if i < body_start and not ends_sentence(bare):  # a standfirst without a full stop
            continue
        kept.append(_MEDIA_LINK.sub("", _NOTE_MARK.sub("", CREDIT.sub("", bare))))
    body = "\n\n".join(k for k in _without_pull_quotes(kept) if k.strip())
    if pdf and (title := cover_title(raw.split("\n"))):  # a copied PDF's cover names it
        meta = replace(meta, title=title)
    if pdf and (issuer := cover_issuer(text)):  # and who issued it
        meta = replace(meta, source=issuer)
    if not meta.title and body:  # a post with no headline is known by its first line
        first = _FIRST_SENTENCE.match(body.split("\n\n", 1)[0])
        if first and len(first.group()) <= 150:
            meta = replace(meta, title=first.group().strip())
    return body, meta


_FIRST_SENTENCE = re.compile(r".+?(?:[.!?](?=\s|$)|[。！？]|$)")
