"""Bulk intake: referrals from a partner's system as a CSV file, checked row by row, all or none.

`parse_referral_csv(stream)` reads and checks a file and touches nothing (apart from reading the
district codes); `import_referrals(actor=..., parsed=...)` refuses a file with any error and
otherwise makes every referral through `services.referral_create` in one transaction, so a failure
on the last row leaves nothing behind. Used by the upload page and `safehub import_referrals`.

Error messages name the row (the line number in the file, the header being row 1) and the column.
They never repeat the free text or a subject's details from the file (those columns say
"not shown" instead), so the error report holds no more personal data than a row number.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.core import audit
from safehub.core.csv_safety import write_csv
from safehub.core.models import AuditAction, ConsentStatus, District, LawfulBasis
from safehub.people import rules as people_rules
from safehub.people.models import Identifier, IdentifierKind, Person
from safehub.referrals.models import ChildSeen, ConcernCategory, SeenAlone, Source

MAX_ROWS = 5_000
MAX_BYTES = 5 * 1_048_576  # the command's limit; the page also keeps to the upload settings
PROGRESS_EVERY = 50
ADDRESS_NOT_GIVEN = "Not given (postcode only, from a bulk import)"
MAX_TEXT = 20_000  # characters in one free-text cell

# (column, required value, what goes in it). The order is the order of the template file.
COLUMNS: list[tuple[str, bool, str]] = [
    ("received_at", True, "When the referral was received: 2026-11-20T14:30 or 20/11/2026 14:30 (UK time)"),
    ("source", True, "Who referred: " + ", ".join(Source.values)),
    ("categories", True, "Concern categories separated by ';', like neglect;domestic_abuse"),
    ("district", True, "District code, like leeds"),
    ("what_happened", True, "What happened, in the referrer's words"),
    ("risks", False, "Risks seen (optional)"),
    ("strengths", False, "Strengths and protective factors (optional)"),
    ("consent_status", True, "Consent: " + ", ".join(ConsentStatus.values)),
    ("consent_note", False, "Why shared without consent (needed for refused and not_sought)"),
    ("lawful_basis", True, "Lawful basis: " + ", ".join(LawfulBasis.values)),
    ("subject_given_name", True, "First name of the person the referral is about"),
    ("subject_family_name", True, "Last name"),
    ("subject_date_of_birth", False, "Date of birth: 2015-03-01 or 01/03/2015 (blank if not known)"),
    ("subject_nhs_number", False, "NHS number, 10 digits (optional)"),
    ("subject_postcode", False, "Postcode, like LS1 4AP (optional)"),
    ("child_seen", True, "Has the child been seen: " + ", ".join(ChildSeen.values)),
    ("seen_alone", False, "Seen alone: yes or no (needed when child_seen is yes)"),
]
COLUMN_NAMES = [name for name, _, _ in COLUMNS]
# Optional columns may be left out of the header altogether.
HEADER_REQUIRED = [name for name, required, _ in COLUMNS if required or name == "subject_date_of_birth"]
# Columns whose values are never repeated in an error message or the error report.
PRIVATE_COLUMNS = frozenset(
    {
        "what_happened",
        "risks",
        "strengths",
        "consent_note",
        "subject_given_name",
        "subject_family_name",
        "subject_date_of_birth",
        "subject_nhs_number",
        "subject_postcode",
    }
)
REPORT_HEADER = ["row", "column", "value", "problem"]

_DATE_TIME_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class RowError:
    row_number: int
    column: str
    value_shown: str
    message: str

    def as_row(self) -> list[Any]:
        return [self.row_number or "", self.column, self.value_shown, self.message]


@dataclass
class RowData:
    row_number: int
    received_at: datetime
    source: str
    categories: list[str]
    district: District
    what_happened: str
    risks: str
    strengths: str
    consent_status: str
    consent_note: str
    lawful_basis: str
    child_seen: str
    seen_alone: str
    subject: dict[str, Any]  # given_name, family_name, date_of_birth, nhs_number, postcode


@dataclass
class ParsedFile:
    rows: list[RowData] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


@dataclass
class ImportResult:
    referrals: list[Any]
    new_people: int
    matched_people: int

    @property
    def count(self) -> int:
        return len(self.referrals)


class ImportRefused(Exception):
    """The file has errors (or a row failed while saving): nothing was saved."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems in the file: nothing was saved")
        self.errors = errors


# --- reading -------------------------------------------------------------------------------------


def _shown(column: str, value: str) -> str:
    if column in PRIVATE_COLUMNS:
        return "(not shown)" if value else ""
    return value if len(value) <= 60 else value[:57] + "..."


