"""Hand-made mutation testing of the domain layer: do the tests catch what they claim to?

    python tools/mutants.py                     # every module, every test that covers it
    python tools/mutants.py --module search     # one module (repeatable)
    python tools/mutants.py --existing-only     # without tests/test_domain_*.py (the "before")
    python tools/mutants.py --list              # the mutants, and which are stale; runs nothing

Each mutant is (module, the exact original snippet, its replacement, what it breaks); a module is a
file of the domain layer named as in ``source_of`` ('query', 'facets', 'rules' for the rules
package's __init__.py, 'rules/titles' for one of its families). The snippet
must occur exactly once in the module: one that no longer does is reported as **stale** (update or
drop the mutant), never silently skipped, so the list survives unrelated edits and says when it
does not.

The working tree is never edited. src/ is copied to a temporary directory (with data/ beside it,
where a source checkout keeps it) that comes first on PYTHONPATH; each mutant is written into the
copy, the tests that cover its module run (``-x -q -p no:cacheprovider``; the module's in-process
tests, tests/test_domain_MODULE.py, first and alone, so that a killed mutant stops early), and the
copy is restored. Bytecode is not
written, so a mutant of the same size in the same second is never hidden by a stale .pyc. Ctrl-C
stops the run, prints what was measured and removes the copy. Mutants run one at a time: the
machine is shared. Not run in CI (it takes minutes); run it after changing a domain module or its
tests, and keep each module at 85 % or more of its non-equivalent mutants killed.

A mutant is killed when the tests fail (or time out). The survivors that no test can kill, because
they do not change behaviour, are marked ``equivalent`` below with the reason; the rate counts
only the others.

Measured in December 2026 (155 mutants, 8 equivalent; killed / non-equivalent):

    module   existing tests only   with tests/test_domain_*.py
    dates    15/18   83.3 %        18/18  100 %
    fold      8/22   36.4 %        22/22  100 %
    history  12/28   42.9 %        28/28  100 %
    query    11/29   37.9 %        29/29  100 %
    rules    10/26   38.5 %        26/26  100 %
    search   12/24   50.0 %        24/24  100 %
    all      68/147  46.3 %       147/147 100 %

(Since measured, query's facets moved to facets.py and sort_text to fold.py, and rules.py became the
rules/ package: their mutants moved with their code, to 'facets', 'fold', 'rules/excerpts' and
'rules/titles'.)

The equivalent survivors: dates: year 0 (datetime refuses it first) and last_day's cache; fold:
compact stripping apostrophes (it drops every non-word character anyway); query: a flag that is
off (--include-undated keeps every record when applied); search: the two-letter prefix guard (the
prefix branch asks for three letters itself), a prefix before a digit (tokens are all letters or
all digits), a text of exactly the snippet's width (kept whole either way) and the quick refusal
before word matching (a shortcut only). A whole run took 5 minutes on 2 lightly loaded cores (the
existing tests alone, which many mutants survive, took about 40 minutes under heavy load).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "outsourcing_cli"
TIMEOUT = 600  # seconds for one mutant's tests; a mutant that hangs them is killed


@dataclass(frozen=True)
class Mutant:
    module: str
    original: str
    replacement: str
    description: str
    equivalent: str = ""  # why no test can kill it (it changes no behaviour); empty: it must be killed


M = Mutant

# The tests that cover each module: its own in-process tests (test_domain_MODULE.py, run alone
# first), then the existing files that exercise it. --existing-only drops test_domain_*, --own-only
# keeps only them. (The slow, subprocess-heavy files, test_security, test_export, test_bad_input,
# test_help and test_installed, are left out: they guard other things, and would make a run take
# hours on a shared machine.)
TESTS = {
    "dates": [
        "test_domain_dates.py",
        "test_domain_history.py",
        "test_domain_query.py",
        "test_library.py",
        "test_designations.py",
        "test_lookup.py",
        "test_cli.py",
    ],
    "fold": [
        "test_domain_fold.py",
        "test_library.py",
        "test_lookup.py",
        "test_search.py",
        "test_rules.py",
        "test_domain_query.py",
    ],  # (sort_text, which query's sorting and facets use)
    "history": [
        "test_domain_history.py",
        "test_domain_query.py",
        "test_library.py",
        "test_designations.py",
        "test_rules.py",
    ],
    "query": ["test_domain_query.py", "test_library.py", "test_lookup.py", "test_designations.py"],
    "filters": ["test_domain_query.py", "test_library.py", "test_lookup.py", "test_designations.py"],
    "facets": ["test_domain_query.py", "test_library.py"],  # (count_by: --count-by)
    "rules": ["test_domain_rules.py", "test_library.py", "test_rules.py", "test_data.py"],
    "rules/excerpts": ["test_domain_rules.py", "test_library.py", "test_rules.py", "test_data.py"],
    "rules/titles": ["test_domain_rules.py", "test_library.py", "test_rules.py", "test_data.py"],
    "search": ["test_domain_search.py", "test_library.py", "test_search.py"],
}

MUTANTS: list[Mutant] = [
    # -- dates ------------------------------------------------------------------------------------
    M(
        "dates",
        "if not 1 <= len(pieces) <= 3 or",
        "if not 1 <= len(pieces) <= 4 or",
        "a date of four parts (2007-01-01-01) is accepted",
    ),
    M("dates", "len(pieces[0]) != 4", "len(pieces[0]) > 4", "a year of three digits (207) is accepted"),
    M(
        "dates",
        "any(len(p) != 2 for p in pieces[1:])",
        "any(len(p) > 2 for p in pieces[1:])",
        "a month of one digit (2007-1) is accepted",
    ),
    M("dates", "p.isascii() and p.isdigit()", "p.isdigit()", "full-width digits (２００７) are accepted"),
    M(
        "dates",
        "_dt.date(numbers[0], numbers[1] if len(numbers) > 1 else 1, numbers[2] if len(numbers) > 2 else 1)",
        "_dt.date(numbers[0], 1, 1)",
        "days and months are not checked against the calendar (2007-02-30)",
    ),
    M("dates", 'pieces = text.split("-")', 'pieces = text.strip().split("-")', "spaces around a date are accepted"),
    M(
        "dates",
        "if numbers[0] < 1:",
        "if numbers[0] < 0:",
        "year 0 refused by a later check only",
        equivalent="datetime.date refuses year 0 before this check is reached: the check is a second guard",
    ),
    M(
        "dates",
        "    except DateError:\n        return False",
        "    except DateError:\n        return True",
        "is_date says yes to anything",
    ),
    M(
        "dates",
        '"""``text`` if it is a valid date, else DateError."""\n    _parts(text)',
        '"""``text`` if it is a valid date, else DateError."""',
        "parse accepts any text",
    ),
    M(
        "dates",
        "numbers[1] if len(numbers) > 1 else 1, numbers[2] if len(numbers) > 2 else 1\n    ).toordinal()",
        "numbers[1] if len(numbers) > 1 else 2, numbers[2] if len(numbers) > 2 else 1\n    ).toordinal()",
        "a year's first day is 1 February",
    ),
    M(
        "dates",
        "numbers[2] if len(numbers) > 2 else 1\n    ).toordinal()",
        "numbers[2] if len(numbers) > 2 else 2\n    ).toordinal()",
        "a month's first day is its 2nd",
    ),
    M(
        "dates",
        "_dt.date(year + (month == 12), month % 12 + 1, 1)",
        "_dt.date(year, month % 12 + 1, 1)",
        "December ends a year early",
    ),
    M(
        "dates",
        "return following.toordinal() - 1",
        "return following.toordinal()",
        "a month ends on the next month's first day",
    ),
    M(
        "dates",
        "return _dt.date(numbers[0], 12, 31).toordinal()",
        "return _dt.date(numbers[0], 12, 30).toordinal()",
        "a year ends on 30 December",
    ),
    M(
        "dates",
        "    if len(numbers) == 3:\n        return _dt.date(*numbers).toordinal()",
        "    if len(numbers) == 3:\n        return _dt.date(*numbers).toordinal() + 1",
        "a day ends on the next day",
    ),
    M("dates", 'return ("year", "month", "day")[', 'return ("year", "day", "month")[', "precision names swapped"),
    M(
        "dates",
        "return _dt.date.fromordinal(ordinal).isoformat()",
        "return _dt.date.fromordinal(ordinal + 1).isoformat()",
        "from_ordinal is a day late",
    ),
    M(
        "dates",
        'FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"',
        'FORMS = "YYYY or YYYY-MM-DD"',
        "the error names the wrong forms",
    ),
    M(
        "dates",
        "    if len(numbers) == 2:\n        year, month = numbers",
        "    if len(numbers) == 4:\n        year, month = numbers",
        "a month is taken as its year",
    ),
    M(
        "dates",
        "@lru_cache(maxsize=4096)\ndef last_day",
        "def last_day",
        "last_day not cached",
        equivalent="the cache only saves time; the value is the same",
    ),
    # -- fold -------------------------------------------------------------------------------------
    M("fold", '("维吾尔自治区", "壮族自治区"', '("壮族自治区"', "新疆维吾尔自治区 keeps 维吾尔"),
    M("fold", '"壮族自治区", "回族自治区"', '"回族自治区"', "广西壮族自治区 keeps 壮族"),
    M("fold", '"回族自治区", "特别行政区"', '"特别行政区"', "宁夏回族自治区 keeps 回族"),
    M("fold", '"特别行政区", "自治区"', '"自治区"', "香港特别行政区 keeps its suffix"),
    M("fold", '"自治区", "市", "省")', '"市", "省")', "西藏自治区 keeps 自治区"),
    M("fold", '"自治区", "市", "省")', '"自治区", "省")', "苏州市 keeps 市"),
    M("fold", '"自治区", "市", "省")', '"自治区", "市")', "江苏省 keeps 省"),
    M(
        "fold",
        '_ZH_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区",',
        '_ZH_SUFFIXES = ("自治区", "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区",',
        "the short suffix first: 广西壮族自治区 becomes 广西壮族",
    ),
    M(
        "fold",
        "if key.endswith(suffix) and len(key) > len(suffix):",
        "if key.endswith(suffix) and len(key) >= len(suffix):",
        "a name that is only a suffix (市) becomes empty",
    ),
    M("fold", "if key.endswith(suffix) and", "if key.startswith(suffix) and", "suffixes looked for at the start"),
    M("fold", "return key[: -len(suffix)]", "return key[:-1]", "only the suffix's last character is cut"),
    M(
        "fold",
        "return 0x3400 <= code <= 0x9FFF or",
        "return 0x4E00 <= code <= 0x9FFF or",
        "extension A (U+3400) is not CJK",
    ),
    M("fold", "0x3400 <= code <= 0x9FFF or", "0x3400 <= code < 0x9FFF or", "U+9FFF is not CJK"),
    M("fold", "or 0xF900 <= code <= 0xFAFF", "or 0xF900 < code <= 0xFAFF", "U+F900 is not CJK"),
    M(
        "fold",
        'unicodedata.normalize("NFKC", text).casefold()',
        'unicodedata.normalize("NFC", text).casefold()',
        "full-width letters are not folded",
    ),
    M(
        "fold",
        'unicodedata.normalize("NFKC", text).casefold()',
        'unicodedata.normalize("NFKC", text).lower()',
        "lower() for casefold(): ß is not ss",
    ),
    M("fold", 'APOSTROPHES = "\'\\u2019\\u2018`"', 'APOSTROPHES = "\'\\u2018`"', "’ is not an apostrophe"),
    M("fold", '_NOT_WORD = re.compile(r"[\\W_]+")', '_NOT_WORD = re.compile(r"\\W+")', "compact keeps underscores"),
    M("fold", '_WORD = re.compile(r"[^\\W_]+")', '_WORD = re.compile(r"\\w+")', "words keep underscores"),
    M(
        "fold",
        'return _NOT_WORD.sub("", strip_apostrophes(fold(text)))',
        'return _NOT_WORD.sub("", fold(text))',
        "compact does not strip apostrophes first",
        equivalent="every apostrophe is also a non-word character, which compact removes anyway",
    ),
    M(
        "fold",
        "return _WORD.findall(strip_apostrophes(fold(text)))",
        "return _WORD.findall(fold(text))",
        "words splits Xi'an in two",
    ),
    M("fold", "return any(map(is_cjk, text))", "return all(map(is_cjk, text))", "has_cjk only for text all in CJK"),
    # -- history ----------------------------------------------------------------------------------
    M(
        "history",
        "if self.last is not None and self.last <= point:",
        "if self.last is not None and self.last < point:",
        "an event is not held on its own last day",
    ),
    M(
        "history",
        "if self.first is None or self.first <= point:",
        "if self.first is None or self.first < point:",
        "an event is not possibly held on its first possible day",
    ),
    M(
        "history",
        "if self.first is None or self.first <= point:",
        "if self.first is not None and self.first <= point:",
        "an event without a lower bound is never possibly held",
    ),
    M(
        "history",
        "            return POSSIBLY\n        return None",
        "            return HELD\n        return None",
        "possibly held folded into held",
    ),
    M(
        "history",
        "return self.first is not None and self.first == self.last",
        "return self.first is not None and self.first <= self.last",
        "a period of many days is exact",
    ),
    M(
        "history",
        "Period(max(firsts) if firsts else None",
        "Period(min(firsts) if firsts else None",
        "not_before does not narrow the date",
    ),
    M(
        "history",
        "min(lasts) if lasts else None)",
        "max(lasts) if lasts else None)",
        "not_after does not narrow the date",
    ),
    M(
        "history",
        "for v in (record.date, record.not_before) if v",
        "for v in (record.date,) if v",
        "not_before ignored",
    ),
    M("history", "for v in (record.date, record.not_after) if v", "for v in (record.date,) if v", "not_after ignored"),
    M(
        "history",
        "return dates.last_day(as_of) if as_of else _END_OF_TIME",
        "return dates.first_day(as_of) if as_of else _END_OF_TIME",
        "--as-of 2009 means 1 January 2009",
    ),
    M(
        "dates",
        'f"between {record.not_before} and {record.not_after}"',
        'f"between {record.not_after} and {record.not_before}"',
        "when: bounds swapped",
    ),
    M(
        "dates",
        'parts.append(f"by {record.not_after}")',
        'parts.append(f"before {record.not_after}")',
        "when: 'by' becomes 'before'",
    ),
    M(
        "history",
        "anchor = span.first if span.first is not None else span.last if span.last is not None else",
        "anchor = span.last if span.last is not None else span.first if span.first is not None else",
        "events sorted by their latest day, not their earliest",
    ),
    M(
        "history",
        "        anchor,\n        span.last if span.last is not None else _END_OF_TIME,\n",
        "        anchor,\n        0,\n",
        "events of one first day not ordered by their last day",
    ),
    M(
        "history",
        "if best is None or (best.status == POSSIBLY and status == HELD):",
        "if best is None:",
        "a possibly held grant hides a held one",
    ),
    M(
        "history",
        "best = Holding(title, status, grant.date, grant.id)",
        "best = Holding(title, status, grant.not_after, grant.id)",
        "since is the upper bound",
    ),
    M(
        "history",
        "if span.last is not None and span.last < start:",
        "if span.last is not None and span.last <= start:",
        "a revocation on a grant's first day is taken as before it",
    ),
    M(
        "history",
        "start = period(grant).first or 0",
        "start = period(grant).last or 0",
        "a revocation within a grant's period is taken as before it",
    ),
    M(
        "history",
        "        if revoked == HELD:\n            return None",
        "        if revoked == HELD:\n            return POSSIBLY",
        "a certain revocation leaves the title possibly held",
    ),
    M(
        "history",
        "        if revoked == POSSIBLY:\n            status = POSSIBLY",
        "        if revoked == POSSIBLY:\n            status = status",
        "a possible revocation leaves the title held",
    ),
    M(
        "history",
        'for grant in (e for e in items if e.event == "granted"):',
        'for grant in (e for e in items if e.event != "revoked"):',
        "any non-revocation is a grant",
    ),
    M(
        "history",
        "if d.subject and (subject_type is None or d.subject_type == subject_type):",
        "if d.subject:",
        "holders ignores the subject type",
    ),
    M(
        "history",
        "rows.append((year, sum(s == HELD for s in statuses), sum(s == POSSIBLY for s in statuses)))",
        "rows.append((year, sum(s == POSSIBLY for s in statuses), sum(s == HELD for s in statuses)))",
        "yearly counts: held and possibly held swapped",
    ),
    M(
        "history",
        "return range(min(years), max(years) + 1) if years",
        "return range(min(years), max(years)) if years",
        "the last year is left out of the span",
    ),
    M(
        "history",
        'if event.event == "granted" and period(event).status_at(point) is None:',
        'if event.event == "granted" and period(event).status_at(point) is not None:',
        "first_title_after returns a grant already held",
    ),
    M(
        "history",
        "        return dates.first_day(total.not_before)",
        "        return dates.last_day(total.not_before)",
        "a total bounded below is read at its bound's last day",
    ),
    M(
        "history",
        "at is not None and at <= point and",
        "at is not None and at < point and",
        "a total of the very day asked about is ignored",
    ),
    M(
        "history",
        "(best_point is None or at >= best_point)",
        "(best_point is None or at > best_point)",
        "of two totals of one day, the first wins, not the last",
    ),
    # -- query ------------------------------------------------------------------------------------
    M(
        "filters",
        "or (span is not None and span[0] >= start)",
        "or (span is not None and span[0] > start)",
        "--since excludes what begins on the day itself",
    ),
    M(
        "filters",
        "or (span is not None and span[1] <= end)",
        "or (span is not None and span[1] < end)",
        "--until excludes what ends on the day itself",
    ),
    M(
        "filters",
        "start = dates.first_day(since)",
        "start = dates.last_day(since)",
        "--since 2009 means from 31 December 2009",
    ),
    M("filters", "end = dates.last_day(until)", "end = dates.first_day(until)", "--until 2009 means to 1 January 2009"),
    M(
        "filters",
        "or (span is not None and span[0] >= start)",
        "or (span is not None and span[1] >= start)",
        "--since keeps a record that may have begun before",
    ),
    M(
        "filters",
        "or (span is not None and span[1] <= end)",
        "or (span is not None and span[0] <= end)",
        "--until keeps a record that may have ended after",
    ),
    M(
        "filters",
        'is None and values.get("include_undated"))\n        or (span is not None and span[0] >= start)',
        "is None and False)\n        or (span is not None and span[0] >= start)",
        "--since ignores --include-undated",
    ),
    M(
        "filters",
        'is None and values.get("include_undated"))\n        or (span is not None and span[1] <= end)',
        "is None and False)\n        or (span is not None and span[1] <= end)",
        "--until ignores --include-undated",
    ),
    M(
        "filters",
        'if not (values.get("since") or values.get("until")) or values.get("include_undated"):',
        'if not (values.get("since") or values.get("until")):',
        "undated counted as left out with --include-undated",
    ),
    M(
        "filters",
        'if not (values.get("since") or values.get("until")) or',
        'if not values.get("since") or',
        "undated left out by --until not counted",
    ),
    M(
        "history",
        "if span.first is not None and span.last is not None:\n            return span.first, span.last",
        "if span.first is not None or span.last is not None:\n            return span.first, span.last",
        "a half-bounded event counts as dated",
    ),
    M(
        "dates",
        '_YEAR_IN_NUMBER = r"\\[((?:19|20)\\d\\d)\\]"',
        '_YEAR_IN_NUMBER = r"\\[((?:20)\\d\\d)\\]"',
        "years of the 1990s in document numbers ignored",
    ),
    M(
        "dates",
        '_BRACKETS = str.maketrans("〔（(【〕）)】", "[[[[]]]]")',
        '_BRACKETS = str.maketrans("（(【）)】", "[[[]]]")',
        "〔2009〕 brackets not read",
    ),
    M(
        "dates",
        'if getattr(record, "date", None):\n        return None',
        "if False:\n        return None",
        "a dated record's number is read too",
    ),
    M(
        "dates",
        'getattr(record, "document_number", None) or getattr(record, "document", None)',
        'getattr(record, "document", None)',
        "document_number not read",
    ),
    M(
        "query",
        "return sorted(present, key=lambda r: keys[id(r)], reverse=reverse) + absent",
        "return absent + sorted(present, key=lambda r: keys[id(r)], reverse=reverse)",
        "records without the value first",
    ),
    M(
        "query",
        "return sorted(present, key=lambda r: keys[id(r)], reverse=reverse) + absent",
        "return (sorted(present, key=lambda r: keys[id(r)]) + absent if not reverse\n"
        "            else absent + sorted(present, key=lambda r: keys[id(r)])[::-1])",
        "records without the value first when reversed",
    ),
    M(
        "query",
        "keys = {id(r): (sort_text(v) if isinstance(v := getattr(r, field, None), str) else v) for r in items}",
        "keys = {id(r): getattr(r, field, None) for r in items}",
        "sorting is case-sensitive",
    ),
    M(
        "fold",
        'return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()',
        'return "".join(c for c in decomposed).casefold()',
        "sort_text keeps accents",
    ),
    M(
        "fold",
        '"".join(c for c in decomposed if not is_mark(c))',
        '"".join(c for c in decomposed)',
        "fold keeps tone marks (Xī'ān is not xian)",
    ),
    M(
        "query",
        "return list(reversed(items)) if reverse else list(items)",
        "return list(items)",
        "--reverse ignored without --sort",
    ),
    M("query", "items = sorted(items, key=history.sort_key)", "items = list(items)", "events not in date order"),
    M(
        "facets",
        "key=lambda kv: (-kv[1], kv[0] is None, sort_text(str(kv[0])))",
        "key=lambda kv: (kv[1], kv[0] is None, sort_text(str(kv[0])))",
        "facets least frequent first",
    ),
    M(
        "facets",
        "key=lambda kv: (-kv[1], kv[0] is None, sort_text(str(kv[0])))",
        "key=lambda kv: (-kv[1], sort_text(str(kv[0])))",
        "the None facet sorted as text",
    ),
    M(
        "facets",
        "for item in dict.fromkeys(_facet_value(v) for v in items) if items else [None]:",
        "for item in [_facet_value(v) for v in items] if items else [None]:",
        "a list counts an item twice",
    ),
    M(
        "facets",
        "for item in dict.fromkeys(_facet_value(v) for v in items) if items else [None]:",
        "for item in dict.fromkeys(_facet_value(v) for v in items) if items else []:",
        "an empty list is not counted",
    ),
    M(
        "filters",
        'for value in (city.province, getattr(city, "province_zh", None)):',
        "for value in (city.province,):",
        "--province does not take the Chinese name",
    ),
    M(
        "query",
        "    if len(named) > 1:\n        raise Ambiguous(kind, wanted, named)",
        "    if len(named) > 2:\n        raise Ambiguous(kind, wanted, named)",
        "a name shared by two is not ambiguous",
    ),
    M("query", "by_id = idx.by_id[kind].get(key)  #", "by_id = None  #", "an id typed with punctuation not found"),
    M(
        "filters",
        'return subject == key if record.subject_type == "city" else subject in areas',
        "return subject == key",
        "--city leaves out the designations of the city's areas",
    ),
    M(
        "filters",
        'if value is None or (value is False and spec.type == "flag"):',
        "if value is None:",
        "a flag that is off is applied",
        equivalent="the only flag (--include-undated) keeps every record when applied",
    ),
    # -- rules ------------------------------------------------------------------------------------
    M(
        "rules/excerpts",
        "if cjk > 120 or words > 50:",
        "if cjk >= 120 or words > 50:",
        "120 CJK characters is too long",
    ),
    M("rules/excerpts", "if cjk > 120 or words > 50:", "if cjk > 120 or words >= 50:", "50 words is too long"),
    M(
        "rules/excerpts",
        "if cjk > 120 or words > 50:",
        "if cjk > 120 and words > 50:",
        "an excerpt must be long both ways",
    ),
    M("rules/excerpts", "if cjk > 120 or words > 50:", "if cjk > 121 or words > 51:", "one too many is accepted"),
    M("rules/excerpts", 'CJK.sub(" ", text)', 'CJK.sub("", text)', "a CJK character joins two words"),
    M(
        "rules/titles",
        "if lo and hi and dates.first_day(lo) > dates.last_day(hi):",
        "if lo and hi and dates.first_day(lo) > dates.first_day(hi):",
        "bounds compared by first days",
    ),
    M(
        "rules/titles",
        "if lo and hi and dates.first_day(lo) > dates.last_day(hi):",
        "if lo and hi and dates.first_day(lo) >= dates.last_day(hi):",
        "equal bounds are out of order",
    ),
    M(
        "rules/titles",
        "if date and lo and dates.last_day(date) < dates.first_day(lo):",
        "if date and lo and dates.first_day(date) < dates.first_day(lo):",
        "a year date with a later lower bound flagged",
    ),
    M(
        "rules/titles",
        "if date and hi and dates.first_day(date) > dates.last_day(hi):",
        "if date and hi and dates.last_day(date) > dates.last_day(hi):",
        "a year date with an earlier upper bound flagged",
    ),
    M(
        "rules/titles",
        "if date and lo and dates.last_day(date) < dates.first_day(lo):",
        "if date and lo and dates.last_day(date) < dates.last_day(lo):",
        "a date within the lower bound flagged",
    ),
    M(
        "rules/titles",
        "            if value and not cited:",
        "            if value and cited:",
        "a bound without its source not reported",
    ),
    M(
        "rules/titles",
        "if not len(held) <= named <= len(holding):",
        "if not len(held) < named <= len(holding):",
        "a count equal to the held is flagged",
    ),
    M(
        "rules/titles",
        "if not len(held) <= named <= len(holding):",
        "if not len(held) <= named < len(holding):",
        "a count equal to the possibly held is flagged",
    ),
    M("rules/titles", "named = total.count - (total.unnamed or 0)", "named = total.count", "unnamed members counted"),
    M(
        "rules/titles",
        "missing = sorted(held - members)",
        "missing = sorted(set(holding) - members)",
        "a possibly held subject must be named",
    ),
    M(
        "rules/titles",
        "stray = sorted(members - set(holding))",
        "stray = sorted(members - held)",
        "a named member that only possibly held it is stray",
    ),
    M(
        "rules/titles",
        "(history.period(g).first or 0) <= end for g in grants)",
        "(history.period(g).first or 0) < end for g in grants)",
        "a revocation on the day of the grant is flagged",
    ),
    M("rules/titles", "if len(conflict.claims) < 2:", "if len(conflict.claims) < 1:", "a one-claim conflict accepted"),
    M(
        "rules/titles",
        "not 1 <= conflict.follows <= len(conflict.claims)",
        "not 0 <= conflict.follows <= len(conflict.claims)",
        "follows 0 accepted",
    ),
    M(
        "rules/titles",
        "not 1 <= conflict.follows <= len(conflict.claims)",
        "not 1 <= conflict.follows < len(conflict.claims)",
        "following the last claim flagged",
    ),
    M("rules/titles", "for extra in lists[1:]:", "for extra in lists[2:]:", "a second primary list not reported"),
    M(
        "rules/titles",
        "point = history.period(grant).last or history.period(grant).first",
        "point = history.period(grant).first or history.period(grant).last",
        "an area's grant judged at its first possible day",
    ),
    M(
        "rules",
        "            key = record.id.lower()\n            if key in seen:",
        "            key = record.id\n            if key in seen:",
        "ids differing in case are not duplicates",
    ),
    M(
        "rules",
        "if not ack.reason or not ack.sources:",
        "if not ack.reason:",
        "an acknowledgement without a source is accepted",
    ),
    M(
        "rules/titles",
        "            event.title,\n            event.event,\n            event.date,\n",
        "            event.title,\n            event.event,\n",
        "two events differing in date are duplicates",
    ),
    M(
        "rules",
        "if compared + len(known[target]) <= COMPARED:",
        "if compared + len(known[target]) < COMPARED:",
        "one fewer comparison allowed",
    ),
    # -- search -----------------------------------------------------------------------------------
    M(
        "search",
        "_SCORES = {EXACT: 90.0, PREFIX: 70.0, WORD: 50.0,",
        "_SCORES = {EXACT: 90.0, PREFIX: 50.0, WORD: 70.0,",
        "prefix and word scores swapped",
    ),
    M(
        "search",
        "_SCORES = {EXACT: 90.0, PREFIX: 70.0,",
        "_SCORES = {EXACT: 70.0, PREFIX: 90.0,",
        "exact and prefix scores swapped",
    ),
    M("search", "WORD: 50.0, FUZZY: 30.0}", "WORD: 30.0, FUZZY: 50.0}", "word and fuzzy scores swapped"),
    M(
        "search",
        "return 100.0, 0, len(text), EXACT",
        "return 90.0, 0, len(text), EXACT",
        "a whole-field match scores as a phrase",
    ),
    M(
        "search",
        "        elif len(wanted) < 3:\n            how = None",
        "        elif len(wanted) < 2:\n            how = None",
        "a two-letter prefix matches",
        equivalent="the prefix branch itself asks for three letters, and fuzzy matching for four",
    ),
    M(
        "search",
        "and word.startswith(wanted) and not word[len(wanted)].isdigit():",
        "and word.startswith(wanted):",
        "a prefix may end before a digit",
        equivalent="tokens are all letters or all digits, and a digit query never matches as a prefix",
    ),
    M(
        "search",
        "return 0 if len(word) < 4 else 1 if len(word) < 8 else 2",
        "return 0 if len(word) < 3 else 1 if len(word) < 8 else 2",
        "three-letter words matched fuzzily",
    ),
    M(
        "search",
        "return 0 if len(word) < 4 else 1 if len(word) < 8 else 2",
        "return 0 if len(word) < 4 else 1 if len(word) <= 8 else 2",
        "eight-letter words get one edit only",
    ),
    M(
        "search",
        "return 0 if len(word) < 4 else 1 if len(word) < 8 else 2",
        "return 0 if len(word) < 4 else 1 if len(word) < 7 else 2",
        "seven-letter words get two edits",
    ),
    M(
        "search",
        "            and allowed_edits(wanted)\n            and word[:1] == wanted[:1]\n",
        "            and allowed_edits(wanted)\n",
        "a fuzzy match may change the first letter",
    ),
    M("search", "value = min(value, previous2[j - 2] + 1)", "value = value", "a swap of neighbours costs two"),
    M(
        "search",
        "if abs(len(a) - len(b)) > limit:",
        "if abs(len(a) - len(b)) >= limit:",
        "words of lengths one apart are too far",
    ),
    M("search", "return previous[-1] <= limit", "return previous[-1] < limit", "distance equal to the limit refused"),
    M(
        "search",
        "cost = 0 if a[i - 1] == b[j - 1] else 1",
        "cost = 0 if a[i - 1] == b[j - 1] else 2",
        "a substitution costs two",
    ),
    M("search", "if not hits and not exact_only:", "if not hits:", "exact_only ignored"),
    M(
        "search",
        "key=lambda h: (-h.score, len(h.text), order[h.kind], h.id)",
        "key=lambda h: (-h.score, order[h.kind], h.id)",
        "on a tie, the shorter field does not come first",
    ),
    M(
        "search",
        "key=lambda h: (-h.score, len(h.text), order[h.kind], h.id)",
        "key=lambda h: (-h.score, len(h.text), h.id)",
        "on a tie, kinds not in registry order",
    ),
    M("search", "score = round(raw * weight)", "score = round(raw)", "field weights ignored"),
    M(
        "search",
        "if held is None or score > held.score:",
        "if held is None or score >= held.score:",
        "on a tie the later field of a record wins",
    ),
    M(
        "search",
        "how = FUZZY if worst == FUZZY else WORD",
        "how = FUZZY if worst == FUZZY else PREFIX if worst == PREFIX else WORD",
        "words matched by prefix score as a prefix",
    ),
    M(
        "search",
        "worst = max(worst, best[0], key=_rank)",
        "worst = min(worst, best[0], key=_rank)",
        "a fuzzy word among exact ones is not a fuzzy match",
    ),
    M("search", "first = first or best[1]", "first = best[1]", "a word match points at the last word"),
    M(
        "search",
        "and len(needle) >= 3 and best is None:",
        "and len(needle) >= 2 and best is None:",
        "a two-letter phrase prefix matches",
    ),
    M(
        "search",
        "return char.isalnum() and not is_cjk(char)",
        "return char.isalnum()",
        "a CJK character after a number joins it (2009年)",
    ),
    M(
        "search",
        "self.word_level = any(len(t) >= 3 or",
        "self.word_level = any(len(t) >= 2 or",
        "two-letter words match word by word",
    ),
    M(
        "search",
        "    if len(text) <= width:\n        return text, start, end",
        "    if len(text) < width:\n        return text, start, end",
        "a text of exactly the width is cut",
        equivalent="the cutting path keeps such a text whole: it starts at 0 and ends at the text's length",
    ),
    M(
        "search",
        "left = max(0, min(start - width // 3, len(text) - width))",
        "left = max(0, min(start - width // 2, len(text) - width))",
        "the snippet starts further left",
    ),
    M(
        "search",
        "return any(wanted not in plain for wanted in query.tokens)",
        "return all(wanted not in plain for wanted in query.tokens)",
        "the quick refusal refuses less",
        equivalent="a shortcut only: the full word matching that follows refuses the same fields",
    ),
]


def source_of(module: str) -> Path:
    """The file of a domain module: 'query' is domain/query.py, 'rules' the rules package's
    __init__.py, 'rules/titles' domain/rules/titles.py."""
    folder = ROOT / "src" / PACKAGE / "domain"
    path = folder / f"{module}.py"
    return path if path.exists() else folder / module / "__init__.py"


def apply(text: str, mutant: Mutant) -> str | None:
    """The module's text with the mutant applied; None when its snippet is not there exactly once."""
    if text.count(mutant.original) != 1:
        return None
    return text.replace(mutant.original, mutant.replacement)


