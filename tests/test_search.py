"""oscli search: ranking, tolerance of punctuation and typos, fields and highlights."""

from __future__ import annotations

import json
import re

import pytest
from conftest import flat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outsourcing_cli.domain.search import Hit, distance_at_most, search, snippet
from outsourcing_cli.domain.searchindex import fields_of, tokens
from outsourcing_cli.store.load import load
from outsourcing_cli.store.paths import packaged_data_dir


@pytest.fixture(scope="module")
def base():
    return load(packaged_data_dir()).base


def _hits(run, *args):
    result = run("search", *args, "--json")
    return result, json.loads(result.stdout)


def test_search_suzhou_ranks_the_city_then_the_park(run):
    result, hits = _hits(run, "suzhou")
    assert result.exit_code == 0
    assert [(h["type"], h["id"], h["field"], h["score"], h["match"]) for h in hits[:2]] == [
        ("city", "suzhou", "name", 100, "exact"),
        ("area", "suzhou-industrial-park", "name", 90, "exact"),
    ]
    assert {"type", "id", "field", "snippet", "score", "match"} == set(hits[0])
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    statement = next(h for h in hits if h["id"] == "1000-100-10")
    assert statement["field"].startswith("statements[") and "Suzhou Industrial Park" in statement["snippet"]


@pytest.mark.parametrize("typed", ["Xian", "xi'an", "XI AN", "Xi’an"])
def test_xian_and_xi_an_are_one_name(run, typed):
    _, hits = _hits(run, typed)
    assert (hits[0]["id"], hits[0]["field"], hits[0]["snippet"]) == ("xian", "name", "Xi'an")


@pytest.mark.parametrize("typed", ["1000-100-10", "1,000-100-10", "1 000 100 10"])
def test_project_name_with_or_without_commas(run, typed):
    _, hits = _hits(run, typed)
    assert hits[0]["id"] == "1000-100-10" and hits[0]["score"] >= 95
    assert any("1,000-100-10" in h["snippet"] for h in hits)


@pytest.mark.parametrize(
    "typo, expected",
    [("suzou", "suzhou"), ("dailan", "dalian"), ("Hangzou", "hangzhou"), ("Ministry of Comerce", "moc")],
)
def test_small_typos_are_forgiven_and_labelled(run, typo, expected):
    _result, hits = _hits(run, typo)
    assert hits[0]["id"] == expected
    assert {h["match"] for h in hits} == {"fuzzy"} and hits[0]["score"] < 50
    plain = run("search", typo)
    assert plain.exit_code == 0 and f"no exact match for '{typo}'; close matches:" in plain.stderr
    assert run("search", typo, "--exact").exit_code == 1  # --exact: no close spellings


def test_chinese_names_are_searchable(run):
    _, hits = _hits(run, "苏州")
    assert [(h["id"], h["field"]) for h in hits] == [
        ("suzhou", "name_zh"),
        ("suzhou-industrial-park", "name_zh"),
        ("sohu-2007-05-13-sip", "title"),
        ("whsspr-sip-plaque", "reposted_from"),  # 中新蘇州網
        # (the 2010 business-tax exemption names its 21 cities)
        ("bt-exemption-model-cities-2010", "beneficiary_zh"),
    ]
    _, park = _hits(run, "园区")
    assert park[0]["id"] == "suzhou-industrial-park"


def test_quotes_and_definitions_are_searched(run):
    _, hits = _hits(run, "undertake the transfer of the international service industry")
    assert (hits[0]["id"], hits[0]["field"]) == ("11th-fyp", "quotes[0].text")
    _, terms = _hits(run, "major city", "--type", "terms")
    assert terms[0]["id"] == "primary-outsourcing-city" and terms[0]["field"] == "definition"


def test_type_filter_and_limit(run):
    _, hits = _hits(run, "outsourcing", "--type", "policy", "--limit", "2")
    assert len(hits) == 2 and {h["type"] for h in hits} == {"policy"}
    _, three = _hits(run, "outsourcing", "--limit", "3")
    _, everything = _hits(run, "outsourcing", "--limit", "0")
    assert len(three) == 3 and len(everything) > 3 and everything[:3] == three
    bad = run("search", "x", "--type", "citys")
    assert bad.exit_code == 2 and "did you mean 'city'?" in flat(bad.stderr)


