"""What a reader sees is right (issue 20): every width, the flat formats, a stdout that cannot
encode, the notes on stderr, the order of dates and Chinese names, help that describes today's
data, and `sources open`. Driven through the real CLI (in-process, or the installed console
script on a real pseudo-terminal)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import DATA, oscli_executable
from test_terminal import on_a_terminal

# -- every width: values are never cut inside a word ---------------------------------------------

_WIDE = "\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60"


def _normal(text: str) -> str:
    """Text as read, whatever the layout: escape codes and box lines gone, whitespace as one space,
    and none next to a Han character (Chinese may wrap between any two characters)."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07", "", text)
    text = re.sub(r"[│╭╮╰╯─┃━┏┓┗┛]", " ", text)
    text = " ".join(text.split())
    return re.sub(rf" (?=[{_WIDE}])|(?<=[{_WIDE}]) ", "", text)


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, str):
        return [value]
    return []


def _piped(*args: str) -> str:
    done = subprocess.run([oscli_executable(), *args], capture_output=True, text=True, timeout=60,
                          env={k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "COLUMNS")})
    assert done.returncode == 0, done.stderr
    return done.stdout


SHOWN = [("cities", "xian"), ("policies", "11th-fyp"), ("designations", "dalian-base-city"),
         ("conflicts", "export-target")]


@pytest.mark.parametrize("command,record", SHOWN)
def test_every_value_of_a_show_page_is_whole_at_every_width(command, record):
    """Each value the piped page shows (taken from the record's JSON) appears on the terminal at
    40, 50, 60, 80 and 200 columns with no line break inside a word."""
    values = {_normal(s) for s in _strings(json.loads(_piped(command, "show", record, "--json"))) if s.strip()}
    plain = _normal(_piped(command, "show", record))
    shown = sorted(v for v in values if v in plain)
    assert len(shown) >= 5, shown
    for columns in (40, 50, 60, 80, 200):
        page = on_a_terminal(command, "show", record, columns=columns)
        assert "Traceback" not in page
        seen = _normal(page)
        missing = [v for v in shown if v not in seen]
        assert not missing, (columns, missing[:3], seen[:600])


def test_a_narrow_page_stacks_label_over_value():
    page = re.sub(r"\x1b\[[0-9;]*m", "", on_a_terminal("cities", "show", "xian", columns=40)).replace("\r", "")
    lines = page.splitlines()
    assert "Chinese name" in lines and lines[lines.index("Chinese name") + 1].strip() == "西安市", page
    assert "╭" not in page  # no box: it would take four of the forty columns
    wide = re.sub(r"\x1b\[[0-9;]*m", "", on_a_terminal("cities", "show", "xian", columns=100))
    assert "╭─ city xian" in wide


def test_a_table_too_wide_falls_back_to_records_not_to_cut_words():
    out = re.sub(r"\x1b\[[0-9;]*m", "", on_a_terminal("policies", "list", columns=40)).replace("\r", "")
    assert re.search(r"^ID +11th-fyp$", out, re.M), out[:500]
    title = "Outline of the Eleventh Five-Year Plan for National Economic and Social Development"
    assert title in _normal(out)
    for columns in (60, 80):  # a table that fits keeps each word of the title whole
        assert title in _normal(on_a_terminal("policies", "list", columns=columns))
