"""Hypothesis against the importers that exist now: malformed input is refused with a clear error
naming where, and nothing is half-saved.

- Referral CSV intake (`safehub.referrals.intake`, behind `safehub import_referrals` and the upload
  page): arbitrary bytes, and valid files with cells, headers and rows mangled.
- Instrument definition loader (`safehub.instruments.services.instrument_version_create`, behind the
  admin's upload): a shipped definition with values replaced, keys dropped and keys added.

The police.uk and Home Office open-data importers are fuzzed in test_open_data_fuzz.py, partner
person extracts (linkage) in test_extract_fuzz.py.

Derandomized: the same examples every run; a few dozen each, to keep the suite fast.
"""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.referrals import intake
from safehub.referrals.tests.test_intake_parse import csv_bytes, row

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TABLES = ("referrals.Referral", "referrals.ReferralSubject", "people.Person", "core.AuditEvent")


def _counts(labels=TABLES) -> dict[str, int]:
    return {label: apps.get_model(label)._base_manager.count() for label in labels}


# --- referral CSV --------------------------------------------------------------------------------

NASTY_TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            " ",
            "=HYPERLINK(\"http://example.com\")",
            "+1+1",
            "-2",
            "@SUM(A1)",
            "\x00",
            "\u202e",
            "a,b",
            'quote"inside',
            "line\nbreak",
            "31/02/2026 10:00",
            "2999-01-01T10:00",
            "not_a_choice",
            "neglect;;",
            "LEEDS",
            "9" * 12,
            "x" * (intake.MAX_TEXT + 1),
        ]
    ),
)


@st.composite
def mangled_files(draw) -> tuple[bytes, int]:
    """A file of 1-4 valid rows, then some of: cells replaced, a header cell renamed or dropped,
    a row cut short or extended. Returns (bytes, number of rows)."""
    count = draw(st.integers(1, 4))
    rows = [row(subject_given_name=f"Hypo{n}", subject_family_name="Fuzzfile") for n in range(count)]
    header = list(intake.COLUMN_NAMES)
    for _ in range(draw(st.integers(0, 4))):
        target = rows[draw(st.integers(0, count - 1))]
        target[draw(st.sampled_from(header))] = draw(NASTY_TEXT)
    if draw(st.booleans()):
        index = draw(st.integers(0, len(header) - 1))
        header[index] = draw(
            st.sampled_from(["", "Received At", "what happened", header[index] + "x", "extra"])
        )
    data = csv_bytes(rows, header=header)
    if draw(st.booleans()):
        lines = data.split(b"\r\n")
        line = draw(st.integers(1, len(lines) - 1))
        if draw(st.booleans()):
            lines[line] = lines[line].rsplit(b",", draw(st.integers(1, 3)))[0]  # a row cut short
        else:
            lines[line] = lines[line] + b",extra"
        data = b"\r\n".join(lines)
    return data, count


def _check_refusal_is_clear(parsed: intake.ParsedFile) -> None:
    for error in parsed.errors:
        assert error.message.strip(), error
        assert error.column in intake.COLUMN_NAMES or error.column == "" or error.row_number == 1, error
        assert error.row_number >= 0


@pytest.fixture
def referrer(agencies, districts):
    return UserFactory(
        username="fuzzreferrer",
        agency=agencies["leeds_school"],
        district=districts["leeds"],
        roles=[Role.PARTNER_PRACTITIONER],
    )


@FUZZ
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes_are_refused_cleanly_or_read(referrer, data):
    parsed = intake.parse_referral_csv(io.BytesIO(data), actor=referrer)
    _check_refusal_is_clear(parsed)
    if not parsed.ok:
        before = _counts()
        with pytest.raises(intake.ImportRefused):
            intake.import_referrals(actor=referrer, parsed=parsed)
        assert _counts() == before


@FUZZ
@given(file=mangled_files())
def test_mangled_files_are_all_or_nothing(referrer, file):
    data, count = file
    before = _counts()
    parsed = intake.parse_referral_csv(io.BytesIO(data), actor=referrer)
    _check_refusal_is_clear(parsed)
    with transaction.atomic():
        event("imported" if parsed.ok else "refused")
        if parsed.ok:
            result = intake.import_referrals(actor=referrer, parsed=parsed)
            assert result.count == len(parsed.rows) == count
            after = _counts()
            assert after["referrals.Referral"] == before["referrals.Referral"] + count
        else:
            assert parsed.errors, "a file that is not ok names its problems"
            with pytest.raises(intake.ImportRefused) as refused:
                intake.import_referrals(actor=referrer, parsed=parsed)
            assert refused.value.errors
            assert _counts() == before, "a refused file saved something"
        transaction.set_rollback(True)  # the next example starts from the same database


# --- instrument definitions ----------------------------------------------------------------------

DEFINITIONS = Path(__file__).resolve().parents[2] / "safehub" / "instruments" / "definitions"
DASH = json.loads((DEFINITIONS / "dash.json").read_text(encoding="utf-8"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 100) | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(document, prefix=()):
    """Every (path, container) in a JSON document: where a value can be replaced or a key dropped."""
    if isinstance(document, dict):
        for key, value in document.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield prefix + (index,)
            yield from _paths(value, prefix + (index,))


DASH_PATHS = [p for p in _paths(DASH) if p[0] not in ("id",)]


@st.composite
def mangled_definitions(draw):
    document = copy.deepcopy(DASH)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(DASH_PATHS))
        parent = document
        try:
            for step in path[:-1]:
                parent = parent[step]
            action = draw(st.sampled_from(["replace", "drop", "add"]))
            if action == "replace":
                parent[path[-1]] = draw(JSON_VALUES)
            elif action == "drop" and isinstance(parent, dict):
                parent.pop(path[-1], None)
            elif isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=8))] = draw(JSON_VALUES)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the path
    return document


@pytest.fixture
def administrator(agencies, districts):
    from safehub.instruments.services import instruments_load_shipped

    instruments_load_shipped()
    return UserFactory(username="fuzzadmin", agency=agencies["police"], district=None, roles=[Role.ADMIN])


@FUZZ
@given(document=mangled_definitions())
def test_mangled_instrument_definitions_are_refused_naming_the_problem(administrator, document):
    from safehub.instruments import rules
    from safehub.instruments.models import InstrumentVersion
    from safehub.instruments.services import instrument_version_create

    before = _counts(("instruments.InstrumentVersion", "core.AuditEvent"))
    current = InstrumentVersion.objects.get(instrument_id="dash", is_current=True).pk
    with transaction.atomic():
        try:
            version = instrument_version_create(
                actor=administrator, instrument_id="dash", definition=document
            )
        except ValidationError as refused:
            event("refused")
            problems = refused.message_dict.get("definition", [])
            assert problems and all(isinstance(p, str) and p.strip() for p in problems), refused.message_dict
            assert _counts(("instruments.InstrumentVersion", "core.AuditEvent")) == before
            assert InstrumentVersion.objects.get(instrument_id="dash", is_current=True).pk == current
        else:
            event("still valid: loaded")
            # Still valid after the change: it must load and score like any definition.
            definition = rules.parse_definition(version.definition)
            assert definition.id == "dash"
        transaction.set_rollback(True)
