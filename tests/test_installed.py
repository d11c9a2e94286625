"""The installed console script, run in a subprocess from outside the checkout."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import oscli_executable


def test_console_script_lists_cities_as_json(oscli):
    done = oscli("cities", "list", "--json")
    assert done.returncode == 0, done.stderr
    names = [c["name"] for c in json.loads(done.stdout)]
    assert names[:3] == ["Dalian", "Chengdu", "Shanghai"] and "Suzhou" in names


def test_console_script_piped_output_has_no_ansi(oscli):
    done = oscli("policy", "show", "11th-fyp")
    assert done.returncode == 0
    assert "\x1b" not in done.stdout
    assert "build a number of outsourcing bases" in done.stdout


def test_python_dash_m_works(tmp_path):
    done = subprocess.run([sys.executable, "-m", "outsourcing_cli", "policy", "show", "1000-100-10", "--json"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "1,000-100-10 Project"


def test_exit_codes_across_the_process_boundary(oscli):
    assert oscli("policy", "show", "11th-fpy").returncode == 1
    assert oscli("no-such-command").returncode == 2
    assert oscli("check").returncode == 0


def test_closed_pipe_ends_quietly(tmp_path):
    """`oscli cities list | head -1`: the reader leaves early; no traceback, no error message."""
    proc = subprocess.Popen([oscli_executable(), "sources", "list", "--json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=tmp_path)
    proc.stdout.close()  # the reader is gone before oscli writes a byte
    stderr = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0
    assert stderr == ""


def test_pipeline_with_head(tmp_path):
    done = subprocess.run(f"'{oscli_executable()}' cities list | head -1", shell=True, capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert done.stdout == "ID\tName\tChinese\tProvince\tPrimary\tTitles\n"
    assert done.stderr == ""


def test_csv_from_the_console_script_has_bom_and_crlf(oscli):
    done = subprocess.run([oscli_executable(), "cities", "list", "--province", "jiangsu", "--format", "csv"],
                          capture_output=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.decode("utf-8-sig").split("\r\n")[:3] == [
        "id,name,name_zh,province,province_zh,province_type,division_code,geonames_id,latitude,longitude,"
        "primary_outsourcing_city,showcase_areas,designations,titles,note,conflicts,sources",
        "nanjing,Nanjing,南京市,Jiangsu,江苏省,province,320100,1799962,32.06167,118.77778,true,,"
        "nanjing-base-city; nanjing-model-city,base-city; model-city,,,oj-article; mca-division-codes; geonames",
        "suzhou,Suzhou,苏州市,Jiangsu,江苏省,province,320500,1886760,31.30408,120.59538,false,suzhou-industrial-park,"
        "suzhou-model-city,model-city,Host city of Suzhou Industrial Park. The 2007 article does not list Suzhou among the 11 "
        "primary outsourcing cities; Suzhou became a model city in 2009.,,oj-article; mca-division-codes; geonames",
    ]