def test_no_match_exits_1_with_empty_json(run):
    result = run("search", "zzqqxx", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []
    assert "nothing matches 'zzqqxx'" in result.stderr


def test_punctuation_only_is_a_usage_error(run):
    assert run("search", "--", "--").exit_code == 2


def test_plain_output_names_the_field(run):
    lines = run("search", "suzhou").stdout.splitlines()
    assert lines[0] == "Type\tID\tField\tMatch\tSnippet"
    assert lines[1] == "city\tsuzhou\tname\texact\tSuzhou"


def test_terminal_output_highlights_the_match(run):
    # wide enough for the table to keep every id whole (else the plain layout is drawn)
    result = run("search", "xian", env={"FORCE_COLOR": "1", "COLUMNS": "120"})
    assert "\x1b[1;33mXi'an\x1b[0m" in result.stdout
    assert "\x1b" not in run("search", "xian", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_search_fields_and_formats(run):
    result = run("search", "dalian", "--fields", "id,score", "--format", "csv")
    assert result.stdout.splitlines()[:2] == ["\ufeffid,score", "dalian,100"]


def test_distance():
    assert distance_at_most("suzou", "suzhou", 1)
    assert distance_at_most("dailan", "dalian", 1)  # a swap of neighbours is one edit
    assert not distance_at_most("beijing", "nanjing", 2)
    assert not distance_at_most("abc", "abcdef", 2)


def test_snippet_cuts_at_words_and_keeps_the_match():
    text = " ".join(f"word{i}" for i in range(40)) + " Suzhou Industrial Park " + " ".join("x" * 5 for _ in range(30))
    start = text.index("Suzhou")
    cut, s, e = snippet(Hit("policy", "p", "note", text, start, start + 6, 50, "exact"))
    assert cut[s:e] == "Suzhou"
    assert cut.startswith("…word") and cut.endswith("…") and len(cut) <= 90


def test_every_hit_points_at_its_match(base):
    for query in ("suzhou", "xian", "outsorcing", "commerce", "苏州", "1,000-100-10"):
        for hit in search(base, query):
            assert hit.end > hit.start
            cut, s, e = snippet(hit)
            assert cut[s:e] == " ".join(hit.text[hit.start : hit.end].split())


# -- no false hits: each query's exact set of records, and the records it must not return ----------

MODEL_2009 = {
    ("designation", f"{c}-model-city")
    for c in (
        "beijing",
        "tianjin",
        "shanghai",
        "chongqing",
        "dalian",
        "shenzhen",
        "guangzhou",
        "wuhan",
        "harbin",
        "chengdu",
        "nanjing",
        "xian",
        "jinan",
        "hangzhou",
        "hefei",
        "nanchang",
        "changsha",
        "daqing",
        "suzhou",
        "wuxi",
    )
}
# the records issue 18 added (documents, provisions and their sources) that carry 2009 as a number
ISSUE_18_2009 = {
    *(
        ("policy", p)
        for p in ("caiqi-2009-200", "caiqi-2009-44", "caishui-2009-63", "jinrenshejufa-2009-7", "renshebufa-2009-36")
    ),
    *(
        ("provision", p)
        for p in (
            "bt-exemption-tase-model-cities-2009",
            "certification-support-2009",
            "model-city-support-package-2009",
            "platform-grant-model-cities-2009",
            "special-hours-model-cities-2009",
            "special-hours-outside-model-cities-2010",
            "special-hours-tianjin-priority-2009",
            "tase-education-deduction-model-cities-2009",
            "tase-eit-model-cities-2009",
            "tase-eit-model-cities-2014",
            "training-subsidy-new-hires-2009",
            "training-subsidy-training-institutions-2009",
        )
    ),
    *(
        ("source", s)
        for s in (
            "afdelivr-govcn-2009-02-04",
            "amcham-circular-63",
            "beijing-rsj-special-hours",
            "castglobal-caishui-2009-63",
            "chuimin-guobanhan-2010-69",
            "electedteal-caiqi-2009-44",
            "jjckb-2009-02-03-model-cities",
            "jjckb-2009-04-17-funds",
            "lawtime-renshebufa-2009-36",
            "lexology-circulars-63-64",
            "pkulaw-tj-jinrenshejufa-2009-7",
            "qa-123665-shenzhen-tase",
            "qidulp-caiqi-2009-44",
            "qiyeku-tase-conditions-2009",
            "shilongwang1-2009-06-26-procurement",
            "whsspr-2009-tase-hefei",
            "xasourcing-caiqi-2009-200",
        )
    ),
}
QUERIES = {
    # every record that contains 2009 as a number (in a document number, a title, an id or a note)
    "2009": (
        MODEL_2009
        | {
            ("policy", "reply-guobanhan-2009-9"),
            ("total", "model-cities-2009"),
            ("city", "suzhou"),
            ("title", "model-city"),
            ("source", "focustax-caiqi-2009-200"),
            ("source", "chinadaily-2009-02-02"),
            ("source", "ahxdny-2009-02-05-hefei"),
            ("source", "sohu-2009-03-02-evaluation"),
            ("source", "kpmg-inside-the-dragon"),
            ("conflict", "model-cities-2009"),
            ("policy", "model-city-evaluation-index-2009"),
            ("source", "jjckb-2009-02-03-model-cities"),
        }
        | ISSUE_18_2009,
        {("policy", "11th-fyp"), ("designation", "xiamen-model-city")},
    ),
    "chose": (set(), {("policy", "1000-100-10")}),  # "those" is not a close spelling of "chose"
    "as of": ({("source", "mca-division-codes")}, {("area", "dalian-software-park"), ("term", "showcase-area")}),
    # (the 2010 business-tax exemption lists the 21 model cities in Chinese)
    "西安": ({("city", "xian"), ("provision", "bt-exemption-model-cities-2010")}, {("city", "dalian")}),
    "1,000-100-10": (
        {
            ("policy", "1000-100-10"),
            ("policy", "shang-zi-han-2006-102"),
            ("source", "oj-article"),
            ("policy", "shang-zi-han-2006-111"),
            ("provision", "moc-base-city-funds-2006"),
            ("provision", "training-fund-1000-100-10-local-match-2006"),
        },
        {("policy", "11th-fyp")},
    ),
    "No. 556": (
        {("policy", "moc-circular-556"), ("source", "asianlii-moc-circular-556"), ("policy", "1000-100-10")},
        {("source", "notice-shang-zi-han-2006-102")},
    ),
}


def _found(base, text, **options):
    return {(h.kind, h.id) for h in search(base, text, **options)}


@pytest.mark.parametrize("text", sorted(QUERIES))
def test_each_query_returns_exactly_its_records(base, text):
    must, must_not = QUERIES[text]
    found = _found(base, text)
    assert found == must, (found - must, must - found)
    assert not found & must_not
    assert {h.match for h in search(base, text)} <= {"exact", "prefix", "word"}


def test_a_number_matches_only_whole(base):
    import re

    for number in ("2009", "200", "21"):
        hits = search(base, number)
        assert hits, number
        for hit in hits:
            assert re.search(rf"(?<!\d){number}(?!\d)", hit.text), (number, hit.id, hit.field, hit.text)
    assert not any(h.match == "fuzzy" for h in search(base, "2019"))  # never a date one edit away


def test_shenzen_is_a_labelled_close_match(base):
    hits = search(base, "Shenzen")
    assert hits and {h.match for h in hits} == {"fuzzy"}
    assert hits[0].kind == "city" and hits[0].id == "shenzhen"
    assert search(base, "Shenzen", exact_only=True) == []


# -- a property: exact search finds every record that has the word, and no other -----------------------


def _words_of_the_data(base):
    words = set()
    for record in base.records():
        for _, text, _ in fields_of(record):
            words.update(t.text for t in tokens(text) if len(t.text) >= 4 and t.text.isascii() and t.text.isalpha())
    return sorted(words)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_exact_search_returns_exactly_the_records_with_the_word(base, data):
    word = data.draw(st.sampled_from(_words_of_the_data(base)))
    having = {
        (r.kind, r.id)
        for r in base.records()
        if any(t.text == word or t.text.startswith(word) for _, text, _ in fields_of(r) for t in tokens(text))
    }
    assert _found(base, word, exact_only=True) == having, word


def test_any_whole_field_fits_in_a_query(base):
    """MAX_QUERY is chosen so that any searchable field can be pasted whole as a query."""
    from outsourcing_cli.domain.search import MAX_QUERY

    longest = max(len(text) for record in base.records() for _, text, _ in fields_of(record))
    assert 300 < longest <= MAX_QUERY


@settings(deadline=None, max_examples=500)
@given(st.text(alphabet="aZ09 ,.'`_-/\n\t", max_size=16))
def test_ascii_positions_are_the_general_ones(text):
    from outsourcing_cli.domain.search import _any_positions, _ascii_positions

    assert _ascii_positions(text) == _any_positions(text)


_WORDS = sorted(
    {
        word
        for record in load(packaged_data_dir()).base.records()
        for _, text, _ in fields_of(record)
        for word in text.split()
        if len(word) > 1
    }
)


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=2).map(" ".join) | st.sampled_from(_WORDS))
def test_an_index_finds_what_matching_every_field_finds(base, text):
    """SearchIndex.candidates only narrows where to look: matching every field of every record
    (fuzzy off, as the index is used) finds the same hits; so does an index read back."""
    from outsourcing_cli.domain.search import Query, SearchIndex, _search, compact

    index = SearchIndex.build(base)
    if not compact(text):
        return
    query = Query(text)
    everywhere = _search(index, query, range(len(index)), None, fuzzy=False)
    assert _search(index, query, index.candidates(query), None, fuzzy=False) == everywhere
    again = SearchIndex.from_bytes(index.to_bytes())
    assert search(base, text, index=again) == search(base, text)


