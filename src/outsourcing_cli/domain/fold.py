"""How two spellings of one name are made alike: for search and for name lookups. Pure.

- ``fold``: Unicode compatibility form (full-width to half-width), case folded, without tone
  marks or other accents (``Dàlián`` = ``dalian``; one character for one, so positions stay);
- ``simplified``: traditional Chinese characters written in their simplified form (``大連`` =
  ``大连``), by OpenCC's conversion table, loaded on the first text with a Han character;
- ``compact``: letters and digits only (``Xi'an`` = ``xian``, ``1,000-100-10`` = ``100010010``);
- ``name_key``: ``compact`` without tone marks or other accents (``Xī'ān`` = ``xian``), and for
  Chinese names without the administrative suffix (``苏州市`` = ``苏州``, ``江苏省`` = ``江苏``).
"""

from __future__ import annotations

import re
import unicodedata

# (No regular expression holds a character beyond Latin-1: compiling one costs 0.5-3 ms at start-up,
# as re builds a table of 65,536 characters. Such classes are written as str methods here.)
APOSTROPHES = "'\u2019\u2018`"
_NO_APOSTROPHES = dict.fromkeys(map(ord, APOSTROPHES))
_NOT_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
# longest first: 广西壮族自治区 loses the whole suffix, not just 区
_ZH_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "市", "省")


def strip_apostrophes(text: str) -> str:
    return text.translate(_NO_APOSTROPHES)


def is_cjk(char: str) -> bool:
    """A CJK ideograph (the unified ideographs, extension A and the compatibility block)."""
    code = ord(char)
    return 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


def has_cjk(text: str) -> bool:
    return any(map(is_cjk, text))


def fold(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return folded if folded.isascii() else _without_marks(folded)


def is_mark(char: str) -> bool:
    """A combining accent (U+0300-U+036F: grave, acute, macron, caron, diaeresis...)."""
    return "\u0300" <= char <= "\u036f"


def _without_marks(text: str) -> str:
    """Latin letters without their accents (tone marks in pinyin: ``Xī'ān``, ``Lǚdà``); other
    scripts' marks (kana's voicing marks, Hangul's jamo) are kept."""
    decomposed = unicodedata.normalize("NFD", text)
    if decomposed == text and not any(map(is_mark, text)):
        return text
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not is_mark(c)))


# -- traditional and simplified Chinese --------------------------------------------------------------
# OpenCC (the `opencc` package: the OpenCC project's own binding and its dictionaries) converts
# traditional to simplified characters. Importing it and loading its t2s configuration costs about
# 60 ms, so it happens only when a text with a Han character is folded: a query typed in Chinese,
# and the search index (built once per data change and kept by the cache). Each character is
# converted alone, so that a folded text has as many characters as the original (the search maps
# positions back), and kept in a table: a text has few distinct characters.
_T2S: dict[str, str] = {}
_CONVERTER = None


def simplified(text: str) -> str:
    """``text`` with each traditional Chinese character in its simplified form (``蘇州`` ->
    ``苏州``), character for character; a text without Han characters is returned as it is."""
    if not has_cjk(text):
        return text
    table = _T2S
    out = []
    for char in text:
        found = table.get(char)
        if found is None:
            found = table[char] = _convert(char) if is_cjk(char) else char
        out.append(found)
    return "".join(out)


def _convert(char: str) -> str:
    global _CONVERTER
    if _CONVERTER is None:
        import opencc

        _CONVERTER = opencc.OpenCC("t2s")
    converted = _CONVERTER.convert(char)
    return converted if len(converted) == 1 else char


def compact(text: str) -> str:
    """Letters and digits only, case-folded: what two spellings of one name have in common."""
    return _NOT_WORD.sub("", strip_apostrophes(fold(text)))


def words(text: str) -> list[str]:
    return _WORD.findall(strip_apostrophes(fold(text)))


def name_key(text: str, han: bool = False) -> str:
    """The form under which a name is looked up: ``Xi'an``, ``xian``, ``Xī'ān`` and ``XI-AN`` agree;
    so do ``苏州`` and ``苏州市``; with ``han``, also ``蘇州`` (traditional characters folded)."""
    key = compact(text)  # (compact folds: tone marks and accents go there)
    if han:
        key = simplified(key)
    for suffix in _ZH_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key


def sort_text(text: str) -> str:
    """Text as it sorts for a reader: case and accents ignored (Ürümqi between Tianjin and Wuhan)."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
