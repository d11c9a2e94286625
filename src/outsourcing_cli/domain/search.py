"""Full-text search over every record, exact evidence first. Pure.

Case, spaces and punctuation never matter ("Xian" = "Xi'an", "1000-100-10" = "1,000-100-10").
Each field that matches says how (``match`` in JSON), and is scored before its field's weight:

- ``exact`` 100: the whole field is the query;
- ``exact``  90: the query is in the field as whole words (in Chinese, anywhere: no spaces there);
- ``prefix`` 70: the query starts a word ("suz" in Suzhou), three letters or more;
- ``word``   50: every word of the query is a word of the field, in any order;
- ``fuzzy``  30: each word of four letters or more is within a small edit distance of a word of the
  field, with the same first letter (one edit for 4-7 letters, two from 8: "Shenzen" ~ Shenzhen).
  Fuzzy matching applies only when nothing matches exactly, a prefix or word by word, and never
  with ``exact_only``; the caller says the hits are close matches, not matches.

Tone marks and accents never matter ("Dàlián" = "Dalian"), nor do traditional and simplified
Chinese characters ("大連" = "大连"): the index holds every field folded to simplified characters,
and a query with a Han character is folded the same way (``fold.simplified``, OpenCC's table).

Numbers match only whole: "2009" finds "2009", "2009年" and "[2009]", never "20091" or a date
one edit away. The score is multiplied by the field's weight in the registry of kinds (names
and titles 1.0, ids 0.95, places and people 0.8, quoted and stated text 0.6, notes 0.4). A
record appears once, by its best field.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from . import kinds as registry
from .fold import APOSTROPHES, compact, has_cjk, is_cjk, is_mark, simplified, strip_apostrophes
from .frozen import Frozen
from .model import FactBase
from .searchindex import SearchIndex, Token, plain_words, tokens

if TYPE_CHECKING:
    from collections.abc import Iterable

EXACT, PREFIX, WORD, FUZZY = "exact", "prefix", "word", "fuzzy"
_SCORES = {EXACT: 90.0, PREFIX: 70.0, WORD: 50.0, FUZZY: 30.0}


# The longest query, in characters (longer is a usage error). The longest searchable field of the
# data is 424 characters (checked by a test), so any whole field can still be pasted. Matching
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
    match: str = EXACT


def _cannot_match_words(query: Query, plain: str) -> bool:
    """A quick proof, from ``plain_words``, that no word-level match exists, before making any
    Token. (Fuzzy words are not ruled out this way.)"""
    return any(wanted not in plain for wanted in query.tokens)


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


def allowed_edits(word: str) -> int:
    """How many edits a query word may be from a word of the text: none for numbers and short words."""
    if word.isdigit() or any(c.isdigit() for c in word) or has_cjk(word):
        return 0
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


class Query:
    def __init__(self, text: str) -> None:
        self.text = text
        self.han = has_cjk(text)  # a Han character: fields are compared in simplified characters
        folded = simplified(text) if self.han else text
        self.compact, _, self.boundaries = _positions(folded)
        # each word once: a word repeated asks nothing more of a field ("2009 2009 ... 2009" is 2009),
        # and each costs a pass over the index's words
        self.tokens = list(dict.fromkeys(t.text for t in tokens(folded)))
        # words of one or two letters ("as", "of", "no") match only whole, and a query made only of
        # such words matches only as a phrase ("as of" is not any field with "as" and "of" in it)
        self.cjk_words = {t for t in self.tokens if has_cjk(t)}
        self.word_level = any(len(t) >= 3 or t.isdigit() or t in self.cjk_words for t in self.tokens)
        self.cjk = has_cjk(self.compact)
        # the words no edit is allowed in (numbers, short words, Chinese): even a fuzzy match needs each
        # of them among the field's words as it is, which plain_words shows without making any Token
        self.strict = [t for t in self.tokens if not allowed_edits(t)]
        self._memo: dict[tuple[str, str, bool], str | None] = {}

    def word_match(self, wanted: str, word: str, fuzzy: bool) -> str | None:
        """How a query word matches a word of the text: exact, prefix, fuzzy, or None."""
        key = (wanted, word, fuzzy)
        if key in self._memo:
            return self._memo[key]
        how = None
        if word == wanted:
            how = EXACT
        elif len(wanted) < 3:
            how = None
        elif len(wanted) >= 3 and not wanted.isdigit() and word.startswith(wanted) and not word[len(wanted)].isdigit():
            how = PREFIX
        elif (
            fuzzy
            and allowed_edits(wanted)
            and word[:1] == wanted[:1]
            and distance_at_most(wanted, word, allowed_edits(wanted))
        ):
            how = FUZZY
        self._memo[key] = how
        return how


_COMPACT_CHAR: dict[str, str] = {}  # compact() of each character met: a text has few distinct ones
_ASCII_RUN = re.compile(r"[A-Za-z0-9]+")


def _ascii_positions(text: str) -> tuple[str, list[int], set[int]]:
    """_positions of an ASCII text, run by run: its compact characters are its letters and digits,
    lower-cased (a test compares the two on random texts)."""
    pieces: list[str] = []
    positions: list[int] = []
    boundaries: set[int] = set()
    size, last = 0, None
    for run in _ASCII_RUN.finditer(text):
        start, end = run.span()
        if last is not None:
            gap = strip_apostrophes(text[last:start])
            if gap and not (gap in (",", ".") and text[last - 1].isdigit() and text[start].isdigit()):
                boundaries.add(size)
        pieces.append(run.group().lower())
        positions.extend(range(start, end))
        size += end - start
        last = end
    return "".join(pieces), positions, boundaries


def _positions(text: str) -> tuple[str, list[int], set[int]]:
    """The compact form of ``text``; for each of its characters, where it came from in ``text``; and
    its word boundaries: the compact positions that a space or punctuation preceded (not an
    apostrophe, nor a comma or point between digits: 1,000 is one number)."""
    return _ascii_positions(text) if text.isascii() else _any_positions(text)


def _any_positions(text: str) -> tuple[str, list[int], set[int]]:
    folded: list[str] = []
    positions: list[int] = []
    boundaries: set[int] = set()
    gap = ""
    compacted = _COMPACT_CHAR
    for index, char in enumerate(text):
        pieces = compacted.get(char)
        if pieces is None:
            pieces = compacted[char] = compact(char)
        if not pieces:
            if char not in APOSTROPHES and not is_mark(char):  # (a decomposed accent is in its word)
                gap += char
            continue
        if gap and folded:
            digits = folded[-1].isdigit() and pieces[0].isdigit() and gap in (",", ".")
            if not digits:
                boundaries.add(len(folded))
        gap = ""
        for piece in pieces:
            folded.append(piece)
            positions.append(index)
    return "".join(folded), positions, boundaries


def _is_word_char(char: str) -> bool:
    return char.isalnum() and not is_cjk(char)


def _phrase(text: str, query: Query) -> tuple[int, int, str] | None:
    """Where the query is in ``text``: (start, end, exact or prefix), at word boundaries (prefix:
    ending inside a word), never inside a number, and never splitting a word of the query
    ("as of" is not in "a software"). None when it is not there so."""
    needle, cjk = query.compact, query.cjk
    haystack, positions, boundaries = _positions(text)
    best = None
    at = haystack.find(needle)
    while at != -1:
        if any(at < b < at + len(needle) and b - at not in query.boundaries for b in boundaries):
            at = haystack.find(needle, at + 1)
            continue
        start, end = positions[at], positions[at + len(needle) - 1] + 1
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        starts_word = not _is_word_char(before) or cjk or is_cjk(text[start])
        if starts_word and not (before.isdigit() and text[start].isdigit()):
            if not _is_word_char(after) or cjk or is_cjk(text[end - 1]):
                return start, end, EXACT
            if not (after.isdigit() or text[end - 1].isdigit()) and len(needle) >= 3 and best is None:
                best = (start, end, PREFIX)
        at = haystack.find(needle, at + 1)
    return best


def match(
    query: Query,
    text: str,
    fuzzy: bool = False,
    forms: tuple[str, str] | None = None,
) -> tuple[float, int, int, str] | None:
    """(score before weight, start, end, how) of the best match of the query in one field, or None.
    ``fuzzy``: also try close words (the caller does so only when nothing else matched). ``forms``:
    the text's ``compact`` and ``plain_words``, when the caller has them (a SearchIndex)."""
    how: str | None  # EXACT, PREFIX, WORD or FUZZY; None: a word does not match
    if not query.compact:
        return None
    if query.han:  # the same length: positions in the folded text are positions in the text
        text = simplified(text)
    field_compact, plain = forms if forms is not None else (compact(text), None)
    if not field_compact:
        return None
    if field_compact == query.compact and _positions(text)[2] <= query.boundaries:
        return 100.0, 0, len(text), EXACT  # (the text splits no word of the query: "China Daily" is not "chinadaily")
    if query.compact in field_compact:
        found = _phrase(text, query)
        if found is not None:
            start, end, how = found
            return _SCORES[how], start, end, how
    if not query.tokens or not query.word_level:
        return None
    if not fuzzy and _cannot_match_words(query, plain if plain is not None else plain_words(text)):
        return None
    if fuzzy and query.strict:
        plain = plain if plain is not None else plain_words(text)
        if any(wanted not in plain for wanted in query.strict):
            return None
    field_tokens = tokens(text)
    first: Token | None = None
    worst = EXACT
    for wanted in query.tokens:
        best: tuple[str, Token] | None = None
        for token in field_tokens:
            if wanted in query.cjk_words and wanted in token.text:
                how = EXACT
            else:
                how = query.word_match(wanted, token.text, fuzzy)
            if how is not None and (best is None or _rank(how) < _rank(best[0])):
                best = (how, token)
                if how == EXACT:
                    break
        if best is None:
            return None
        first = first or best[1]
        worst = max(worst, best[0], key=_rank)
    assert first is not None  # (query.tokens is not empty: each of its words set it, or returned None)
    how = FUZZY if worst == FUZZY else WORD
    return _SCORES[how], first.start, first.end, how


