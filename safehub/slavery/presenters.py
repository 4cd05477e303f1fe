"""Modern slavery records and statistics turned into display strings (templates hold no logic)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from safehub.slavery.models import Kind, NrmReferral


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%-d %b %Y %H:%M}" if moment else ""


def _day(moment) -> str:
    return f"{timezone.localtime(moment):%-d %B %Y}" if moment else ""


def rg_clock(referral: NrmReferral, now=None) -> dict[str, str]:
    """The reasonable grounds clock as a tag: due, overdue, decided on target or late."""
    if referral.kind == Kind.DTN:
        return {"text": "No NRM decision (MS1)", "class": "govuk-tag--grey"}
    now = now or timezone.now()
    if referral.rg_decided_at is not None:
        if referral.rg_on_time:
            return {"text": "Decided within 5 working days", "class": "govuk-tag--green"}
        return {"text": "Decided after the 5 working day target", "class": "govuk-tag--orange"}
    if referral.rg_due_at and referral.rg_due_at < now:
        return {"text": f"Overdue since {_when(referral.rg_due_at)}", "class": "govuk-tag--red"}
    return {"text": f"Due {_when(referral.rg_due_at)}", "class": "govuk-tag--blue"}


def who(referral: NrmReferral) -> str:
    if referral.kind == Kind.DTN:
        return "Anonymous (MS1)"
    return referral.person.full_name


def referral_row(referral: NrmReferral) -> dict[str, Any]:
    return {
        "id": referral.pk,
        "reference": referral.reference,
        "who": who(referral),
        "kind": referral.get_kind_display(),
        "types": ", ".join(referral.exploitation_labels),
        "referred": _when(referral.referred_at),
        "district": referral.district.name,
        "status": referral.get_status_display(),
        "clock": rg_clock(referral),
    }


def _age(value) -> str:
    return "Not known" if value is None else f"{value}"


def summary_rows(referral: NrmReferral) -> list[tuple[str, str]]:
    rows = [
        ("Type", referral.get_kind_display()),
        ("Status", referral.get_status_display()),
        ("First responder", referral.first_responder.name),
        ("District", referral.district.name),
        ("Exploitation", ", ".join(referral.exploitation_labels)),
        ("County lines", "Yes" if referral.county_lines else "No"),
        ("Exploited in the UK", "Yes" if referral.exploitation_in_uk else "No, overseas only"),
        ("Nationality", referral.nationality),
        ("Sex", referral.get_sex_display()),
        ("Age when the exploitation began", _age(referral.age_at_exploitation)),
        ("Age at referral", _age(referral.age_at_referral)),
        ("Consent", referral.get_consent_display()),
        ("Submitted", _when(referral.referred_at)),
    ]
    if referral.kind == Kind.NRM:
        rows += [
            ("Competent authority", referral.get_authority_display() or "Not recorded"),
            ("Reasonable grounds decision due", _when(referral.rg_due_at)),
            (
                "Reasonable grounds decision",
                f"{referral.get_rg_decision_display()}, {_when(referral.rg_decided_at)}"
                if referral.rg_decision
                else "Not yet made",
            ),
        ]
        if referral.recovery_ends_at:
            rows.append(("Recovery period (at least 30 days) ends", _day(referral.recovery_ends_at)))
        rows.append(
            (
                "Conclusive grounds decision",
                f"{referral.get_cg_decision_display()}, {_when(referral.cg_decided_at)}"
                if referral.cg_decision
                else "Not yet made",
            )
        )
        if referral.outcome:
            rows.append(("Outcome", f"{referral.get_outcome_display()}, {_day(referral.outcome_at)}"))
    return rows


def next_steps(referral: NrmReferral) -> dict[str, bool]:
    nrm = referral.kind == Kind.NRM and referral.status != "withdrawn"
    return {
        "rg": nrm and not referral.rg_decision,
        "cg": nrm and referral.rg_decision == "positive" and not referral.cg_decision,
        "outcome": referral.kind == Kind.NRM,
    }
