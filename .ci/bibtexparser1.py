"""CI: read `oscli cite --all --format bibtex` with bibtexparser 1.x, in its own venv.

bibtexparser 1.x drops entries of a type it does not know (ignore_nonstandard_types) and
resolves month macros. The test suite uses 2.x; the two cannot share a venv, so .ci/run runs
this script with 1.x. Every entry must be kept, with its title and, where dated, its month.

    python .ci/bibtexparser1.py oscli.bib
"""

import re
import sys

import bibtexparser
from bibtexparser.bparser import BibTexParser

with open(sys.argv[1], encoding="utf-8") as file:
    text = file.read()
keys = re.findall(r"^@\w+\{([^,]+),", text, re.M)
parser = BibTexParser()
assert parser.ignore_nonstandard_types, "bibtexparser 1.x keeps only standard types by default"
entries = bibtexparser.loads(text, parser).entries
assert [e["ID"] for e in entries] == keys, ("entries dropped or reordered", keys, [e["ID"] for e in entries])
for entry in entries:
    assert entry.get("title") or entry.get("howpublished"), entry
    if "month" in entry:
        assert entry["month"] in (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ), entry
print(
    f"bibtexparser {bibtexparser.__version__}: all {len(entries)} entries kept "
    f"({', '.join(sorted({e['ENTRYTYPE'] for e in entries}))})"
)