def _rank(how: str) -> int:
    return (EXACT, PREFIX, WORD, FUZZY).index(how)


def search(
    base: FactBase, text: str, kinds: set[str] | None = None, exact_only: bool = False, index: SearchIndex | None = None
) -> list[Hit]:
    """Every record that matches, by its best field: best first; on a tie, the shorter field (the
    closer match), then by kind and id. Fuzzy matches only when nothing else matches (and never
    with ``exact_only``): then every hit is a fuzzy one. ``index``: the base's SearchIndex, when
    the caller keeps one (the cache does); else it is built here."""
    query = Query(text)
    index = index if index is not None else SearchIndex.build(base)
    hits = _search(index, query, index.candidates(query), kinds, fuzzy=False)
    if not hits and not exact_only:
        hits = _search(index, query, range(len(index)), kinds, fuzzy=True)
    order = {kind: n for n, kind in enumerate(registry.KINDS)}
    hits.sort(key=lambda h: (-h.score, len(h.text), order[h.kind], h.id))
    return hits


def _search(index: SearchIndex, query: Query, fields: Iterable[int], kinds: set[str] | None, fuzzy: bool) -> list[Hit]:
    """The best hit of each record among ``fields`` (indexes into the SearchIndex, in its order:
    a record's fields in their order, so that on a tie the earlier field wins: name before city)."""
    best: dict[int, Hit] = {}
    weights: dict[tuple[str, str], float] = {}
    for number in fields:
        record = index.field_record[number]
        kind, record_id = index.records[record]
        if kinds is not None and kind not in kinds:
            continue
        text, name = index.text_of(number), index.names[index.field_name[number]]
        found = match(query, text, fuzzy, index.forms_of(number))
        if found is None:
            continue
        weight = weights.get((kind, name))
        if weight is None:
            spec = registry.KINDS[kind].field(name.partition("[")[0])
            assert spec is not None  # (the index holds only the kinds' own fields)
            weight = weights[(kind, name)] = spec.weight
        raw, start, end, how = found
        score = round(raw * weight)
        held = best.get(record)
        if held is None or score > held.score:
            best[record] = Hit(kind, record_id, name, text, start, end, score, how)
    return list(best.values())


def snippet(hit: Hit, width: int = 80) -> tuple[str, int, int]:
    """The field text on one line, cut to about ``width`` characters around the match, with the
    match's new position."""
    text, start, end = hit.text, hit.start, hit.end
    flat = " ".join(text.split())
    if flat != text:  # re-find the match in the one-line text
        prefix = " ".join(text[:start].split())
        start = len(prefix) + (1 if prefix and text[:start][-1:].isspace() else 0)
        end = start + len(" ".join(text[hit.start : hit.end].split()))
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
