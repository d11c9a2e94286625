"""Full-text search over every record: ranked, tolerant of punctuation and of small typos. Pure.

How a field matches the query (the best way wins; scores before the field's weight):

- 100  the whole field equals the query, ignoring case, spaces and punctuation
       ("xian" = "Xi'an", "1000-100-10" = "1,000-100-10", "苏州" = "苏州");
-  80  the field contains the query at the start of a word, ignoring the same;
-  60  the field contains it elsewhere (three characters or more);
-  ≤45 every word of the query matches a word of the field exactly, as the start of a word
       (three letters or more), or within a small edit distance ("suzou" ~ "suzhou": one
       edit for words of 4-7 letters, two from 8).

The score is then multiplied by the field's weight (names and titles 1.0, ids 0.95 so that a name
wins a tie, places and people 0.8,
quoted and stated text 0.6, notes 0.4) and rounded. A record appears once, by its best field.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterator

from . import kinds as registry
from .fold import APOSTROPHES as _APOSTROPHES, compact, fold, words
from .frozen import Frozen
from .model import FactBase, Record


# The longest query, in characters (longer is a usage error). The longest searchable field of the
# data (a term's definition) is 424 characters, so any whole field can still be pasted. Matching
# grows with the query's words times the data's: measured, a 108 KB query of one misspelt word
# repeated took 0.6 s on the shipped data and 62 s on the 100x base; at 512 characters, 0.1 s and
# 0.7 s (docs/measurements/cache-format.md).
MAX_QUERY = 512


class Hit(Frozen):
    kind: str
    id: str
    field: str
    text: str  # the whole field
    start: int  # the match within text
    end: int
    score: int


def fields_of(record: Record) -> Iterator[tuple[str, str, float]]:
    """(field name as in --json, text, weight) for every searchable text of a record: the fields
    the registry gives a search weight, and the text of each of their parts."""
    for spec in registry.KINDS[record.kind].data_fields:
        if not spec.weight:
            continue
        value = getattr(record, spec.name)
        if spec.part is not None:
            text_field = registry.PARTS[spec.part].text
            for index, part in enumerate(value):
                text = getattr(part, text_field)
                if text:
                    yield f"{spec.name}[{index}].{text_field}", text, spec.weight
        elif isinstance(value, str) and value:
            yield spec.name, value, spec.weight


def distance_at_most(a: str, b: str, limit: int) -> bool:
    """Whether the optimal-string-alignment distance (a swap of neighbours counts one) is <= limit."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return False
        previous2, previous = previous, current
    return previous[-1] <= limit


def _allowed_edits(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class Query:
    def __init__(self, text: str) -> None:
        self.text = text
        self.compact = compact(text)
        self.words = words(text)
        self._memo: dict[tuple[str, str], float] = {}

    def word_score(self, wanted: str, word: str) -> float:
        key = (wanted, word)
        score = self._memo.get(key)
        if score is None:
            if word == wanted:
                score = 1.0
            elif len(wanted) >= 3 and word.startswith(wanted):
                score = 0.9
            elif _allowed_edits(wanted) and distance_at_most(wanted, word, _allowed_edits(wanted)):
                score = 0.7
            else:
                score = 0.0
            self._memo[key] = score
        return score


def _locate(text: str, needle_compact: str) -> tuple[int, int, bool]:
    """Where the compact needle lies in the original text: (start, end, at a word start)."""
    positions: list[int] = []
    folded: list[str] = []
    for index, char in enumerate(text):
        for piece in compact(char):
            folded.append(piece)
            positions.append(index)
    haystack = "".join(folded)
    best = None
    at = haystack.find(needle_compact)
    while at != -1:
        start = positions[at]
        before = text[start - 1] if start else " "
        word_start = not before.isalnum() and not _APOSTROPHES.match(before)
        if best is None or (word_start and not best[2]):
            best = (start, positions[at + len(needle_compact) - 1] + 1, word_start)
            if word_start:
                break
        at = haystack.find(needle_compact, at + 1)
    assert best is not None
    return best


def match(query: Query, text: str) -> tuple[float, int, int] | None:
    """(score before weight, start, end) of the best match of the query in one field, or None."""
    field_compact = compact(text)
    if not field_compact or not query.compact:
        return None
    if field_compact == query.compact:
        return 100.0, 0, len(text)
    if query.compact in field_compact:
        start, end, word_start = _locate(text, query.compact)
        if word_start:
            return 80.0, start, end
        if len(query.compact) >= 3 or not query.compact.isascii():  # Chinese words are short
            return 60.0, start, end
    if not query.words:
        return None
    field_words = words(text)
    total = 0.0
    first: str | None = None
    for wanted in query.words:
        best_word, best = None, 0.0
        for word in field_words:
            score = query.word_score(wanted, word)
            if score > best:
                best_word, best = word, score
                if score == 1.0:
                    break
        if not best:
            return None
        total += best
        first = first or best_word
    start, end, _ = _locate(text, first)
    return 45.0 * total / len(query.words), start, end


def search(base: FactBase, text: str, kinds: set[str] | None = None) -> list[Hit]:
    """Every record that matches, by its best field: best first; on a tie, the shorter field (the
    closer match), then by kind and id."""
    query = Query(text)
    hits: list[Hit] = []
    order = {kind: n for n, kind in enumerate(registry.KINDS)}
    for record in (r for kind in registry.KINDS for r in base.of(kind)):
        if kinds is not None and record.kind not in kinds:
            continue
        best: Hit | None = None
        for name, value, weight in fields_of(record):
            found = match(query, value)
            if found is None:
                continue
            raw, start, end = found
            score = round(raw * weight)
            if best is None or score > best.score:  # on a tie, the earlier field (name before city)
                best = Hit(record.kind, record.id, name, value, start, end, score)
        if best is not None:
            hits.append(best)
    hits.sort(key=lambda h: (-h.score, len(h.text), order[h.kind], h.id))
    return hits


def snippet(hit: Hit, width: int = 80) -> tuple[str, int, int]:
    """The field text on one line, cut to about ``width`` characters around the match, with the
    match's new position."""
    text, start, end = hit.text, hit.start, hit.end
    flat = " ".join(text.split())
    if flat != text:  # re-find the match in the one-line text
        prefix = " ".join(text[:start].split())
        start = len(prefix) + (1 if prefix and text[:start][-1:].isspace() else 0)
        end = start + len(" ".join(text[hit.start:hit.end].split()))
        text = flat
    if len(text) <= width:
        return text, start, end
    left = max(0, min(start - width // 3, len(text) - width))
    if left > 0:  # begin at a word
        space = text.find(" ", left, start)
        left = space + 1 if space != -1 else left
    right = min(len(text), max(left + width, end))
    if right < len(text):  # end at a word
        space = text.rfind(" ", end, right)
        right = space if space != -1 else right
    cut = text[left:right]
    shift = left
    if left > 0:
        cut, shift = "…" + cut, left - 1
    if right < len(text):
        cut += "…"
    return cut, start - shift, end - shift
