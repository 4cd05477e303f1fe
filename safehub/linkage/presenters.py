"""Display strings and chart geometry for person matching (templates stay logic-free)."""

from __future__ import annotations

from typing import Any

from safehub.linkage import engine
from safehub.people import presenters as people_presenters


def percent(probability: float) -> str:
    if probability >= 0.9995:
        return "over 99.9%"
    return f"{probability * 100:.1f}%"


def evidence_rows(fields: list[Any]) -> list[dict[str, Any]]:
    """Per-field evidence, from an Explanation's fields or stored JSON."""
    rows = []
    for item in fields:
        data = item if isinstance(item, dict) else item.__dict__
        weight = float(data.get("weight") or 0)
        if weight > 1:
            verdict, tag = "For a match", "govuk-tag--green"
        elif weight < -1:
            verdict, tag = "Against a match", "govuk-tag--red"
        else:
            verdict, tag = "Neutral", "govuk-tag--grey"
        rows.append(
            {
                "label": data["label"],
                "level": data["level"],
                "weight": f"{weight:+.1f}",
                "verdict": verdict,
                "tag": tag,
            }
        )
    return rows


def candidate_row(person, probability: float, explanation: engine.Explanation) -> dict[str, Any]:
    row = people_presenters.person_row(person)
    row.update(
        {
            "probability": percent(probability),
            "probability_value": f"{probability:.4f}",
            "agency": person.owning_agency.name,
            "evidence": evidence_rows(explanation.fields),
        }
    )
    return row


def side_by_side(record, person) -> list[dict[str, str]]:
    """Rows comparing a partner's record with an index person."""
    address = person.addresses.filter(to_date__isnull=True).first()
    nhs = person.identifiers.filter(kind="nhs_number").first()
    return [
        {"label": "First name", "left": record.first_name, "right": person.given_name},
        {"label": "Last name", "left": record.surname, "right": person.family_name},
        {
            "label": "Date of birth",
            "left": record.dob.strftime("%-d %B %Y"),
            "right": people_presenters.date_of_birth_text(person),
        },
        {"label": "Sex", "left": record.sex or "Not given", "right": person.get_sex_display()},
        {
            "label": "Address",
            "left": record.address or "Not given",
            "right": address.line1 if address else "None held",
        },
        {
            "label": "Town",
            "left": record.city or "Not given",
            "right": address.town if address else "None held",
        },
        {
            "label": "Postcode",
            "left": record.postcode or "Not given",
            "right": address.postcode if address else "None held",
        },
        {
            "label": "Identifier",
            "left": record.identifier or "Not given",
            "right": nhs.value if nhs else "None held",
        },
    ]


def weight_chart(parameters: list[dict[str, Any]], *, width: int = 640, bar: int = 18) -> dict[str, Any]:
    """Geometry for a server-rendered SVG bar chart of match weights (no script, no CDN)."""
    weights = [abs(p["weight"]) for p in parameters if p["weight"] is not None] or [1.0]
    scale = (width / 2 - 10) / max(weights)
    middle = width / 2
    bars = []
    for index, p in enumerate(parameters):
        w = p["weight"] or 0.0
        length = abs(w) * scale
        bars.append(
            {
                "y": index * (bar + 6),
                "x": middle if w >= 0 else middle - length,
                "width": max(length, 1),
                "positive": w >= 0,
                "label": f"{p['field']}: {p['level']} ({w:+.1f})",
            }
        )
    return {"width": width, "height": len(parameters) * (bar + 6), "bar": bar, "middle": middle, "bars": bars}


def extract_linked_sentence(extract) -> str:
    s = extract.summary
    return (
        f"Linked: {s['auto_linked']} automatically, {s['queued']} for review, "
        f"{s['no_match']} not found in the index"
    )


def extract_progress(extract) -> dict[str, Any]:
    """What the extract page's script shows while an extract links (counts only, no names)."""
    return {
        "status": extract.status,
        "processed_rows": extract.processed_rows,
        "good_rows": extract.good_rows,
        "text": f"{extract.processed_rows} of {extract.good_rows} rows linked",
        "summary": extract.summary,
    }