def test_an_index_refuses_what_it_did_not_write(base):
    from outsourcing_cli.domain.searchindex import SearchIndex

    raw = SearchIndex.build(base).to_bytes()
    current = f'"format":{SearchIndex.FORMAT}'.encode()
    assert current in raw
    for spoilt in (raw[:-1], raw.replace(current, f'"format":{SearchIndex.FORMAT + 1}'.encode(), 1), b"{}\n"):
        with pytest.raises((ValueError, KeyError)):
            SearchIndex.from_bytes(spoilt)


# -- names as typed ------------------------------------------------------------------------------------


def test_traditional_and_simplified_characters_search_alike(run):
    simplified = json.loads(run("search", "大连", "--json", "--limit", "0").stdout)
    traditional = json.loads(run("search", "大連", "--json", "--limit", "0").stdout)
    assert simplified == traditional
    assert [(h["id"], h["field"]) for h in simplified][:4] == [
        ("dalian", "name_zh"),
        ("dalian-software-park", "name_zh"),
        ("gpos-2006-08-09-dalian", "title"),
        ("govcn-2006-08-04-dalian", "title"),
    ]  # 商務部等授予大連市…: a title in traditional characters
    hit = next(h for h in traditional if h["id"] == "govcn-2006-08-04-dalian")
    assert hit["snippet"].startswith("商務部等授予大連市")  # shown as written
    assert [h["id"] for h in json.loads(run("search", "蘇州", "--json").stdout)][:2] == [
        "suzhou",
        "suzhou-industrial-park",
    ]


