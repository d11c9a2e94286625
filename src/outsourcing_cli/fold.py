"""How two spellings of one name are made alike: for search and for name lookups. Pure.

- ``fold``: Unicode compatibility form (full-width to half-width), case folded;
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
    return unicodedata.normalize("NFKC", text).casefold()


def compact(text: str) -> str:
    """Letters and digits only, case-folded: what two spellings of one name have in common."""
    return _NOT_WORD.sub("", strip_apostrophes(fold(text)))


def words(text: str) -> list[str]:
    return _WORD.findall(strip_apostrophes(fold(text)))


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def name_key(text: str) -> str:
    """The form under which a name is looked up: ``Xi'an``, ``xian``, ``Xī'ān`` and ``XI-AN`` agree;
    so do ``苏州`` and ``苏州市``."""
    key = compact(_strip_marks(text))
    for suffix in _ZH_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix):
            return key[: -len(suffix)]
    return key
