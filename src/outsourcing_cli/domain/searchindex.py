"""The search index: every searchable field of a fact base, in the forms search compares, and the
words of a text (``tokens``). Pure. Built once a base (the cache keeps it); search.py matches and
scores against it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from . import kinds as registry
from .fold import compact, fold, simplified, strip_apostrophes
from .model import FactBase, Record

if TYPE_CHECKING:
    from typing import Protocol

    class Query(Protocol):  # what ``candidates`` reads of a search.Query (search imports this module)
        @property
        def compact(self) -> str: ...
        @property
        def tokens(self) -> list[str]: ...


# words, apostrophes within them included: read after _STRAIGHT makes every apostrophe ASCII (one
# character for one, so positions stay), as a class beyond Latin-1 is slow to compile (see fold)
_TOKEN = re.compile(r"\d+|[^\W\d_]+(?:['`][^\W\d_]+)*")
_STRAIGHT = {0x2019: "'", 0x2018: "'"}


class Token:
    """A word of a text: folded (lower case, no apostrophes), and where it is in the text. (A bare
    slotted class, not Frozen: a search makes thousands of them and keeps none.)"""

    __slots__ = ("end", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.start, self.end = text, start, end

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"


def tokens(text: str) -> list[Token]:
    if text.isascii():  # the same words, faster: folding ASCII is lower-casing
        return [Token(strip_apostrophes(m.group().lower()), m.start(), m.end()) for m in _TOKEN.finditer(text)]
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

    def __init__(
        self,
        records: list[tuple[str, str]],
        field_record: list[int],
        field_name: list[int],
        names: list[str],
        texts: tuple[str, ...],
        lengths: tuple[list[int], ...],
    ) -> None:  # three of each
        from itertools import accumulate

        self.records, self.field_record, self.field_name, self.names = records, field_record, field_name, names
        self.texts = texts  # the text, compact and plain forms of every field, each field ended by END
        self.lengths = lengths
        self.starts = tuple([0, *accumulate(n + 1 for n in counts)] for counts in lengths)

    def __len__(self) -> int:
        return len(self.field_record)

    @classmethod
    def build(cls, base: FactBase) -> SearchIndex:
        records: list[tuple[str, str]] = []
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
                    for form, value in zip(forms, (text, compact(han), plain), strict=True):
                        form.append(value)
        texts = tuple(cls.END.join(form) + (cls.END if form else "") for form in forms)
        return cls(
            records,
            field_record,
            field_name,
            list(names),
            texts,
            tuple([len(value) for value in form] for form in forms),
        )

    def text_of(self, number: int) -> str:
        return self._form(0, number)

    def forms_of(self, number: int) -> tuple[str, str]:
        return self._form(1, number), self._form(2, number)

    def _form(self, which: int, number: int) -> str:
        starts = self.starts[which]
        return self.texts[which][starts[number] : starts[number + 1] - 1]

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
        words: set[int] | None = None
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
        header = json.dumps(
            {
                "format": self.FORMAT,
                "records": self.records,
                "field_record": self.field_record,
                "field_name": self.field_name,
                "names": self.names,
                "lengths": self.lengths,
                "bytes": [len(e) for e in encoded],
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return header.encode("utf-8") + b"\n" + b"".join(encoded)

    @classmethod
    def from_bytes(cls, raw: bytes) -> SearchIndex:
        """An index from ``to_bytes``; anything else raises."""
        import json

        newline = raw.index(b"\n")
        header = json.loads(raw[:newline])
        if header["format"] != cls.FORMAT or sum(header["bytes"]) != len(raw) - newline - 1:
            raise ValueError("another format, or a cut index")
        texts, at, view = [], newline + 1, memoryview(raw)
        for size in header["bytes"]:
            texts.append(str(view[at : at + size], "utf-8", "surrogatepass"))  # (no copy of the bytes)
            at += size
        lengths = tuple(header["lengths"])
        index = cls(
            [tuple(r) for r in header["records"]],
            header["field_record"],
            header["field_name"],
            header["names"],
            tuple(texts),
            lengths,
        )
        if (
            len(texts) != 3
            or any(len(t) != s[-1] for t, s in zip(texts, index.starts, strict=False))
            or not (
                len(index.field_name)
                == len(index.field_record)
                == len(lengths[0])
                == len(lengths[1])
                == len(lengths[2])
            )
        ):
            raise ValueError("an index of another shape")
        return index
