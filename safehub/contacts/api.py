"""Contacts API: list and record contacts (with people), read one, THRIVE, arrival, PPNs, people.

Errors are 400s naming the field ("people[1].date_of_birth") with nothing stored; out-of-scope
ids are 404; roles without person-level access get 403, and so do readers who may not record.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.contacts import selectors, services
from safehub.contacts.models import (
    Category,
    Channel,
    ConcernType,
    Contact,
    ContactPerson,
    Level,
    OffenceGroup,
    PublicProtectionNotice,
    Rag,
    RcrpOutcome,
    ResponseGrade,
    Role,
    ThriveGrading,
)
from safehub.contacts.rules import ELEMENTS
from safehub.core import audit
from safehub.core.access import load_for
from safehub.core.api import paginated
from safehub.core.models import District
from safehub.people.api import HasPersonLevelAccess, PersonCreateInput
from safehub.people.models import Person


class CanRecordContacts(permissions.BasePermission):
    message = "Only police call handlers and officers record contacts"

    def has_permission(self, request, view):
        return services.can_record(request.user)


# --- output ------------------------------------------------------------------------------------


class ContactPersonOutput(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person_id")
    name = serializers.CharField(source="person.full_name")
    date_of_birth = serializers.DateField(source="person.date_of_birth")

    class Meta:
        model = ContactPerson
        fields = ["person", "name", "date_of_birth", "role"]


class GradingOutput(serializers.ModelSerializer):
    grade = serializers.SlugRelatedField(slug_field="code", read_only=True)
    suggested_grade = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ThriveGrading
        fields = [
            "sequence",
            *[f"{name}_{part}" for name in ELEMENTS for part in ("level", "rationale")],
            "suggested_grade",
            "grade",
            "override_reason",
            "regrade_reason",
            "rcrp_outcome",
            "graded_at",
        ]


class PpnOutput(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person_id")
    contact = serializers.UUIDField(source="contact_id")

    class Meta:
        model = PublicProtectionNotice
        fields = [
            "id",
            "contact",
            "person",
            "age_group",
            "concern_type",
            "rag",
            "summary",
            "status",
            "raised_at",
        ]


class ContactSummaryOutput(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owning_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    grade = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    non_recent = serializers.BooleanField(
        source="is_non_recent",
        read_only=True,
        help_text="Reported more than 12 calendar months after the offence",
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "reference",
            "received_at",
            "offence_at",
            "offence_group",
            "non_recent",
            "channel",
            "category",
            "district",
            "owning_agency",
            "grade",
            "arrived_at",
            "serious_harm",
        ]


class ContactOutput(ContactSummaryOutput):
    people = ContactPersonOutput(many=True, read_only=True)
    gradings = GradingOutput(many=True, read_only=True)
    ppns = PpnOutput(many=True, read_only=True)
    flags = serializers.SerializerMethodField()
    encompass = serializers.SerializerMethodField()
    attended_within_target = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta(ContactSummaryOutput.Meta):
        fields = [
            *ContactSummaryOutput.Meta.fields,
            "location_text",
            "postcode",
            "lsoa_code",
            "narrative",
            "rcrp_outcome",
            "attended_within_target",
            "people",
            "gradings",
            "flags",
            "ppns",
            "encompass",
        ]

    def get_flags(self, contact) -> list[dict[str, Any]]:
        user = self.context.get("user")
        return [
            {
                "kind": flag.kind,
                "person": str(flag.person.pk) if flag.person else None,
                "rule_id": flag.fired.rule_id,
                "title": flag.fired.title,
                "reason": flag.fired.reason,
                "contacts": [
                    {"id": str(row.id), "at": row.at.isoformat(), "visible": row.visible}
                    for row in flag.earlier
                ],
            }
            for flag in selectors.contact_flags(contact, user)
        ]

    def get_encompass(self, contact) -> list[dict[str, Any]]:
        return [
            {
                "id": str(row.pk),
                "school": row.school.code,
                "person": str(row.person_id),
                "due_at": row.due_at.isoformat(),
                "status": selectors.encompass_status(row),
            }
            for row in contact.encompass_notifications.select_related("school", "notification")
        ]


# --- input -------------------------------------------------------------------------------------


class NewPersonInput(PersonCreateInput):
    class Meta(PersonCreateInput.Meta):
        fields = [name for name in PersonCreateInput.Meta.fields if name != "identifiers"]


class ContactPersonInput(serializers.Serializer):
    person = serializers.UUIDField(
        required=False, help_text="A person found by search (GET /api/v1/people/?q=)"
    )
    new_person = NewPersonInput(required=False, help_text="A person not in the index")
    role = serializers.ChoiceField(choices=Role.choices)

    def validate(self, data):
        if ("person" in data) == ("new_person" in data):
            raise serializers.ValidationError({"person": ["Give either person (a record id) or new_person"]})
        return data


class ContactCreateInput(serializers.Serializer):
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        error_messages={"does_not_exist": "Unknown district {value}: use a district code such as leeds"},
    )
    received_at = serializers.DateTimeField()
    offence_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text="When it happened (the earliest date, if over a period); not after received_at",
    )
    offence_group = serializers.ChoiceField(
        choices=OffenceGroup.choices,
        required=False,
        allow_blank=True,
        help_text="For a crime report: cse, csa, rape_sexual, da or other",
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    category = serializers.ChoiceField(choices=Category.choices)
    location_text = serializers.CharField(required=False, allow_blank=True, max_length=200)
    postcode = serializers.CharField(required=False, allow_blank=True, max_length=10)
    lsoa_code = serializers.CharField(required=False, allow_blank=True, max_length=9)
    narrative = serializers.CharField()
    serious_harm = serializers.BooleanField(required=False, default=False)
    people = ContactPersonInput(many=True, required=False)


class ThriveInput(serializers.Serializer):
    grade = serializers.SlugRelatedField(
        slug_field="code", queryset=ResponseGrade.objects.all(), required=False, allow_null=True
    )
    override_reason = serializers.CharField(required=False, allow_blank=True)
    regrade_reason = serializers.CharField(required=False, allow_blank=True)
    rcrp_outcome = serializers.ChoiceField(choices=RcrpOutcome.choices, required=False, allow_blank=True)

    def get_fields(self):
        fields = super().get_fields()
        for name in ELEMENTS:
            fields[f"{name}_level"] = serializers.ChoiceField(choices=Level.choices)
            fields[f"{name}_rationale"] = serializers.CharField()
        return fields


class ArrivalInput(serializers.Serializer):
    arrived_at = serializers.DateTimeField()


class PpnInput(serializers.Serializer):
    person = serializers.UUIDField()
    concern_type = serializers.ChoiceField(choices=ConcernType.choices)
    rag = serializers.ChoiceField(choices=Rag.choices)
    summary = serializers.CharField()


def _visible_person(user: Any, person_id: Any, field: str) -> Person:
    person = Person.objects.visible_to(user).filter(pk=person_id).first()
    if person is None:
        raise serializers.ValidationError({field: ["Select a person you can see"]})
    return person


def _people_entries(user: Any, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    entries = []
    for index, item in enumerate(people):
        entry: dict[str, Any] = {"role": item["role"]}
        if "person" in item:
            entry["person"] = _visible_person(user, item["person"], f"people[{index}].person")
        else:
            entry["new_person"] = dict(item["new_person"])
        entries.append(entry)
    return entries


def _detail(contact: Contact, user: Any) -> dict[str, Any]:
    return ContactOutput(contact, context={"user": user}).data


# --- endpoints ---------------------------------------------------------------------------------


class ContactListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, description="Incident category code"),
            OpenApiParameter("district", str, description="District code"),
        ],
        responses=paginated(ContactSummaryOutput),
    )
    def get(self, request):
        district = District.objects.filter(code=request.query_params.get("district", "")).first()
        contacts = selectors.contact_list_for(
            request.user, category=request.query_params.get("category", ""), district=district
        )
        paginator = generics.GenericAPIView.pagination_class()
        page = paginator.paginate_queryset(contacts, request, view=self)
        audit.record_listed(request.user, page)
        return paginator.get_paginated_response(ContactSummaryOutput(page, many=True).data)

    @extend_schema(request=ContactCreateInput, responses={201: ContactOutput})
    def post(self, request):
        if not services.can_record(request.user):
            self.permission_denied(request, message=CanRecordContacts.message)
        data = ContactCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        people = _people_entries(request.user, fields.pop("people", []))
        contact = services.contact_create(actor=request.user, people=people, **fields)
        return Response(_detail(contact, request.user), status=status.HTTP_201_CREATED)


class ContactDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=ContactOutput)
    def get(self, request, contact_id):
        contact = load_for(request.user, Contact, contact_id)  # scoped, audited read
        return Response(_detail(contact, request.user))


class ContactWriteApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    def contact(self, request, contact_id) -> Contact:
        """404 out of scope, then 403 for readers (the MASH) and anyone who does not record contacts."""
        contact = load_for(request.user, Contact, contact_id, write=True)
        if not CanRecordContacts().has_permission(request, self):
            self.permission_denied(request, message=CanRecordContacts.message)
        return contact


class ContactThriveApi(ContactWriteApi):
    @extend_schema(request=ThriveInput, responses={201: ContactOutput})
    def post(self, request, contact_id):
        contact = self.contact(request, contact_id)
        data = ThriveInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.thrive_grade(actor=request.user, contact=contact, **data.validated_data)
        contact.refresh_from_db()
        return Response(_detail(contact, request.user), status=status.HTTP_201_CREATED)


class ContactArrivalApi(ContactWriteApi):
    @extend_schema(request=ArrivalInput, responses=ContactOutput)
    def post(self, request, contact_id):
        contact = self.contact(request, contact_id)
        data = ArrivalInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.arrival_record(actor=request.user, contact=contact, **data.validated_data)
        return Response(_detail(contact, request.user))


class ContactPpnApi(ContactWriteApi):
    @extend_schema(request=PpnInput, responses={201: PpnOutput})
    def post(self, request, contact_id):
        contact = self.contact(request, contact_id)
        data = PpnInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        link = contact.people.select_related("person").filter(person_id=fields.pop("person")).first()
        if link is None:
            raise serializers.ValidationError({"person": ["Select a person recorded on this contact"]})
        ppn = services.ppn_raise(actor=request.user, contact=contact, person=link.person, **fields)
        return Response(PpnOutput(ppn).data, status=status.HTTP_201_CREATED)


class ContactPeopleApi(ContactWriteApi):
    @extend_schema(request=ContactPersonInput, responses={201: ContactOutput})
    def post(self, request, contact_id):
        contact = self.contact(request, contact_id)
        data = ContactPersonInput(data=request.data)
        data.is_valid(raise_exception=True)
        entry = dict(data.validated_data)
        if "person" in entry:
            entry["person"] = _visible_person(request.user, entry["person"], "person")
        with transaction.atomic():
            services.contact_person_add(actor=request.user, contact=contact, **entry)
        return Response(_detail(contact, request.user), status=status.HTTP_201_CREATED)
