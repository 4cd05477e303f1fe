"""Services: search before create, extracts, reviews, merge and undo, known-to, training."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safehub.core.models import AuditAction, AuditEvent, Notification
from safehub.linkage import matching, rules, services
from safehub.linkage.models import ExtractStatus, MatchReview, RecordOutcome, ReviewStatus
from safehub.linkage.tests.conftest import check_extract as check
from safehub.linkage.tests.conftest import make_person
from safehub.people.models import Address, ChronologyEvent, Identifier, Person, Relationship

pytestmark = pytest.mark.django_db


def olivia_query(**extra):
    return {
        "first_name": "Olivia",
        "surname": "Testington",
        "dob": date(2012, 4, 9),
        "postcode": "LS6 2AB",
        **extra,
    }


# --- search before create ------------------------------------------------------------------------


def test_search_finds_the_existing_person_with_probability_and_field_evidence(index, owner):
    found = services.candidate_search(actor=owner, query=olivia_query())
    person, probability, explanation = found["visible"][0]
    assert person == index["olivia"]
    assert probability > rules.AUTO_LINK
    fields = {f.field: f for f in explanation.fields}
    assert fields["dob"].weight > 0 and fields["surname"].weight > 0 and fields["postcode"].weight > 0
    assert found["model_version"] == "baseline"


def test_search_shows_an_out_of_scope_match_only_as_held_elsewhere(index, outsider):
    found = services.candidate_search(actor=outsider, query=olivia_query())
    assert found["visible"] == []
    assert len(found["elsewhere"]) == 1
    assert "Olivia" not in found["elsewhere"][0] and str(index["olivia"].pk) not in found["elsewhere"][0]


def test_search_is_audited_with_field_names_only(index, owner):
    services.candidate_search(actor=owner, query=olivia_query())
    event = AuditEvent.objects.get(action=AuditAction.SEARCH, actor=owner)
    assert event.fields == ["dob", "first_name", "postcode", "surname"]
    assert "Olivia" not in event.reason
    assert AuditEvent.objects.filter(action=AuditAction.LISTED, person_id=index["olivia"].pk).exists()


def test_different_person_is_not_a_candidate(index, owner):
    found = services.candidate_search(
        actor=owner, query={"first_name": "Zebedee", "surname": "Unrelated", "dob": date(1950, 1, 1)}
    )
    assert found["visible"] == [] and found["elsewhere"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"first_name": "", "surname": "X"}, "first_name"),
        ({"first_name": "A", "surname": ""}, "surname"),
        ({"first_name": "A", "surname": "B", "dob": "2999-01-01"}, "dob"),
        ({"first_name": "A", "surname": "B", "postcode": "NOT A POSTCODE"}, "postcode"),
    ],
)
def test_bad_query_names_the_field(index, owner, query, field):
    with pytest.raises(ValidationError) as exc:
        services.candidate_search(actor=owner, query=query)
    assert field in exc.value.message_dict


def test_aggregate_role_cannot_search(index, analyst):
    with pytest.raises(PermissionDenied):
        services.candidate_search(actor=analyst, query=olivia_query())


def test_creating_after_a_search_saves_person_address_and_nhs_number_and_audits_the_choice(districts, owner):
    person = services.person_create_checked(
        actor=owner,
        district=districts["leeds"],
        candidates_shown=2,
        postcode="LS1 4AP",
        address_line1="2 New Road",
        town="Leeds",
        nhs_number="999 000 0018",
        given_name="Freya",
        family_name="Newrecord",
        date_of_birth=date(2015, 5, 5),
    )
    assert person.addresses.get().postcode == "LS1 4AP"
    assert person.identifiers.get().value == "9990000018"
    assert AuditEvent.objects.filter(
        object_id=str(person.pk), reason__contains="2 candidate(s) shown"
    ).exists()


def test_creating_with_a_bad_nhs_number_saves_nothing(districts, owner):
    with pytest.raises(ValidationError):
        services.person_create_checked(
            actor=owner,
            district=districts["leeds"],
            candidates_shown=0,
            nhs_number="1234567890",
            given_name="Freya",
            family_name="Newrecord",
        )
    assert not Person.objects.filter(family_name="Newrecord").exists()


def test_asking_the_mash_notifies_the_district_mash_and_discloses_nothing(index, outsider, mash):
    # The outsider's search finds Olivia in Leeds; the Leeds MASH is told.
    outsider.district = index["olivia"].district
    token = services.candidate_search(actor=outsider, query=olivia_query())["elsewhere"][0]
    assert services.mash_ask(actor=outsider, token=token) == 1
    note = Notification.objects.get(recipient_user=mash)
    assert "Olivia" not in note.body and "Testington" not in note.body
    assert note.person_id == index["olivia"].pk


def test_a_token_is_personal(index, outsider, owner):
    token = services.candidate_search(actor=outsider, query=olivia_query())["elsewhere"][0]
    with pytest.raises(ValidationError):
        services.mash_ask(actor=owner, token=token)
    with pytest.raises(ValidationError):
        services.mash_ask(actor=outsider, token=token + "x")


# --- extracts ------------------------------------------------------------------------------------

GOOD = (
    "reference,first_name,surname,dob,postcode,address,city\n"
    "H1,Olivia,Testington,09/04/2012,LS6 2AB,14 Grove Lane,Leeds\n"
    "H2,Jakob,Samplewod,1988-11-23,,,\n"
    "H3,Brand,Newperson,2001-01-01,LS2 9JT,,Leeds\n"
)


def test_extract_check_links_nothing_until_accepted(index, mash, districts):
    extract = check(mash, districts, GOOD)
    assert (extract.status, extract.total_rows, extract.good_rows) == (ExtractStatus.CHECKED, 3, 3)
    assert set(extract.records.values_list("outcome", flat=True)) == {RecordOutcome.WAITING}
    assert not MatchReview.objects.exists()


def test_accept_auto_links_above_the_threshold_queues_the_band_and_leaves_the_rest(index, mash, districts):
    extract = services.extract_accept(actor=mash, extract=check(mash, districts, GOOD))
    outcomes = dict(extract.records.values_list("row_number", "outcome"))
    assert outcomes[1] == RecordOutcome.AUTO_LINKED
    assert outcomes[3] == RecordOutcome.NO_MATCH
    assert extract.records.get(row_number=1).person == index["olivia"]
    assert outcomes[2] in (RecordOutcome.AUTO_LINKED, RecordOutcome.QUEUED)
    counted = {
        "auto_linked": list(outcomes.values()).count(RecordOutcome.AUTO_LINKED),
        "queued": list(outcomes.values()).count(RecordOutcome.QUEUED),
        "no_match": list(outcomes.values()).count(RecordOutcome.NO_MATCH),
    }
    assert extract.summary == counted
    assert extract.processed_rows == 3 and extract.status == ExtractStatus.LINKED
    assert ChronologyEvent.objects.filter(person=index["olivia"], kind="partner_record_linked").exists()
    # Nothing is ever merged by linking.
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_a_noisy_row_goes_to_review_not_auto_link(index, mash, districts):
    content = "first_name,surname,dob\nOlivia,Testington,2012-04-08\n"
    extract = services.extract_accept(actor=mash, extract=check(mash, districts, content))
    record = extract.records.get()
    assert record.outcome == RecordOutcome.QUEUED and record.person is None
    review = MatchReview.objects.get(record=record)
    assert review.person == index["olivia"] and rules.REVIEW <= review.probability < rules.AUTO_LINK


def test_extract_without_required_columns_is_refused_whole(index, mash, districts):
    with pytest.raises(ValidationError) as exc:
        check(mash, districts, "first_name,surname\nA,B\n")
    assert "dob" in exc.value.messages[0]


def test_bad_rows_are_reported_by_row_and_reason_and_good_rows_kept(index, mash, districts):
    today = timezone.localdate()
    content = (
        b"first_name,surname,dob\n"
        b"Ann,Good,2001-02-03\n"
        b"Bad\xff\xfe,Text,2001-02-03\n"
        b",Nofirst,2001-02-03\n"
        b"Fut,Ure," + (today + timedelta(days=1)).isoformat().encode() + b"\n"
        b"Old,Date,1850-01-01\n"
        b"Mixed,Format,03/02/2001\n"
        b"Not,Adate,sometime\n"
    )
    extract = check(mash, districts, content)
    reported = {(p["row"], p["field"]) for p in extract.problems}
    assert reported == {(2, "row"), (3, "first_name"), (4, "dob"), (5, "dob"), (7, "dob")}
    assert sorted(extract.records.values_list("row_number", flat=True)) == [1, 6]
    assert extract.records.get(row_number=6).dob == date(2001, 2, 3)


def test_only_the_mash_links_extracts(index, owner, districts):
    with pytest.raises(PermissionDenied):
        check(owner, districts, GOOD)


def test_cancel_discards_the_checked_rows(index, mash, districts):
    extract = services.extract_cancel(actor=mash, extract=check(mash, districts, GOOD))
    assert extract.status == ExtractStatus.CANCELLED and not extract.records.exists()
    with pytest.raises(ValidationError):
        services.extract_accept(actor=mash, extract=extract)


MORE = (
    "first_name,surname,dob,postcode\n"
    "Olivia,Testington,2012-04-09,LS6 2AB\n"
    "Olivia,Testington,2012-04-08,\n"
    "Zebedee,Unrelated,1950-01-01,\n"
    "Yolanda,Nobody,1961-02-03,\n"
    "Xavier,Noone,1972-03-04,\n"
)


def outcomes_of(extract):
    return {
        key: extract.records.filter(outcome=outcome).count()
        for key, outcome in (
            ("auto_linked", RecordOutcome.AUTO_LINKED),
            ("queued", RecordOutcome.QUEUED),
            ("no_match", RecordOutcome.NO_MATCH),
        )
    }


def test_linking_a_few_seconds_at_a_time_saves_each_chunk_and_carries_on(index, mash, districts):
    extract = check(mash, districts, MORE)
    extract = services.extract_accept(actor=mash, extract=extract, chunk=2, seconds=0)
    # One chunk, committed: the extract is linking and says how far it has got.
    assert extract.status == ExtractStatus.LINKING and extract.processed_rows == 2
    assert extract.accepted_by == mash and extract.model_version == "baseline"
    assert sum(extract.summary.values()) == 2
    assert extract.records.filter(outcome=RecordOutcome.WAITING).count() == 3
    with pytest.raises(ValidationError):
        services.extract_cancel(actor=mash, extract=extract)
    extract = services.extract_accept(actor=mash, extract=extract, chunk=2, seconds=0)
    assert extract.status == ExtractStatus.LINKING and extract.processed_rows == 4
    extract = services.extract_accept(actor=mash, extract=extract, chunk=2, seconds=0)
    assert extract.status == ExtractStatus.LINKED and extract.processed_rows == 5
    assert extract.summary == outcomes_of(extract) and extract.linked_at is not None
    # Each call leaves one audit event saying what it did.
    reasons = list(
        AuditEvent.objects.filter(object_id=str(extract.pk), action=AuditAction.UPDATE)
        .order_by("id")
        .values_list("reason", flat=True)
    )
    assert reasons == [
        "Extract accepted for linking",
        "Extract linking continued",
        "Extract linking continued and finished",
    ]
    with pytest.raises(ValidationError):
        services.extract_accept(actor=mash, extract=extract)


def test_without_a_time_limit_one_call_links_every_chunk_with_progress(index, mash, districts):
    seen = []
    extract = services.extract_accept(
        actor=mash, extract=check(mash, districts, MORE), chunk=2, progress=lambda d, t: seen.append((d, t))
    )
    assert seen == [(2, 5), (4, 5), (5, 5)]
    assert extract.status == ExtractStatus.LINKED and extract.summary == outcomes_of(extract)
    assert (
        AuditEvent.objects.filter(object_id=str(extract.pk), reason="Extract accepted for linking").count()
        == 1
    )


def test_a_run_that_dies_part_way_keeps_whole_chunks_and_a_rerun_finishes(
    index, mash, districts, second_chunk_dies
):
    extract = check(mash, districts, MORE)
    with pytest.raises(RuntimeError):
        services.extract_accept(actor=mash, extract=extract, chunk=2)
    extract.refresh_from_db()
    # The first chunk is saved whole; nothing of the second is.
    assert extract.status == ExtractStatus.LINKING and extract.processed_rows == 2
    assert sum(extract.summary.values()) == 2
    assert extract.records.exclude(outcome=RecordOutcome.WAITING).count() == 2
    assert not MatchReview.objects.filter(record__row_number__gt=2).exists()
    # Who accepted is on the trail although the run died.
    assert AuditEvent.objects.filter(
        object_id=str(extract.pk), actor=mash, reason="Extract accepted for linking"
    ).exists()
    second_chunk_dies.stop()
    extract = services.extract_accept(actor=mash, extract=extract, chunk=2)
    assert extract.status == ExtractStatus.LINKED and extract.processed_rows == 5
    assert extract.summary == outcomes_of(extract)
    assert ChronologyEvent.objects.filter(person=index["olivia"], kind="partner_record_linked").count() == 1


# --- reviews -------------------------------------------------------------------------------------


def queued_review(index, mash, districts):
    content = "first_name,surname,dob\nOlivia,Testington,2012-04-08\n"
    services.extract_accept(actor=mash, extract=check(mash, districts, content))
    return MatchReview.objects.get()


def test_confirming_links_the_record_and_becomes_a_label(index, mash, districts):
    review = services.review_decide(
        actor=mash, review=queued_review(index, mash, districts), decision="confirm"
    )
    assert review.status == ReviewStatus.CONFIRMED
    assert review.record.person == index["olivia"] and review.record.outcome == RecordOutcome.CONFIRMED
    _extra, pairs, counts = services.training_labels()
    assert counts == {"confirmed": 1, "rejected": 0}
    assert pairs == [(f"x-{review.record_id}", str(index["olivia"].pk))]


def test_rejecting_leaves_the_record_unlinked(index, mash, districts):
    review = services.review_decide(
        actor=mash, review=queued_review(index, mash, districts), decision="reject"
    )
    review.record.refresh_from_db()
    assert review.status == ReviewStatus.REJECTED and review.record.outcome == RecordOutcome.NO_MATCH
    with pytest.raises(ValidationError):
        services.review_decide(actor=mash, review=review, decision="confirm")


def test_a_bad_decision_is_refused(index, mash, districts):
    with pytest.raises(ValidationError):
        services.review_decide(actor=mash, review=queued_review(index, mash, districts), decision="maybe")


# --- merge and undo ------------------------------------------------------------------------------


def snapshot(*people):
    ids = [p.pk for p in people]
    return {
        "identifiers": sorted(Identifier.objects.filter(person_id__in=ids).values_list("pk", "person_id")),
        "addresses": sorted(Address.objects.filter(person_id__in=ids).values_list("pk", "person_id")),
        "chronology": sorted(
            ChronologyEvent.objects.filter(person_id__in=ids).values_list("pk", "person_id")
        ),
        "relationships": sorted(
            Relationship.objects.filter(person_id__in=ids).values_list("pk", "person_id", "related_person_id")
        ),
        "merged": sorted(Person.objects.filter(pk__in=ids).values_list("pk", "merged_into")),
    }


@pytest.fixture
def pair(agencies, districts, index):
    leeds = districts["leeds"]
    first = index["olivia"]
    second = make_person(
        agencies["police"], leeds, "Olivia", "Testingtn", date(2012, 4, 9), "LS6 2AB", nhs="9990000018"
    )
    Identifier.objects.create(person=first, kind="nhs_number", value="9990000018")  # the same number on both
    ChronologyEvent.objects.create(person=second, kind="contact", at=timezone.now(), summary="Police contact")
    Relationship.objects.create(person=second, related_person=index["jacob"], kind="associate")
    Relationship.objects.create(person=index["jacob"], related_person=second, kind="associate")
    Relationship.objects.create(person=first, related_person=second, kind="sibling")  # between the two
    return first, second


def test_merge_moves_everything_it_can_and_keeps_every_row(pair, mash):
    first, second = pair
    before = snapshot(first, second)
    merge = services.person_merge(
        actor=mash, survivor=first, duplicate=second, reason="Same child: NHS number"
    )
    second.refresh_from_db()
    assert second.merged_into == first
    assert ChronologyEvent.objects.filter(person=first, summary="Police contact").exists()
    assert Address.objects.filter(person=first).count() == 2
    assert Relationship.objects.filter(person=first, related_person_id=pair[0].pk).count() == 0
    # The same NHS number could not sit twice on the survivor: it stays on the duplicate, listed.
    assert [k["model"] for k in merge.kept] == ["people.identifier", "people.relationship"]
    assert len(snapshot(first, second)["identifiers"]) == len(before["identifiers"])


def test_undo_puts_everything_back_exactly(pair, mash):
    first, second = pair
    before = snapshot(first, second)
    merge = services.person_merge(
        actor=mash, survivor=first, duplicate=second, reason="Same child: NHS number"
    )
    assert snapshot(first, second) != before
    services.merge_undo(actor=mash, merge=merge)
    assert snapshot(first, second) == before
    merge.refresh_from_db()
    assert merge.is_undone
    with pytest.raises(ValidationError):
        services.merge_undo(actor=mash, merge=merge)
    reasons = list(AuditEvent.objects.filter(person_id=second.pk).values_list("reason", flat=True))
    assert f"Merge {merge.pk}" in reasons and f"Merge {merge.pk} undone" in reasons


@pytest.mark.parametrize("reason", ["", "short"])
def test_merge_needs_a_reason(pair, mash, reason):
    with pytest.raises(ValidationError) as exc:
        services.person_merge(actor=mash, survivor=pair[0], duplicate=pair[1], reason=reason)
    assert "reason" in exc.value.message_dict
    assert not Person.objects.filter(merged_into__isnull=False).exists()


def test_merge_refuses_self_and_outsiders(pair, mash, outsider, owner):
    with pytest.raises(ValidationError):
        services.person_merge(actor=mash, survivor=pair[0], duplicate=pair[0], reason="Same person really")
    with pytest.raises(PermissionDenied):
        services.person_merge(
            actor=outsider, survivor=pair[0], duplicate=pair[1], reason="Same person really"
        )
    with pytest.raises(PermissionDenied):
        services.person_merge(actor=owner, survivor=pair[0], duplicate=pair[1], reason="Same person really")


def test_merged_duplicate_leaves_the_candidate_index(pair, mash):
    services.person_merge(actor=mash, survivor=pair[0], duplicate=pair[1], reason="Same child: NHS number")
    assert str(pair[1].pk) not in set(matching.index_frame()["unique_id"])


# --- known to ------------------------------------------------------------------------------------


def test_known_to_names_agencies_open_case_and_contact_only(pair, mash, agencies):
    first, second = pair
    services.person_merge(actor=mash, survivor=first, duplicate=second, reason="Same child: NHS number")
    rows = services.known_to(actor=mash, person=first)
    assert {r["agency_code"] for r in rows} >= {"leeds-csc"}
    assert set(rows[0]) == {"agency", "agency_code", "kind", "open_case", "contact"}
    assert AuditEvent.objects.filter(person_id=first.pk, reason="Known to which agency?").exists()


def test_known_to_is_for_the_mash_only(index, owner):
    with pytest.raises(PermissionDenied):
        services.known_to(actor=owner, person=index["olivia"])


# --- the model -----------------------------------------------------------------------------------


def test_training_refuses_a_tiny_index(index):
    with pytest.raises(ValidationError):
        services.model_train(actor="job:test")


def test_training_writes_a_new_version_that_search_then_uses(index, owner, settings, monkeypatch):
    monkeypatch.setattr(rules, "MIN_TRAINING_RECORDS", 3)
    from safehub.linkage import engine, synth

    monkeypatch.setattr(matching, "index_frame", lambda: engine.normalise(synth.people(1500, seed=2)))
    result = services.model_train(actor="job:test")
    assert result["path"].endswith("person-model-v0001.json") and result["records"] == 1500
    model, meta, version = matching.current_model()
    assert version == "v0001" and meta["trained_by"] == "job:test"
    assert {c["output_column_name"] for c in model["comparisons"]} >= {"first_name", "surname", "dob"}
    monkeypatch.setattr(engine, "train", lambda frames, labels=None: (None, model))
    assert services.model_train(actor="job:test")["path"].endswith("person-model-v0002.json")
    assert [v["version"] for v in matching.model_versions()] == [2, 1]
