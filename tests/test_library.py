"""The library below the CLI, module by module: the registry of kinds (every kind, every field),
dates, history, query, views and yamltree. No Typer, no Rich."""

from __future__ import annotations

import re

import pytest
from conftest import DATA, FIXTURES

from outsourcing_cli.domain import dates, facets, filters, history, kinds, model, names, query
from outsourcing_cli.domain.findings import RULES
from outsourcing_cli.domain.frozen import Frozen, FrozenInstanceError
from outsourcing_cli.domain.searchindex import fields_of
from outsourcing_cli.present import pages, views
from outsourcing_cli.present.output import CHECK_FORMATS, CITATION_FORMATS, RECORD_FORMATS, Format
from outsourcing_cli.store.load import load
from outsourcing_cli.store.yamltree import Map, Scalar, Seq, parse


@pytest.fixture(scope="module")
def base():
    return load(DATA).base


# -- the frozen base of every value class ----------------------------------------------------------


class _Point(Frozen):
    x: int
    y: int = 0
    label: str = "p"


def test_frozen_values_construct_compare_and_refuse_change():
    assert _Point(1, 2) == _Point(x=1, y=2) == _Point(1, y=2)
    assert (_Point(1).y, _Point(1).label) == (0, "p")
    assert _Point(1, 2) != _Point(1, 3) and hash(_Point(1, 2)) == hash(_Point(x=1, y=2))
    assert _Point(1).replace(label="q") == _Point(1, 0, "q")
    assert repr(_Point(1)) == "_Point(x=1, y=0, label='p')"
    with pytest.raises(TypeError, match="missing required argument 'x'"):
        _Point(y=2)
    with pytest.raises(TypeError, match="unexpected or repeated argument 'z'"):
        _Point(1, z=3)
    with pytest.raises(TypeError, match="unexpected or repeated argument 'x'"):
        _Point(1, x=2)
    with pytest.raises(TypeError, match="takes 3 arguments, got 4"):
        _Point(1, 2, "a", 4)
    with pytest.raises(FrozenInstanceError):
        _Point(1).x = 2


def test_a_field_knows_its_shape_once():
    ids, parts, text = kinds.field("a", "ids"), kinds.field("b", "list:quote"), kinds.field("c")
    assert (ids.is_list, ids.part, ids.nested) == (True, None, False)
    assert (parts.is_list, parts.part, parts.nested) == (True, "quote", True)
    assert (text.is_list, text.part, text.nested, text.sortable) == (False, None, False, True)
    assert kinds.field("d", "objects", derived="titles").nested
    assert text.replace(type="ids").is_list


# -- the registry ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", kinds.names())
def test_every_kind_is_declared_once_and_whole(name):
    declared = kinds.KINDS[name]
    assert kinds.get(name) is kinds.get(declared.plural) is kinds.get(declared.command) is declared
    names = [f.name for f in declared.fields]
    assert len(names) == len(set(names)) and names[0] == "id"
    assert declared.file in kinds.files() and kinds.files()[declared.file][declared.plural] is declared
    assert declared.help and declared.title and declared.example and declared.examples
    # the model class holds exactly the fields the data holds (and the base record's)
    assert set(declared.model.attributes()) == {f.name for f in declared.data_fields} | set(model.Record.attributes())
    assert declared.model.kind == name
    columns = [f.column for f in declared.fields if f.column]
    assert len(columns) == len(set(columns)) and declared.columns[0] == "id"
    for spec in declared.fields:
        assert spec.description, (name, spec.name)
        assert (
            spec.type
            in ("text", "id", "ids", "bool", "int", "float", "date", "url", "choice", "objects", "number", "texts")
            or spec.part in kinds.PARTS
            or spec.one in kinds.PARTS
        ), (name, spec.name)
        if spec.type == "choice":
            assert spec.choices
        if spec.ref and not spec.ref.startswith("@"):
            assert spec.ref in kinds.KINDS and kinds.KINDS[spec.ref].missing in RULES, (name, spec.name)
    for filter_name in declared.filters:
        assert filter_name in filters.FILTERS


