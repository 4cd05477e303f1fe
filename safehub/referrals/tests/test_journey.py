"""The done-when journey through the pages: school refers → MASH triages → asks police and health
→ they answer from their queues → MASH decides → manager approves → school sees the feedback.
The outsider gets 404 on every URL of it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from safehub.core.models import Notification
from safehub.referrals.models import InformationRequest, Referral, Status

pytestmark = pytest.mark.django_db


def _post(client, name, args, data, expect=302):
    response = client.post(reverse(name, args=args), data)
    assert response.status_code == expect, response.content.decode()[:3000]
    return response


def test_school_to_feedback(
    client, school_user, mash, mashmanager, officer, health_user, outsider, child, agencies
):
    # 1. The school refers the child: step 1 the concern, step 2 search, add, send.
    client.force_login(school_user)
    assert client.get(reverse("referrals:create")).status_code == 200
    _post(
        client,
        "referrals:create",
        [],
        {
            "district": child.district_id,
            "source": "school",
            "categories": ["neglect", "emotional_abuse"],
            "what_happened": "Arrives hungry most days (synthetic)",
            "risks": "Younger sibling at home",
            "strengths": "Attends every day",
            "consent_status": "not_sought",
            "consent_note": "Asking would place the child at risk",
            "lawful_basis": "gdpr_6_1_e",
            "condition": "dpa_sch1_18",
            "child_seen": "yes",
            "seen_alone": "yes",
            "wishes_and_feelings": "Wants more breakfast",
        },
    )
    search = client.post(reverse("referrals:create_people"), {"query": "Childtest"})
    assert "Charlie Childtest" in search.content.decode()
    _post(client, "referrals:create_pick", [], {"person": child.pk, "is_child": "yes"})
    response = _post(client, "referrals:create_submit", [], {})
    referral = Referral.objects.get()
    assert response["Location"] == reverse("referrals:detail", args=[referral.pk])
    assert referral.owning_agency == agencies["leeds_csc"]
    assert referral.referring_agency == agencies["leeds_school"]
    assert referral.decision_due_at is not None
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200

    # 2. The MASH sees it in the queue and triages it: RAG and due time shown.
    client.force_login(mash)
    queue = client.get(reverse("referrals:queue")).content.decode()
    assert referral.reference in queue
    _post(
        client,
        "referrals:triage",
        [referral.pk],
        {"rag": "amber", "reason": "Chronic neglect", "version": referral.version},
    )
    referral.refresh_from_db()
    assert referral.rag == "amber" and referral.due_at is not None
    detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Due (RAG timescale)" in detail and ("due in" in detail or "overdue by" in detail)
    queue_json = client.get(reverse("referrals:queue_json")).json()
    assert queue_json["rows"][0]["reference"] == referral.reference and queue_json["rows"][0]["countdown"]

    # 3. The MASH asks police and health.
    due = timezone.localtime() + timedelta(days=2)
    for agency in (agencies["police"], health_user.agency):
        referral.refresh_from_db()
        _post(
            client,
            "referrals:ask",
            [referral.pk],
            {
                "to_agency": agency.pk,
                "person": str(child.pk),
                "question": "What do you know about this child and household?",
                "purpose": "MASH research for a neglect referral",
                "lawful_basis": "gdpr_6_1_e",
                "condition": "dpa_sch1_18",
                "due_date_0": due.day,
                "due_date_1": due.month,
                "due_date_2": due.year,
                "due_time": "17:00",
                "version": referral.version,
            },
        )
    assert InformationRequest.objects.count() == 2
    referral.refresh_from_db()
    assert referral.status == Status.AWAITING_INFORMATION

    # 4. The officer and health answer from their own queues.
    for user, answer in (
        (officer, "Two domestic incidents at the address"),
        (health_user, "Missed health visits"),
    ):
        client.force_login(user)
        page = client.get(reverse("referrals:information_requests")).content.decode()
        assert referral.reference in page
        request = InformationRequest.objects.get(to_agency=user.agency)
        _post(client, "referrals:answer", [request.pk], {"answer": answer})
    # Health does not see the police answer (nor the police request).
    client.force_login(health_user)
    page = client.get(reverse("referrals:information_requests")).content.decode()
    assert "Two domestic incidents" not in page
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404

    # 5. The MASH sees both answers and decides; the manager approves.
    client.force_login(mash)
    detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Two domestic incidents" in detail and "Missed health visits" in detail
    referral.refresh_from_db()
    assert referral.status == Status.TRIAGED
    _post(
        client,
        "referrals:decide",
        [referral.pk],
        {
            "outcome": "s47_strategy",
            "rationale": "Reasonable cause to suspect significant harm",
            "feedback_text": "A strategy discussion is being held; thank you for referring.",
            "version": referral.version,
        },
    )
    referral.refresh_from_db()
    assert referral.status == Status.AWAITING_APPROVAL
    # The school does not see the feedback before approval.
    client.force_login(school_user)
    assert "strategy discussion is being held" not in client.get(reverse("referrals:mine")).content.decode()
    # A practitioner cannot approve; the manager can.
    client.force_login(mash)
    assert client.get(reverse("referrals:approve", args=[referral.pk])).status_code == 403
    client.force_login(mashmanager)
    _post(
        client,
        "referrals:approve",
        [referral.pk],
        {"approve": "yes", "note": "Agreed", "version": referral.version},
    )
    referral.refresh_from_db()
    assert referral.status == Status.APPROVED

    # 6. The school sees the feedback on My referrals and is notified.
    client.force_login(school_user)
    mine = client.get(reverse("referrals:mine")).content.decode()
    assert "Section 47 strategy discussion" in mine and "strategy discussion is being held" in mine
    assert Notification.objects.filter(recipient_user=school_user, kind="referral_feedback").exists()
    detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Section 47 strategy discussion" in detail
    assert "Two domestic incidents" not in detail  # answers are for the MASH, not the referrer

    # 7. The outsider sees none of it.
    client.force_login(outsider)
    requests = list(InformationRequest.objects.all())
    for name, args in [
        ("referrals:detail", [referral.pk]),
        ("referrals:triage", [referral.pk]),
        ("referrals:assign", [referral.pk]),
        ("referrals:ask", [referral.pk]),
        ("referrals:decide", [referral.pk]),
        ("referrals:approve", [referral.pk]),
        *[("referrals:answer", [r.pk]) for r in requests],
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    assert referral.reference not in client.get(reverse("referrals:mine")).content.decode()
    assert referral.reference not in client.get(reverse("referrals:information_requests")).content.decode()
    assert client.get(reverse("referrals:queue")).status_code == 403
