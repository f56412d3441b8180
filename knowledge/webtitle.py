"""The headline of a pasted page among the lines over its body (pure functions), and the date
labels that tell a headline from a dateline."""

from __future__ import annotations

import re

from knowledge.text import CLOCK, STAMP, cjk_count, find_date, word_count
from knowledge.webfurniture import CREDIT_LINE, is_furniture
from knowledge.wrapwidth import ends_sentence

PUBLISHED = re.compile(r"published|posted|submitted|release date|опубликован|дата (?:публикации|выхода)"
                       r"|жарияланд"
                       r"|发布|发表",
                        re.IGNORECASE)
UPDATED = re.compile(r"updated|modified|обновлен|изменен|更新|编辑于", re.IGNORECASE)


_TIMED_ENTRY = re.compile(r"^\d{1,2}:\d{2}\s")


def headline(head: list[str], used: set[int], source: str) -> int | None:
    """The headline: the longest line that is neither used nor furniture nor a sentence, or the
    line just above it when that one is about as prominent (a headline over an unpunctuated
    subtitle: the title is the first of them) and is not a breadcrumb, a label or the slogan under
    the masthead (the line naming the publisher)."""
    top = next((i for i, ln in enumerate(head) if not is_furniture(ln)), 0)  # the masthead's line
    candidates = {i: ln for i, ln in enumerate(head)
                  if (i not in used or dated_headline(ln)) and not is_furniture(ln) and not _stamp(ln)
                  and not ends_sentence(ln.rstrip("?!？！")) and (word_count(ln) >= 4 or cjk_count(ln) >= 6)}
    # the line naming the publisher (an embassy's or a ministry's long masthead) is not the headline,
    # nor is an entry of a live page led by its time ("16:25 Leaders sign 14 documents")
    candidates = {i: ln for i, ln in candidates.items()
                  if (not source or ln.strip().casefold() != source.casefold())
                  and not _TIMED_ENTRY.match(ln.strip())} or candidates
    # the masthead's slogan: the line under it, over the site's menu ("The magazine for grain…" / "Home")
    below = next((ln for ln in head[top + 2:] if ln.strip()), "")
    item = 0 < word_count(below) <= 2 and not cjk_count(below) and not ends_sentence(below)
    menu = is_furniture(below) or item
    if top + 1 in candidates and len(candidates) > 1 and menu:
        del candidates[top + 1]
    if not candidates:
        return None
    # a photo's caption (the line over its credit, or under it) below the first candidate is not
    # the headline, nor is the standfirst over a credit that heads its caption
    captions = {j for i, ln in enumerate(head) if CREDIT_LINE.match(ln.strip()) for j in (i - 1, i + 1)}
    captions.discard(min((i for i in candidates if i != top), default=top))  # the headline may sit on a photo
    candidates = {i: ln for i, ln in candidates.items() if i not in captions}
    best = max(candidates, key=lambda i: (word_count(candidates[i]), -i))
    above = candidates.get(best - 1, "")
    crumbs = re.search(r"\s[»›>→/|]\s|[:：]\s*$", above)
    slogan = best - 2 == top and bool(source) and head[top].strip().casefold() == source.casefold()
    # (a line of twenty words or more is a standfirst, whatever the headline's length; Chinese
    # headlines are long)
    longest = candidates[best]
    # (a kicker of four words or fewer over it, "Russia and Eurasia Program", is a section's label)
    prominent = (word_count(above) >= max(0.4 * word_count(longest), 4.5 if not cjk_count(above) else 0)
                 or (not cjk_count(longest) and word_count(longest) >= 20))
    if above and prominent and not crumbs and not slogan:
        return best - 1
    return best


def dated_headline(line: str) -> bool:
    """A headline that holds a date ("… Regular Press Conference on February 11, 2026",
    "2026年1月15日外交部发言人…主持例行记者会"): a dated line with a headline's words besides the date."""
    _, m = find_date(line)
    if (m is None or PUBLISHED.search(line) or UPDATED.search(line) or CLOCK.search(line)
            or re.search(r"[.。]\s", line)):  # a caption's sentence, dated, with its credit after it
        return False
    if line[: m.start()].rstrip().endswith((",", "，", "|", "｜", "·", "-", "–", "—")):  # "Site, July 24"
        return False
    rest = line[: m.start()] + " " + line[m.end():]
    return word_count(rest) >= 6 or cjk_count(rest) >= 10


def _stamp(line: str) -> bool:
    """A post's time stamp with no year ("4 мар в 18:20", "Mar 4 at 6:20 PM"): not a headline."""
    return STAMP.match(line.strip()) is not None
