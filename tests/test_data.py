"""The shipped data against its sources: quotations word for word, every fact cited."""

from __future__ import annotations

from conftest import DATA, FIXTURES

from outsourcing_cli.validate import validate

ARTICLE = " ".join((FIXTURES / "source-article.txt").read_text(encoding="utf-8").split())


def test_shipped_data_has_no_errors_or_warnings():
    report = validate(DATA)
    assert report.errors == [] and report.warnings == []
    assert [(f.code, f.record) for f in report.acknowledged] == [("OSC401", "suzhou-industrial-park")]


def test_every_quotation_is_in_the_article_word_for_word():
    base = validate(DATA).base
    quotes = [q for p in base.of("policy") for q in p.quotes]
    assert len(quotes) == 2
    for quote in quotes:
        assert quote.source == "oj-article"
        assert f"\u201c{quote.text}\u201d" in ARTICLE, quote.text


def test_term_definitions_are_the_article_s_words():
    for term in validate(DATA).base.of("term"):
        assert term.sources == ("oj-article",)
        assert term.definition in ARTICLE, term.id


def test_the_eleven_primary_cities_are_the_article_s_list():
    base = validate(DATA).base
    primary = [c.name.replace("'", "\u2019") for c in base.of("city") if c.primary_outsourcing_city]
    assert ("11 primary outsourcing cities, namely, " + ", ".join(primary[:-1]) + ", and " + primary[-1]) in ARTICLE
    suzhou = [c for c in base.of("city") if c.id == "suzhou"][0]
    assert suzhou.primary_outsourcing_city is False and "Suzhou" not in ARTICLE.split("namely,")[1].split(
        "have been selected")[0]


def test_every_record_names_sources_that_exist():
    base = validate(DATA).base
    known = {s.id for s in base.of("source")}
    for record in base.records():
        if record.kind != "source":
            assert record.sources and set(record.sources) <= known, record.id


def test_facts_brief_targets_are_kept_apart_from_the_article():
    base = validate(DATA).base
    project = [p for p in base.of("policy") if p.id == "1000-100-10"][0]
    assert len(project.targets) == 4
    for target in project.targets:
        assert "oj-article" not in target.sources
        assert set(target.sources) == {"china-daily-2008-01-11", "xinhua-jjckb-2007-11-29"}