@pytest.mark.parametrize("typed", ["Dàlián", "Da\u0300lia\u0301n", "DALIAN"])
def test_tone_marks_are_folded_in_search(run, typed):
    (first, *_) = json.loads(run("search", typed, "--json").stdout)
    assert (first["id"], first["field"], first["match"]) == ("dalian", "name", "exact")


@pytest.mark.parametrize(
    "typed, city, alias",
    [
        ("Canton", "guangzhou", 0),
        ("amoy", "xiamen", 0),
        ("Peking", "beijing", 0),
        ("Tihwa", "urumqi", 2),
        ("Luda", "dalian", 0),
        ("Nankin", "nanjing", 1),
    ],
)
def test_other_names_are_searched_like_names(run, typed, city, alias):
    (first, *_) = json.loads(run("search", typed, "--json").stdout)
    assert (first["type"], first["id"], first["field"], first["score"]) == ("city", city, f"aliases[{alias}].name", 100)


def test_opencc_is_loaded_only_for_a_query_with_han_characters(oscli, tmp_path):
    """Python's import log of the installed script: a search or a lookup in Latin letters never
    imports OpenCC (the index, built once, holds the folded forms); one in Chinese does."""
    env = {"OSCLI_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPROFILEIMPORTTIME": "1"}
    first = oscli("search", "Amoy", env=env)  # builds the cache and its index: folds the data once
    assert first.returncode == 0 and re.search(r"\| opencc$", first.stderr, re.M), first.stderr[-2000:]
    for args in (["search", "Canton"], ["search", "Dàlián"], ["cities", "show", "Peking"], ["cite", "dalian"]):
        later = oscli(*args, env=env)
        assert later.returncode == 0, (args, later.stderr[-2000:])
        assert not re.search(r"\| opencc$", later.stderr, re.M), args
    han = oscli("search", "大連", env=env)
    assert han.returncode == 0 and "dalian" in han.stdout and re.search(r"\| opencc$", han.stderr, re.M)
