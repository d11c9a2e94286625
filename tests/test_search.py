"""oscli search: ranking, tolerance of punctuation and typos, fields and highlights."""

from __future__ import annotations

import json

import pytest

from conftest import flat
from outsourcing_cli.load import load
from outsourcing_cli.paths import packaged_data_dir
from outsourcing_cli.search import Hit, distance_at_most, search, snippet


@pytest.fixture(scope="module")
def base():
    return load(packaged_data_dir()).base


def _hits(run, *args):
    result = run("search", *args, "--json")
    return result, json.loads(result.stdout)


def test_search_suzhou_ranks_the_city_then_the_park(run):
    result, hits = _hits(run, "suzhou")
    assert result.exit_code == 0
    assert [(h["type"], h["id"], h["field"], h["score"]) for h in hits[:2]] == [
        ("city", "suzhou", "name", 100), ("area", "suzhou-industrial-park", "name", 80)]
    assert {"type", "id", "field", "snippet", "score"} == set(hits[0])
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


@pytest.mark.parametrize("typo, expected", [("suzou", "suzhou"), ("dailan", "dalian"), ("Hangzou", "hangzhou"),
                                            ("Ministry of Comerce", "moc")])
def test_small_typos_are_forgiven_and_ranked_below_exact(run, typo, expected):
    _, hits = _hits(run, typo)
    assert hits[0]["id"] == expected
    assert hits[0]["score"] < 100


def test_chinese_names_are_searchable(run):
    _, hits = _hits(run, "苏州")
    assert [(h["id"], h["field"]) for h in hits] == [("suzhou", "name_zh"), ("suzhou-industrial-park", "name_zh"),
                                                    ("sohu-2007-05-13-sip", "title")]
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
    assert lines[0] == "Type\tID\tField\tSnippet"
    assert lines[1] == "city\tsuzhou\tname\tSuzhou"


def test_terminal_output_highlights_the_match(run):
    result = run("search", "xian", env={"FORCE_COLOR": "1"})
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
    cut, s, e = snippet(Hit("policy", "p", "note", text, start, start + 6, 50))
    assert cut[s:e] == "Suzhou"
    assert cut.startswith("…word") and cut.endswith("…") and len(cut) <= 90


def test_every_hit_points_at_its_match(base):
    for query in ("suzhou", "xian", "outsorcing", "commerce", "苏州", "1,000-100-10"):
        for hit in search(base, query):
            assert hit.end > hit.start
            cut, s, e = snippet(hit)
            assert cut[s:e] == " ".join(hit.text[hit.start:hit.end].split())