def test_every_kind_a_field_can_name_has_a_rule_code():
    for declared in kinds.KINDS.values():
        assert declared.missing in RULES, declared.name


def test_the_type_vocabulary_is_what_json_prints(base):
    assert kinds.names() == list(kinds.KINDS)
    for name in kinds.names():
        for record in base.of(name):
            assert record.kind == name
    assert set(kinds.aliases()) == set(kinds.names()) | {k.command for k in kinds.KINDS.values()}


def test_search_weights_come_from_the_registry(base):
    city = base.of("city")[0]
    searched = {name for name, _, _ in fields_of(city)}
    weighted = [f for f in kinds.KINDS["city"].data_fields if f.weight and getattr(city, f.name)]
    parts = {
        f"{f.name}[{i}].{kinds.PARTS[f.part].text}"
        for f in weighted
        if f.part
        for i in range(len(getattr(city, f.name)))
    }
    assert searched == {f.name for f in weighted if f.part is None} | parts
    assert "latitude" not in searched and "name_zh" in searched and "aliases[1].name" in searched  # Dairen


def test_one_list_of_formats():
    assert set(RECORD_FORMATS) | set(CITATION_FORMATS) | set(CHECK_FORMATS) == set(Format)
    assert Format.json in RECORD_FORMATS and Format.json in CITATION_FORMATS


def test_references_walk_records_and_parts(base):
    conflict = next(c for c in base.of("conflict") if c.id == "export-target")
    refs = list(kinds.references(conflict))
    assert ("concerns.0.id", "policy", "1000-100-10") in refs
    assert refs[0] == ("sources.0", "source", "govcn-2006-08-04-dalian")  # the record's own sources first
    designation = next(d for d in base.of("designation") if d.id == "dalian-base-city")
    assert ("subject", "city", "dalian") in list(kinds.references(designation))
    assert ("granted_by.1", "agency", "mii") in list(kinds.references(designation))


# -- dates --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["2007", "2007-02", "2008-02-29", "0001-01-01"])
def test_dates_accepted(text):
    assert dates.parse(text) == text and dates.is_date(text)


@pytest.mark.parametrize(
    "text",
    [
        "2007-13",
        "2007-02-30",
        "2007-1",
        "07",
        "2007-00",
        "2007/03",
        "2007-03-05T00",
        "２００７",
        "",
        "2007-3-05",
        "2009-02-29",
    ],
)
def test_dates_refused(text):
    assert not dates.is_date(text)
    with pytest.raises(dates.DateError, match="give YYYY, YYYY-MM or YYYY-MM-DD"):
        dates.parse(text)


def test_a_partial_date_covers_its_whole_period():
    assert dates.from_ordinal(dates.first_day("2006")) == "2006-01-01"
    assert dates.from_ordinal(dates.last_day("2006")) == "2006-12-31"
    assert dates.from_ordinal(dates.last_day("2008-02")) == "2008-02-29"
    assert dates.from_ordinal(dates.last_day("2006-12")) == "2006-12-31"


# -- history --------------------------------------------------------------------------------------------


def _event(**values):
    return kinds.KINDS["designation"].model(
        **{"id": "e", "subject": "x", "subject_type": "city", "title": "base-city", "event": "granted", **values}
    )


def test_an_event_is_held_possibly_held_or_not_yet():
    exact = history.period(_event(date="2006-08-04"))
    assert exact.exact and exact.status_at(history.point_of("2006-08-04")) == history.HELD
    assert exact.status_at(history.point_of("2006-08-03")) is None
    bounded = history.period(_event(not_before="2007-01-09", not_after="2008-01-11"))
    assert bounded.status_at(history.point_of("2007-01-08")) is None
    assert bounded.status_at(history.point_of("2007-06")) == history.POSSIBLY
    assert bounded.status_at(history.point_of("2008-01-11")) == history.HELD
    open_ended = history.period(_event(not_before="2008-01-12"))
    assert open_ended.status_at(history.point_of(None)) == history.POSSIBLY  # no upper bound: never certain
    year = history.period(_event(date="2010", not_after="2010-09-10"))
    assert dates.from_ordinal(year.last) == "2010-09-10"


