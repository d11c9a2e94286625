"""``records``: every record of every kind, one row each, and its full-text index ``records_fts``.

Full-text search and Chinese: FTS5's unicode61 tokenizer makes a run of Han characters one token
(苏州工业园区 is one word to it), and the trigram tokenizer matches nothing shorter than three
characters (苏州 is two). ``records_fts`` uses unicode61 and has two more columns, from the first
``ZH_CAP`` Han characters of each field: ``zh``, every substring of one to ``ZH_NGRAM`` characters
of every run of Han characters (a Chinese query that short is one token, and matches wherever it
occurs), and ``zh2``, each run as the sequence of its overlapping pairs of characters (a longer
query is the phrase of its pairs: ``zh_match``). Both are linear in the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..domain import kinds
from ..domain.model import Record
from .tables import Column, Table, _literal, _one_of

ZH_NGRAM = 4  # the longest Chinese query the index answers as one token (zh); longer: a phrase (zh2)
ZH_CAP = 2000  # Han characters per field in the Chinese index (the longest searchable field has 424)
ZH_BREAK = "\ue000"  # a token between two runs in zh2 (private use: no query holds it)
TOKENIZER = "unicode61 remove_diacritics 2"
RECORDS, RECORDS_FTS = "records", "records_fts"


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")


def _han_runs(texts: Iterable[str | None]) -> Iterator[str]:
    """The runs of Han characters of each text, the first ZH_CAP characters of them per text."""
    for text in texts:
        if not text:
            continue
        budget = ZH_CAP
        for match in _HAN.finditer(text):
            run = match.group()[:budget]
            budget -= len(run)
            yield run
            if budget <= 0:
                break


def zh_ngrams(*texts: str | None) -> str:
    """Every substring of one to ZH_NGRAM characters of every run of Han characters in ``texts``
    (the first ZH_CAP of them per text), each once, shortest first, separated by spaces: the
    unicode61 tokenizer indexes each as a token, so that a Chinese query of up to ZH_NGRAM
    characters (one token to it) matches a text that contains it anywhere. At most ZH_NGRAM
    tokens per character: linear in the text."""
    grams: dict[str, None] = {}
    runs = list(_han_runs(texts))
    for size in range(1, ZH_NGRAM + 1):
        for run in runs:
            for start in range(len(run) - size + 1):
                grams[run[start : start + size]] = None
    return " ".join(grams)


def zh_bigrams(*texts: str | None) -> str:
    """Each run of Han characters (the first ZH_CAP per text) as the sequence of its overlapping
    pairs of characters (a run of one: that character), runs apart by ZH_BREAK: a longer query
    is the phrase of its pairs in this column (``zh_match``), which matches where the text holds
    it. Two tokens per character at most."""
    out: list[str] = []
    for run in _han_runs(texts):
        if out:
            out.append(ZH_BREAK)
        out.extend(run[i : i + 2] for i in range(max(len(run) - 1, 1)))
    return " ".join(out)


def zh_match(text: str) -> str:
    """An FTS5 query for ``records_fts`` that finds ``text`` (Chinese, English or both) as the
    export indexes it: each run of Han characters of up to ZH_NGRAM characters is a token (of
    ``zh``, or of ``text`` when it is a whole run there); a longer one is the phrase of its
    pairs of characters in ``zh2``; other words are tokens as FTS5 reads them."""
    parts: list[str] = []
    at = 0
    for match in _HAN.finditer(text):
        parts += [f'"{w}"' for w in re.findall(r"[^\W_]+", text[at : match.start()])]
        run = match.group()
        if len(run) <= ZH_NGRAM:
            parts.append(f'"{run}"')
        else:
            parts.append('zh2 : "' + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + '"')
        at = match.end()
    parts += [f'"{w}"' for w in re.findall(r"[^\W_]+", text[at:])]
    return " AND ".join(parts)


def searchable(record: Record) -> Iterator[str]:
    """Every text the registry makes searchable in a record, as ``oscli search`` reads them."""
    from ..domain.searchindex import fields_of

    return (text for _, text, _ in fields_of(record))


def _records_table() -> Table:
    names = kinds.names()
    return Table(
        RECORDS,
        "Every record of every kind, one row each: full-text search in English and Chinese "
        "across every kind, over the fields with a search weight (names, titles, quotes, statements, "
        "targets, definitions, notes). Each kind's table searches the same index.",
        (
            Column(
                "number",
                "INTEGER",
                "the record's number: its rowid here, in its kind's table and in the full-text index",
                True,
                primary=True,
            ),
            Column(
                "record_type",
                "TEXT",
                "the kind of record: " + ", ".join(names),
                True,
                check=_one_of("record_type", names),
            ),
            Column("record_id", "TEXT", "the record's id", True),
            Column("label", "TEXT", "what names the record: its name, title or term, or a description"),
        ),
        unique=("record_type", "record_id"),
        label="label",
        facets=("record_type",),
    )


def _fts_ddl() -> str:
    """The one full-text index, without a copy of the text (the kinds' tables hold it)."""
    return f"CREATE VIRTUAL TABLE {RECORDS_FTS} USING fts5(text, zh, zh2, content='', tokenize={_literal(TOKENIZER)})"