def tests_for(module: str, existing_only: bool, own_only: bool = False) -> list[str]:
    files = [
        name
        for name in TESTS[module]
        if not (existing_only and name.startswith("test_domain_"))
        and not (own_only and not name.startswith("test_domain_"))
    ]
    return [str(ROOT / "tests" / name) for name in files if (ROOT / "tests" / name).exists()]


def run_tests(files: list[str], env: dict[str, str], scratch: Path) -> tuple[bool, float]:
    """(passed, seconds) of the tests, run against the copy that env's PYTHONPATH names: the
    module's own in-process tests alone first (most mutants die there, and collecting the other
    files costs seconds), then the rest."""
    own = [f for f in files if Path(f).name.startswith("test_domain_")]
    stages = [own, [f for f in files if f not in own]] if own else [files]
    passed, seconds = True, 0.0
    for stage in stages:
        if stage and passed:
            passed, took = _pytest(stage, env, scratch)
            seconds += took
    return passed, seconds


def _pytest(files: list[str], env: dict[str, str], scratch: Path) -> tuple[bool, float]:
    if scratch.exists():
        shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    started = time.monotonic()
    try:
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                *files,
                "-x",
                "-q",
                "-p",
                "no:cacheprovider",
                f"--basetemp={scratch / 'pytest'}",
            ],
            cwd=ROOT,
            env={**env, "TMPDIR": str(scratch)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=TIMEOUT,
        )
        passed = done.returncode == 0
    except subprocess.TimeoutExpired:
        passed = False
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return passed, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", choices=sorted(TESTS), help="only this module (repeatable)")
    parser.add_argument("--existing-only", action="store_true", help="leave out tests/test_domain_*.py")
    parser.add_argument(
        "--own-only",
        action="store_true",
        help="only tests/test_domain_MODULE.py (quick; a mutant they miss may still be killed by the others)",
    )
    parser.add_argument("--list", action="store_true", help="list the mutants and the stale ones; run nothing")
    args = parser.parse_args(argv)
    modules = args.module or list(TESTS)
    chosen = [m for m in MUTANTS if m.module in modules]
    texts = {module: source_of(module).read_text(encoding="utf-8") for module in modules}

    if args.list:
        for number, mutant in enumerate(chosen, 1):
            state = "stale" if apply(texts[mutant.module], mutant) is None else "ok"
            print(
                f"{number:3} {state:5} {mutant.module:14} {mutant.description}"
                + (f"  [equivalent: {mutant.equivalent}]" if mutant.equivalent else "")
            )
        return 0

    # Ctrl-C, or a kill (a run started in the background ignores SIGINT): stop, report, clean up
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    work = Path(tempfile.mkdtemp(prefix="oscli-mutants-"))
    results: list[tuple[Mutant, str, float]] = []
    started = time.monotonic()
    try:
        copy = work / "src"
        shutil.copytree(ROOT / "src", copy, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        (work / "data").symlink_to(ROOT / "data")  # where paths.packaged_data_dir looks in a checkout
        path = os.pathsep.join([str(copy), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        env = {**os.environ, "PYTHONPATH": path, "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("PYTEST_ADDOPTS", None)
        where = subprocess.run(
            [sys.executable, "-c", f"import {PACKAGE}; print({PACKAGE}.__file__)"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not where.startswith(str(copy)):
            print(f"the copy is not what Python imports ({where}); stopping", file=sys.stderr)
            return 2
        for module in modules:
            files = tests_for(module, args.existing_only, args.own_only)
            passed, seconds = run_tests(files, env, work / "scratch")
            print(
                f"== {module}: {len(files)} test files, unmutated {'pass' if passed else 'FAIL'} in {seconds:.0f} s",
                flush=True,
            )
            if not passed:
                print(f"   the tests fail without a mutant: {module} cannot be measured", file=sys.stderr)
                continue
            target = copy / source_of(module).relative_to(ROOT / "src")  # the module's file in the copy
            for mutant in (m for m in chosen if m.module == module):
                mutated = apply(texts[module], mutant)
                if mutated is None:
                    results.append((mutant, "stale", 0.0))
                    print(f"   stale     {mutant.description}: snippet not found once: {mutant.original!r}", flush=True)
                    continue
                target.write_text(mutated, encoding="utf-8")
                try:
                    passed, seconds = run_tests(files, env, work / "scratch")
                finally:
                    target.write_text(texts[module], encoding="utf-8")
                state = "survived" if passed else "killed"
                results.append((mutant, state, seconds))
                print(f"   {state:9} {seconds:5.1f} s  {mutant.description}", flush=True)
    except KeyboardInterrupt:
        print("\ninterrupted: the summary covers the mutants run so far", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(
        results,
        time.monotonic() - started,
        "existing only"
        if args.existing_only
        else "test_domain_* only"
        if args.own_only
        else "existing and test_domain_*",
    )
    return 0


def report(results: list[tuple[Mutant, str, float]], seconds: float, tests: str) -> None:
    print(f"\n{'module':14} {'killed':>6} {'total':>5} {'equiv':>5} {'stale':>5} {'rate':>6}   (tests: {tests})")
    for module in dict.fromkeys(m.module for m, _, _ in results):
        rows = [(m, s) for m, s, _ in results if m.module == module]
        killed = sum(s == "killed" for _, s in rows)
        stale = sum(s == "stale" for _, s in rows)
        equivalent = sum(s == "survived" and bool(m.equivalent) for m, s in rows)
        counted = len(rows) - stale - equivalent
        rate = f"{100 * killed / counted:5.1f}%" if counted else "   -  "
        print(f"{module:14} {killed:6} {len(rows) - stale:5} {equivalent:5} {stale:5} {rate}")
    survivors = [(m, s) for m, s, _ in results if s != "killed"]
    if survivors:
        print("\nsurvivors:")
        for mutant, state in survivors:
            why = f"equivalent: {mutant.equivalent}" if mutant.equivalent and state == "survived" else state
            print(f"  {mutant.module:8} {mutant.description}  [{why}]")
    print(f"\n{len(results)} mutants in {seconds / 60:.1f} min")


if __name__ == "__main__":
    sys.exit(main())