def test_a_revocation_ends_a_title():
    granted = _event(id="g", date="2006-08-04")
    revoked = _event(id="r", event="revoked", date="2012")
    assert history.holdings([granted, revoked], history.point_of("2011"))[0].status == history.HELD
    assert history.holdings([granted, revoked], history.point_of("2012-06")) == [
        history.Holding("base-city", history.POSSIBLY, "2006-08-04", "g")
    ]
    assert history.holdings([granted, revoked], history.point_of("2013")) == []


def test_when_says_what_is_known():
    assert dates.when(_event(date="2006-08-04")) == "2006-08-04"
    assert dates.when(_event(not_before="2007-01-09", not_after="2008-01-11")) == "between 2007-01-09 and 2008-01-11"
    assert dates.when(_event(not_after="2009-02-02")) == "by 2009-02-02"
    assert dates.when(_event(not_before="2008-01-12")) == "not before 2008-01-12"
    assert dates.when(_event()) == "date unknown"


def test_yearly_counts(base):
    rows = {
        year: (held, possibly) for year, held, possibly in history.yearly_counts(base, "model-city", range(2008, 2018))
    }
    assert rows[2008] == (0, 0) and rows[2009] == (20, 0) and rows[2010] == (21, 0) and rows[2016] == (31, 0)


# -- query --------------------------------------------------------------------------------------------


def test_get_by_id_name_and_chinese(base):
    assert query.get(base, "city", "XIAN").id == "xian"
    assert query.get(base, "cities", "Xī'ān").id == "xian"
    assert query.get(base, "city", "西安市").id == "xian"
    with pytest.raises(names.NotFound) as missing:
        query.get(base, "city", "xain")
    assert missing.value.suggestions[0] == "xian" and len(missing.value.suggestions) <= 3
    assert missing.value.listing == "`oscli cities list`"


def test_relations_from_the_registry(base):
    dalian = query.get(base, "city", "dalian")
    assert [a.id for a in query.reverse(base, "area.city", dalian)] == ["dalian-software-park"]
    assert {d.id for d in query.reverse(base, "designation.subject", dalian)} == {
        "dalian-base-city",
        "dalian-model-city",
    }
    assert [s.id for s in query.sources_of(base, dalian)] == [
        "oj-article",
        "mca-division-codes",
        "geonames",
        "britannica-kids-dalian",
    ]  # (its aliases')
    citing = {(c.kind, c.id) for c in query.cited_by(base, "geonames")}
    assert ("city", "dalian") in citing and len(citing) == 37


def test_select_filters_and_typed_errors(base):
    jiangsu = filters.select(base, "city", {"province": "江苏"})
    assert [c.id for c in jiangsu] == ["nanjing", "suzhou", "wuxi", "nantong", "zhenjiang", "xuzhou"]
    with pytest.raises(names.UnknownValue) as unknown:
        filters.select(base, "city", {"province": "Jiangsuu"})
    assert unknown.value.suggestions[0] == "Jiangsu"
    with pytest.raises(names.BadOption, match="give YYYY, YYYY-MM or YYYY-MM-DD"):
        filters.select(base, "policy", {"since": "2007-13"})
    with pytest.raises(names.BadOption, match="did you mean 'name'"):
        query.sort_records("city", [], "nam")
    with pytest.raises(names.BadOption, match="did you mean 'name'"):
        query.choose_fields("city", "id,nme")
    with pytest.raises(names.BadOption, match="did you mean 'city'"):
        query.kinds_for_types(["citys"])
    assert query.kinds_for_types(["cities", "policy"]) == {"city", "policy"}


