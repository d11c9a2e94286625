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
from typing import Iterator, Optional

from . import kinds as registry
from .fold import APOSTROPHES, compact, fold, has_cjk, is_cjk, is_mark, simplified, strip_apostrophes
from .frozen import Frozen
from .model import FactBase, Record

EXACT, PREFIX, WORD, FUZZY = "exact", "prefix", "word", "fuzzy"
_SCORES = {EXACT: 90.0, PREFIX: 70.0, WORD: 50.0, FUZZY: 30.0}

# words, apostrophes within them included: read after _STRAIGHT makes every apostrophe ASCII (one
# character for one, so positions stay), as a class beyond Latin-1 is slow to compile (see fold)
_TOKEN = re.compile(r"\d+|[^\W\d_]+(?:['`][^\W\d_]+)*")
_STRAIGHT = {0x2019: "'", 0x2018: "'"}


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


class Token:
    """A word of a text: folded (lower case, no apostrophes), and where it is in the text. (A bare
    slotted class, not Frozen: a search makes thousands of them and keeps none.)"""

    __slots__ = ("text", "start", "end")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"


def tokens(text: str) -> list[Token]:
    if text.isascii():  # the same words, faster: folding ASCII is lower-casing
        return [Token(strip_apostrophes(m.group().lower()), m.start(), m.end())
                for m in _TOKEN.finditer(text)]
    return [Token(_folded_word(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text.translate(_STRAIGHT))]


def _folded_word(word: str) -> str:
    folded = _FOLDED.get(word)
    if folded is None:
        folded = _FOLDED[word] = strip_apostrophes(fold(word))
    return folded


_FOLDED: dict[str, str] = {}  # a word recurs across fields: fold it once per run


def plain_words(text: str) -> str:
    """The text's folded words, taken together: a word of the text can equal, start with or (in
    Chinese) contain a query word only if this contains that query word."""
    if text.isascii():  # folded ASCII words are the lower-cased text without apostrophes
        return strip_apostrophes(text.lower())
    return "\0".join(_folded_word(word) for word in _TOKEN.findall(text.translate(_STRAIGHT)))


def _cannot_match_words(query: "Query", plain: str) -> bool:
    """A quick proof, from ``plain_words``, that no word-level match exists, before making any
    Token. (Fuzzy words are not ruled out this way.)"""
    return any(wanted not in plain for wanted in query.tokens)


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
        self._memo: dict[tuple[str, str, bool], Optional[str]] = {}

    def word_match(self, wanted: str, word: str, fuzzy: bool) -> Optional[str]:
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
        elif fuzzy and allowed_edits(wanted) and word[:1] == wanted[:1] \
                and distance_at_most(wanted, word, allowed_edits(wanted)):
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


def _phrase(text: str, query: "Query") -> Optional[tuple[int, int, str]]:
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


def match(query: Query, text: str, fuzzy: bool = False, forms: Optional[tuple[str, str]] = None,
          ) -> Optional[tuple[float, int, int, str]]:
    """(score before weight, start, end, how) of the best match of the query in one field, or None.
    ``fuzzy``: also try close words (the caller does so only when nothing else matched). ``forms``:
    the text's ``compact`` and ``plain_words``, when the caller has them (a SearchIndex)."""
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
    first: Optional[Token] = None
    worst = EXACT
    for wanted in query.tokens:
        best: Optional[tuple[str, Token]] = None
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
    how = FUZZY if worst == FUZZY else WORD
    return _SCORES[how], first.start, first.end, how


def _rank(how: str) -> int:
    return (EXACT, PREFIX, WORD, FUZZY).index(how)


def search(base: FactBase, text: str, kinds: Optional[set[str]] = None, exact_only: bool = False,
           index: Optional["SearchIndex"] = None) -> list[Hit]:
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


def _search(index: "SearchIndex", query: Query, fields, kinds: Optional[set[str]], fuzzy: bool) -> list[Hit]:
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
            weight = weights[(kind, name)] = registry.KINDS[kind].field(name.partition("[")[0]).weight
        raw, start, end, how = found
        score = round(raw * weight)
        held = best.get(record)
        if held is None or score > held.score:
            best[record] = Hit(kind, record_id, name, text, start, end, score, how)
    return list(best.values())


class SearchIndex:
    """Every searchable field of a fact base (``fields_of``), with the two forms search compares:
    its ``compact`` text and its ``plain_words``. Each form of every field is kept in one string,
    each field ended by U+001F (which neither form holds), so that the fields a query could match
    are found by ``str.find`` over the whole base, and only those are matched in full. Built in one pass; the cache keeps it (``to_bytes``), since building it is
    most of the time a search takes on a large base.

    ``records``: (kind, id) of each record with a searchable field; per field, ``field_record``
    (into records) and ``field_name`` (into names)."""

    END = "\x1f"
    FORMAT = 2  # 2: traditional characters and accents folded

    def __init__(self, records: list, field_record: list[int], field_name: list[int], names: list[str],
                 texts: tuple[str, str, str], lengths: tuple[list[int], list[int], list[int]]) -> None:
        from itertools import accumulate

        self.records, self.field_record, self.field_name, self.names = records, field_record, field_name, names
        self.texts = texts  # the text, compact and plain forms of every field, each field ended by END
        self.lengths = lengths
        self.starts = tuple([0, *accumulate(n + 1 for n in counts)] for counts in lengths)

    def __len__(self) -> int:
        return len(self.field_record)

    @classmethod
    def build(cls, base: FactBase) -> "SearchIndex":
        records: list = []
        field_record: list[int] = []
        field_name: list[int] = []
        names: dict[str, int] = {}
        forms: tuple[list[str], list[str], list[str]] = ([], [], [])
        for kind in registry.KINDS:
            for record in base.of(kind):
                number = None
                for name, text, _ in fields_of(record):
                    if number is None:
                        number = len(records)
                        records.append((kind, record.id))
                    field_record.append(number)
                    field_name.append(names.setdefault(name, len(names)))
                    # (a compact text holds no U+001F; plain words could, and the separator they are
                    # found by must not: any other non-word character keeps what they contain)
                    han = simplified(text)  # (the compact and plain forms in simplified characters)
                    plain = plain_words(han).replace(cls.END, "\0")
                    for form, value in zip(forms, (text, compact(han), plain)):
                        form.append(value)
        texts = tuple(cls.END.join(form) + (cls.END if form else "") for form in forms)
        return cls(records, field_record, field_name, list(names), texts,
                   tuple([len(value) for value in form] for form in forms))

    def text_of(self, number: int) -> str:
        return self._form(0, number)

    def forms_of(self, number: int) -> tuple[str, str]:
        return self._form(1, number), self._form(2, number)

    def _form(self, which: int, number: int) -> str:
        starts = self.starts[which]
        return self.texts[which][starts[number]:starts[number + 1] - 1]

    def _fields_holding(self, which: int, needle: str) -> set[int]:
        from bisect import bisect_right

        whole, starts, found = self.texts[which], self.starts[which], set()
        at = whole.find(needle)
        while at != -1:
            number = bisect_right(starts, at) - 1
            found.add(number)
            at = whole.find(needle, starts[number + 1])  # the next field
        return found

    def candidates(self, query: Query) -> list[int]:
        """The fields that could match ``query`` other than fuzzily, in order: its compact text is
        in theirs, or each of its words is among their words (what ``match`` itself checks first)."""
        if not query.compact:
            return []
        found = self._fields_holding(1, query.compact)
        words: Optional[set[int]] = None
        # the longest word first (usually the rarest); each next word is looked for only in the fields
        # that hold all the words before it, and none once no field does: a long query costs one pass
        # over the index, then less and less (one pass per word made 255 one-letter words 19 s at 100x)
        for wanted in sorted(query.tokens, key=len, reverse=True):
            if words is None:
                words = self._fields_holding(2, wanted)
            else:
                words = {number for number in words if wanted in self._form(2, number)}
            if not words:
                break
        return sorted(found | (words or set()))

    def to_bytes(self) -> bytes:
        import json

        encoded = [text.encode("utf-8", "surrogatepass") for text in self.texts]
        header = json.dumps({"format": self.FORMAT, "records": self.records, "field_record": self.field_record,
                             "field_name": self.field_name, "names": self.names, "lengths": self.lengths,
                             "bytes": [len(e) for e in encoded]}, ensure_ascii=False, separators=(",", ":"))
        return header.encode("utf-8") + b"\n" + b"".join(encoded)

    @classmethod
    def from_bytes(cls, raw: bytes) -> "SearchIndex":
        """An index from ``to_bytes``; anything else raises."""
        import json

        newline = raw.index(b"\n")
        header = json.loads(raw[:newline])
        if header["format"] != cls.FORMAT or sum(header["bytes"]) != len(raw) - newline - 1:
            raise ValueError("another format, or a cut index")
        texts, at, view = [], newline + 1, memoryview(raw)
        for size in header["bytes"]:
            texts.append(str(view[at:at + size], "utf-8", "surrogatepass"))  # (no copy of the bytes)
            at += size
        lengths = tuple(header["lengths"])
        index = cls([tuple(r) for r in header["records"]], header["field_record"], header["field_name"],
                    header["names"], tuple(texts), lengths)
        if len(texts) != 3 or any(len(t) != s[-1] for t, s in zip(texts, index.starts)) or not (
                len(index.field_name) == len(index.field_record) == len(lengths[0]) == len(lengths[1]) == len(lengths[2])):
            raise ValueError("an index of another shape")
        return index


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
