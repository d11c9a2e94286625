"""Chinese text in the order a Chinese reader expects: by pinyin (Hanyu Pinyin), syllable by
syllable, then by tone (1-4, 5 for the neutral tone), as dictionaries and indexes order it.

pypinyin (with its phrase dictionary, so that 重庆 is chóng, 长沙 cháng, 厦门 xià) does the reading.
Its dictionaries take about 0.3-0.6 s to import, so this module is imported only by
`--sort` on a Chinese field (name_zh, title_zh, province_zh): never at start-up.
"""

from __future__ import annotations

_TONES = "012345"


def pinyin_key(text: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """A sort key: each syllable's letters then its tone; the text itself breaks ties."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)
    return tuple((s.rstrip(_TONES).casefold(), s[len(s.rstrip(_TONES)) :]) for s in syllables), text
