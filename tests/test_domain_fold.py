"""fold, in-process: how two spellings of a name are made alike, value by value. (tools/mutants.py
runs these first against its mutants of fold.py.)"""

from __future__ import annotations

import pytest

from outsourcing_cli.domain import fold


@pytest.mark.parametrize(
    "name, key",
    [
        ("新疆维吾尔自治区", "新疆"),
        ("广西壮族自治区", "广西"),
        ("宁夏回族自治区", "宁夏"),
        ("西藏自治区", "西藏"),
        ("内蒙古自治区", "内蒙古"),
        ("香港特别行政区", "香港"),
        ("澳门特别行政区", "澳门"),
        ("苏州市", "苏州"),
        ("江苏省", "江苏"),
        ("苏州", "苏州"),
        ("广西", "广西"),
        ("新疆", "新疆"),
        # a name that is only a suffix keeps it; a suffix is cut at the end only, once
        ("市", "市"),
        ("省", "省"),
        ("自治区", "自治区"),
        ("市中", "市中"),
        ("省市", "省"),
    ],
)
def test_a_chinese_name_loses_its_administrative_suffix(name, key):
    assert fold.name_key(name) == key


@pytest.mark.parametrize("name", ["Xi'an", "xian", "Xī'ān", "XI-AN", "Xi’an", "Xi‘an", "Xi`an", "ＸＩＡＮ", "xi_an"])
def test_spellings_of_xian_agree(name):
    assert fold.name_key(name) == "xian"


def test_fold_is_compatibility_form_case_folded():
    assert fold.fold("ＡＢＣ１") == "abc1"
    assert fold.fold("Straße") == "strasse"
    assert fold.fold("Ürümqi") == "urumqi"  # tone marks and accents fold too (issue 20: Dàlián = Dalian)


def test_compact_keeps_letters_and_digits_only():
    assert fold.compact("1,000-100-10") == "100010010"
    assert fold.compact("Xi'an") == fold.compact("Xi’an") == "xian"
    assert fold.compact("a_b c") == "abc"
    assert fold.compact("苏州 工业园区") == "苏州工业园区"
    assert fold.compact("Ürümqi") == "urumqi"  # accents fold in fold(), so in compact() too


def test_words_keep_apostrophes_inside_and_split_elsewhere():
    assert fold.words("Xi'an Hi-Tech") == ["xian", "hi", "tech"]
    assert fold.words("Xi’an_zone") == ["xian", "zone"]
    assert fold.words("ＡＢ cd") == ["ab", "cd"]


def test_strip_apostrophes():
    assert fold.APOSTROPHES == "'\u2019\u2018`"
    assert fold.strip_apostrophes("a'b’c‘d`e") == "abcde"


@pytest.mark.parametrize(
    "char, cjk",
    [
        ("\u33ff", False),
        ("\u3400", True),
        ("\u4dbf", True),
        ("\u4e00", True),
        ("\u9fff", True),
        ("\ua000", False),
        ("\uf8ff", False),
        ("\uf900", True),
        ("\ufaff", True),
        ("\ufb00", False),
        ("a", False),
        ("。", False),
    ],
)
def test_is_cjk_at_the_bounds_of_each_block(char, cjk):
    assert fold.is_cjk(char) is cjk


def test_has_cjk_means_any_character():
    assert fold.has_cjk("Suzhou 苏州") is True
    assert fold.has_cjk("苏州") is True
    assert fold.has_cjk("Suzhou") is False
    assert fold.has_cjk("") is False
