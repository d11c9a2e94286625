"""Characters in an id that a reader cannot tell apart from ASCII, or cannot see at all.

Ids are typed at the command line: ``dаlian`` with a Cyrillic ``а`` (U+0430), or ``dalian`` with
a zero-width space inside, looks right in an editor and names nothing. ``oscli check`` says which
character it is and what to type instead (rule OSC114). Only consulted for text that is not
already a valid id, so it costs nothing on good data.
"""

from __future__ import annotations

import unicodedata

# Letters of other scripts drawn like ASCII ones (the common cases of Unicode's confusables list),
# and dashes drawn like a hyphen-minus. NFKC covers the rest (fullwidth forms, ligatures).
_LOOKS_LIKE = {
    **dict(zip("аеорсухіјѕԁһԛԝкмнтвӏ", "aeopcyxijsdhqwkmhtbl", strict=True)),  # Cyrillic
    **dict(zip("αοιкντρυχεϲ", "aoikvtpuxec", strict=True)),  # Greek (and a Cyrillic ka)
    **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
}


def invisible(char: str) -> bool:
    """A character that draws nothing: format controls (zero-width space, joiners, BOM, soft
    hyphen) and spaces other than the ASCII one."""
    return unicodedata.category(char) in ("Cf", "Zs", "Zl", "Zp", "Mn") and char != " "


def ascii_for(char: str) -> str | None:
    """The ASCII character ``char`` is drawn like, if any."""
    if char in _LOOKS_LIKE:
        return _LOOKS_LIKE[char]
    folded = unicodedata.normalize("NFKC", char).lower()
    return folded if len(folded) == 1 and folded.isascii() and (folded.isalnum() or folded == "-") else None


def first_problem(text: str) -> tuple[int, str, str] | None:
    """(index, what, ASCII suggestion) for the first invisible or look-alike character in ``text``."""
    for index, char in enumerate(text):
        if char.isascii():
            continue
        name = unicodedata.name(char, "unnamed")
        if invisible(char):
            return index, f"the invisible character U+{ord(char):04X} ({name})", ""
        same = ascii_for(char)
        if same is not None:
            return index, f"U+{ord(char):04X} ({name}), which looks like '{same}'", same
    return None


def suggestion(text: str) -> str:
    """``text`` with every look-alike replaced by its ASCII letter and invisible characters dropped."""
    return "".join(c if c.isascii() else ("" if invisible(c) else (ascii_for(c) or c)) for c in text)