def test_count_by_counts_list_items_once_per_record():
    dicts = [{"titles": [{"title": "a"}, {"title": "b"}]}, {"titles": [{"title": "a"}]}, {"titles": []}]
    kinds_field = "titles"
    counted = facets.count_by("city", [{**d, **dict.fromkeys(())} for d in dicts], kinds_field)
    assert counted == [{"titles": "a", "count": 2}, {"titles": "b", "count": 1}, {"titles": None, "count": 1}]


def test_the_year_a_document_number_carries(base):
    assert dates.year_from_number(query.get(base, "policy", "shang-zi-han-2006-102")) == "2006"
    assert dates.year_from_number(query.get(base, "policy", "reply-guobanhan-2009-9")) == "2009"
    assert dates.year_from_number(query.get(base, "policy", "11th-fyp")) is None  # it has a date
    assert dates.year_from_number(query.get(base, "policy", "1000-100-10")) is None


# -- views ----------------------------------------------------------------------------------------------


def test_cells():
    assert views.cell(None) == views.cell([]) == "—"
    assert views.cell(True) == "yes" and views.cell(False) == "no"
    assert views.cell(["a", "b"]) == "a, b"
    assert views.cell([{"title": "model-city", "status": "possibly held"}]) == "model-city (possibly)"
    assert views.cell({"text": "words"}) == "words"


def test_to_dict_is_the_registry_s_fields(base):
    for name in kinds.names():
        for record in base.of(name)[:3]:
            assert list(views.to_dict(base, record)) == kinds.KINDS[name].field_names


def test_a_show_page_prints_what_the_record_has(base):
    park = query.get(base, "area", "dalian-software-park")
    page = pages.document(base, park)
    labels = [label for label, _ in page.fields]
    assert "Level" not in labels and "Established" not in labels  # null: not printed
    assert ("City", "dalian (Dalian)") in page.fields
    assert all(value != "—" for _, value in page.fields)
    headings = [s.heading for s in page.sections]
    assert headings[0] == "History" and "Sources disagree" in headings and headings[-1] == "Sources"
    assert "source_records" not in str(page.fields)


def test_labels_of_events(base):
    event = query.get(base, "designation", "chongqing-base-city")
    assert views.label(base, event) == "Chongqing: Base city, granted not before 2008-01-12"
    total = query.get(base, "total", "model-cities-2016")
    assert views.label(base, total) == "31 × Model city (2016-05-05)"


# -- yamltree -------------------------------------------------------------------------------------------


def test_yamltree_keeps_positions_and_refuses_what_is_unsafe():
    root, findings = parse('a:\n  - id: x\n    n: "q"\nb: 1\n', "f.yaml")
    assert findings == [] and isinstance(root, Map)
    key, seq = root.entries["a"]
    assert (key.line, key.column) == (1, 1) and isinstance(seq, Seq)
    item = seq.items[0]
    assert isinstance(item, Map) and item.entries["n"][1].style == '"' and item.entries["n"][1].line == 3
    assert root.entries["b"][1] == Scalar(1, "int", "1", 4, 4)
    _, dup = parse("a: 1\na: 2\n", "f.yaml")
    assert [(f.code, f.line) for f in dup] == [("OSC008", 2)]
    _, alias = parse("a: &x 1\nb: *x\n", "f.yaml")
    assert {f.code for f in alias} == {"OSC005"}
    _, tag = parse("a: !!python/object:os.system x\n", "f.yaml")
    assert [f.code for f in tag] == ["OSC006"]
    deep, too_deep = parse("a: " + "[" * 40 + "]" * 40, "f.yaml")
    assert deep is None and too_deep[0].code == "OSC007"


def test_the_minimal_fixture_loads_every_declared_file():
    loaded = load(FIXTURES / "minimal")
    assert loaded.findings == ()
    assert {k for k in kinds.names() if loaded.base.of(k)} == {"city", "area", "policy", "agency", "term", "source"}
    assert re.fullmatch(r"minimal/cities\.yaml|.*/minimal/cities\.yaml", loaded.base.of("city")[0].origin.file)
