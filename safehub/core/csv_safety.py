"""CSV written by Safehub is safe to open in a spreadsheet (no formula injection).

OWASP "CSV Injection": a spreadsheet treats a cell starting with =, +, -, @, a tab or a carriage
return as a formula, so a value typed by anyone (a narrative, a name, a cell of an uploaded file
echoed back in an error report) could run `=HYPERLINK(...)` or worse on the reader's machine.
`safe_cell` prefixes such a cell with a single quote, which spreadsheets show as text.

We are strict on purpose: plain negative numbers ("-3") are quoted too. Safehub's exports are for
people to read, and a rule that let "-3" through would have to parse numbers exactly as every
spreadsheet does ("-1+2" is a formula); a quote in front of a negative number is harmless.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    """`value` as text, with a leading single quote when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def write_csv(rows: Iterable[Sequence[Any]], header: Sequence[str], stream: TextIO) -> int:
    """Write `header` and `rows` to `stream` with every cell made safe; the number of rows written."""
    writer = csv.writer(stream)
    writer.writerow([safe_cell(name) for name in header])
    count = 0
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        count += 1
    return count