def _decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def parse_referral_csv(
    stream: IO[bytes] | IO[str] | bytes | str,
    *,
    actor: Any = None,
    districts: dict[str, District] | None = None,
    now: datetime | None = None,
    max_bytes: int = MAX_BYTES,
) -> ParsedFile:
    """Read and check a referral file; every problem found becomes a RowError (row 0 = the file).

    With an `actor`, the districts allowed are those the actor's agency serves (a referral goes to
    the MASH of a district the referrer works in); otherwise every district.
    """
    raw: Any = stream if isinstance(stream, bytes | str) else stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        return _file_error(f"The file is larger than {max_bytes // 1024} KB: split it into smaller files")
    text = _decode(raw) if isinstance(raw, bytes) else raw.removeprefix("\ufeff")
    if text is None:
        return _file_error("The file is not UTF-8 text: save it as 'CSV UTF-8' and upload it again")
    if "\x00" in text:
        return _file_error("The file is not a CSV file: save it as 'CSV UTF-8' and upload it again")
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            return _file_error("The file is empty: the first row must name the columns")
        parsed = ParsedFile()
        columns = [cell.strip().lower() for cell in header]
        parsed.errors.extend(_header_errors(columns))
        if parsed.errors:
            return parsed
        checker = _RowChecker(
            districts if districts is not None else _districts(actor), now or timezone.now()
        )
        for row_number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue  # blank lines at the end of a spreadsheet export
            if len(parsed.rows) + 1 > MAX_ROWS:
                parsed.errors.append(
                    RowError(row_number, "", "", f"The file has more than {MAX_ROWS:,} referrals: split it")
                )
                break
            if len(cells) != len(columns):
                parsed.errors.append(
                    RowError(
                        row_number,
                        "",
                        "",
                        f"This row has {len(cells)} cells but the header has {len(columns)}",
                    )
                )
                continue
            row, errors = checker.check(row_number, dict(zip(columns, cells, strict=True)))
            parsed.errors.extend(errors)
            if row is not None:
                parsed.rows.append(row)
    except csv.Error as exc:
        return _file_error(f"The file is not a readable CSV file ({exc})")
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(RowError(0, "", "", "The file has a header but no referrals"))
    return parsed


def _file_error(message: str) -> ParsedFile:
    return ParsedFile(errors=[RowError(0, "", "", message)])


def _districts(actor: Any) -> dict[str, District]:
    found = District.objects.select_related("force")
    if actor is not None:
        found = found.filter(agencies=actor.agency_id) if getattr(actor, "agency_id", None) else found.none()
    return {d.code: d for d in found}


def _header_errors(columns: list[str]) -> list[RowError]:
    errors = []
    missing = [name for name in HEADER_REQUIRED if name not in columns]
    unknown = [name for name in columns if name not in COLUMN_NAMES]
    repeated = sorted({name for name in columns if columns.count(name) > 1})
    if missing:
        errors.append(RowError(1, "", "", f"Missing columns: {', '.join(missing)}"))
    if unknown:
        errors.append(
            RowError(
                1,
                "",
                "",
                f"Unknown columns: {', '.join(repr(name) for name in unknown)}. "
                f"Columns allowed: {', '.join(COLUMN_NAMES)}",
            )
        )
    if repeated:
        errors.append(RowError(1, "", "", f"Columns named more than once: {', '.join(repeated)}"))
    return errors


def _parse_received_at(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
        for fmt in _DATE_TIME_FORMATS:
            try:
                moment = datetime.strptime(value, fmt)  # noqa: DTZ007 - made aware below
                break
            except ValueError:
                continue
    if moment is None:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _parse_date(value: str) -> date | None:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 - a date, no time zone
        except ValueError:
            continue
    return None


def _choice(value: str, allowed: Iterable[str]) -> str | None:
    wanted = value.strip().lower()
    return wanted if wanted in set(allowed) else None


class _RowChecker:
    def __init__(self, districts: dict[str, District], now: datetime) -> None:
        self.districts = districts
        self.now = now
        self.today = timezone.localdate(now)

    def check(self, row_number: int, cells: dict[str, str]) -> tuple[RowData | None, list[RowError]]:
        errors: list[RowError] = []
        values = {name: (cells.get(name) or "").strip() for name in COLUMN_NAMES}

        def fail(column: str, message: str) -> None:
            errors.append(RowError(row_number, column, _shown(column, values[column]), message))

        for name, required, _ in COLUMNS:
            if required and not values[name]:
                fail(name, f"Enter {name}: it is required")
            elif len(values[name]) > MAX_TEXT:
                fail(name, f"Shorten {name} to {MAX_TEXT:,} characters or fewer")
        received_at = None
        if values["received_at"]:
            received_at = _parse_received_at(values["received_at"])
            if received_at is None:
                fail("received_at", "Enter a date and time like 2026-11-20T14:30 or 20/11/2026 14:30")
            elif received_at > self.now:
                fail("received_at", "The date received must be in the past, not the future")
        source = _choice(values["source"], Source.values)
        if values["source"] and source is None:
            fail("source", f"Unknown source '{values['source']}'. Use one of: {', '.join(Source.values)}")
        categories = [c.strip().lower() for c in values["categories"].split(";") if c.strip()]
        unknown = [c for c in categories if c not in ConcernCategory.values]
        if unknown:
            fail(
                "categories",
                f"Unknown {'category' if len(unknown) == 1 else 'categories'} "
                f"{', '.join(repr(c) for c in unknown)}. Use one or more of: "
                f"{', '.join(ConcernCategory.values)}",
            )
        elif values["categories"] and not categories:
            fail("categories", "Enter at least one category")
        elif len(set(categories)) != len(categories):
            fail("categories", "Name each category once")
        district = self.districts.get(values["district"].lower())
        if values["district"] and district is None:
            fail(
                "district",
                f"Unknown district '{values['district']}'. Use one of: {', '.join(sorted(self.districts))}",
            )
        consent = _choice(values["consent_status"], ConsentStatus.values)
        if values["consent_status"] and consent is None:
            fail(
                "consent_status",
                f"Unknown consent status '{values['consent_status']}'. "
                f"Use one of: {', '.join(ConsentStatus.values)}",
            )
        if consent in (ConsentStatus.REFUSED, ConsentStatus.NOT_SOUGHT) and not values["consent_note"]:
            fail("consent_note", "Enter why the referral is shared without consent")
        basis = _choice(values["lawful_basis"], LawfulBasis.values)
        if values["lawful_basis"] and basis is None:
            fail(
                "lawful_basis",
                f"Unknown lawful basis '{values['lawful_basis']}'. "
                f"Use one of: {', '.join(LawfulBasis.values)}",
            )
        elif basis == LawfulBasis.CONSENT and consent and consent != ConsentStatus.GIVEN:
            fail("lawful_basis", "Consent is not the lawful basis when consent was not given")
        child_seen = _choice(values["child_seen"], ChildSeen.values)
        if values["child_seen"] and child_seen is None:
            fail(
                "child_seen",
                f"Unknown value '{values['child_seen']}'. Use one of: {', '.join(ChildSeen.values)}",
            )
        seen_alone = _choice(values["seen_alone"], [v for v in SeenAlone.values if v])
        if values["seen_alone"] and seen_alone is None:
            fail("seen_alone", f"Unknown value '{values['seen_alone']}'. Use yes or no")
        if child_seen == ChildSeen.YES and not values["seen_alone"]:
            fail("seen_alone", "Say whether the child was seen alone: yes or no")
        dob = None
        if values["subject_date_of_birth"]:
            dob = _parse_date(values["subject_date_of_birth"])
            problem = (
                "Enter a date of birth like 2015-03-01 or 01/03/2015"
                if dob is None
                else people_rules.date_of_birth_problem(dob, self.today)
            )
            if problem:
                fail("subject_date_of_birth", problem)
        nhs = people_rules.normalise_nhs_number(values["subject_nhs_number"])
        if nhs:
            problem = people_rules.nhs_number_problem(nhs)
            if problem:
                fail("subject_nhs_number", problem)
        postcode = people_rules.normalise_postcode(values["subject_postcode"])
        if postcode and people_rules.postcode_problem(postcode):
            fail("subject_postcode", "Enter a real postcode, like LS1 4AP")
        if errors:
            return None, errors
        assert received_at is not None and source and consent and basis and child_seen and district
        return (
            RowData(
                row_number=row_number,
                received_at=received_at,
                source=source,
                categories=categories,
                district=district,
                what_happened=values["what_happened"],
                risks=values["risks"],
                strengths=values["strengths"],
                consent_status=consent,
                consent_note=values["consent_note"],
                lawful_basis=basis,
                child_seen=child_seen,
                seen_alone=seen_alone or "",
                subject={
                    "given_name": values["subject_given_name"],
                    "family_name": values["subject_family_name"],
                    "date_of_birth": dob,
                    "nhs_number": nhs,
                    "postcode": postcode,
                },
            ),
            [],
        )


def error_report_csv(errors: Iterable[RowError]) -> str:
    """The error report as CSV text, every cell formula-safe."""
    stream = io.StringIO()
    write_csv((error.as_row() for error in errors), REPORT_HEADER, stream)
    return stream.getvalue()


def template_csv() -> str:
    """An empty file with the header row, for partners to fill in."""
    stream = io.StringIO()
    write_csv([], COLUMN_NAMES, stream)
    return stream.getvalue()


# --- importing -----------------------------------------------------------------------------------

Progress = Callable[[int, int], None]


def _match_person(actor: Any, subject: dict[str, Any]) -> Person | None:
    """A person the actor can see: the same NHS number, else the same names and date of birth."""
    visible = Person.objects.visible_to(actor)
    if subject["nhs_number"]:
        found = visible.filter(
            identifiers__kind=IdentifierKind.NHS_NUMBER, identifiers__value=subject["nhs_number"]
        ).first()
        if found is not None:
            return found
    if subject["date_of_birth"] is None:
        return None
    candidates = list(
        visible.filter(
            given_name__iexact=subject["given_name"],
            family_name__iexact=subject["family_name"],
            date_of_birth=subject["date_of_birth"],
        )[:2]
    )
    return candidates[0] if len(candidates) == 1 else None


def _new_person(subject: dict[str, Any]) -> dict[str, Any]:
    person = {"given_name": subject["given_name"], "family_name": subject["family_name"]}
    if subject["date_of_birth"] is not None:
        person["date_of_birth"] = subject["date_of_birth"]
    return person


def _messages(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [(name, " ".join(messages)) for name, messages in exc.message_dict.items()]
    return [("", " ".join(exc.messages))]


def import_referrals(*, actor: Any, parsed: ParsedFile, progress: Progress | None = None) -> ImportResult:
    """Make one referral per row, all in one transaction; ImportRefused (nothing saved) on any error."""
    from safehub.referrals import services  # the other half of the app; imported when used

    if parsed.errors or not parsed.rows:
        raise ImportRefused(parsed.errors or [RowError(0, "", "", "The file has no referrals")])
    if not getattr(actor, "has_person_level_access", False):
        raise PermissionDenied("Your role does not give access to person-level records")
    total = len(parsed.rows)
    referrals: list[Any] = []
    new_people = matched = 0
    try:
        with transaction.atomic():
            for done, row in enumerate(parsed.rows, start=1):
                person = _match_person(actor, row.subject)
                if person is None:
                    new_people += 1
                    subject: dict[str, Any] = {"new_person": _new_person(row.subject)}
                else:
                    matched += 1
                    subject = {"person": person}
                try:
                    referral = services.referral_create(
                        actor=actor,
                        district=row.district,
                        source=row.source,
                        categories=row.categories,
                        what_happened=row.what_happened,
                        risks=row.risks,
                        strengths=row.strengths,
                        consent_status=row.consent_status,
                        consent_note=row.consent_note,
                        lawful_basis=row.lawful_basis,
                        child_seen=row.child_seen,
                        seen_alone=row.seen_alone,
                        subjects=[subject],
                        received_at=row.received_at,
                    )
                except ValidationError as exc:
                    raise ImportRefused(
                        [RowError(row.row_number, column, "", message) for column, message in _messages(exc)]
                    ) from exc
                _add_details(actor, referral, person, row.subject)
                referrals.append(referral)
                if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
                    progress(done, total)
            audit.record(
                actor,
                AuditAction.CREATE,
                object_type="referrals.import",
                object_id=str(uuid.uuid4()),
                fields=["referrals"],
                reason=f"Bulk import of {total} referrals ({new_people} new people, {matched} matched)",
            )
    except PermissionDenied as exc:
        raise ImportRefused([RowError(0, "", "", str(exc))]) from exc
    return ImportResult(referrals=referrals, new_people=new_people, matched_people=matched)


def _add_details(actor: Any, referral: Any, matched: Person | None, subject: dict[str, Any]) -> None:
    """Record the NHS number and postcode on a person created by this import."""
    if matched is not None:
        return
    from safehub.people import services as people_services

    person = referral.subjects.select_related("person").first().person
    if (
        subject["nhs_number"]
        and not Identifier.objects.filter(person=person, kind=IdentifierKind.NHS_NUMBER).exists()
    ):
        people_services.identifier_add(
            actor=actor, person=person, kind=IdentifierKind.NHS_NUMBER, value=subject["nhs_number"]
        )
    if subject["postcode"]:
        people_services.address_add(
            actor=actor, person=person, line1=ADDRESS_NOT_GIVEN, postcode=subject["postcode"]
        )
