"""People API: list and search, create (with identifiers), retrieve, change, chronology."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.core import audit
from safehub.core.access import load_for
from safehub.core.api import paginated
from safehub.core.models import AuditAction, District
from safehub.people import selectors, services
from safehub.people.models import (
    Address,
    ChronologyEvent,
    DobPrecision,
    Identifier,
    IdentifierKind,
    Marker,
    Person,
    PersonAlias,
)


class HasPersonLevelAccess(permissions.BasePermission):
    message = "Your role does not give access to person-level records"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_person_level_access)


class IdentifierSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=IdentifierKind.choices)

    class Meta:
        model = Identifier
        fields = ["kind", "value"]


class AliasOutput(serializers.ModelSerializer):
    class Meta:
        model = PersonAlias
        fields = ["kind", "given_name", "family_name"]


class AddressOutput(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Address
        fields = [
            "id",
            "kind",
            "line1",
            "line2",
            "town",
            "postcode",
            "district",
            "lsoa_code",
            "from_date",
            "to_date",
        ]


class MarkerOutput(serializers.ModelSerializer):
    class Meta:
        model = Marker
        fields = ["kind", "note", "from_date", "review_date", "active"]


PERSON_FIELDS = list(services.PERSON_EDITABLE_FIELDS)


class PersonOutput(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owning_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    identifiers = IdentifierSerializer(many=True, read_only=True)
    aliases = AliasOutput(many=True, read_only=True)
    addresses = AddressOutput(many=True, read_only=True)
    markers = MarkerOutput(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            *PERSON_FIELDS,
            "district",
            "owning_agency",
            "identifiers",
            "aliases",
            "addresses",
            "markers",
            "created_at",
            "updated_at",
        ]


class PersonSummaryOutput(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owning_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "given_name",
            "family_name",
            "date_of_birth",
            "dob_precision",
            "sex",
            "district",
            "owning_agency",
        ]


class PersonInput(serializers.ModelSerializer):
    """Fields a practitioner may set; unknown codes and future dates are refused by field name."""

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        extra_kwargs = {"given_name": {"required": True}, "family_name": {"required": True}}

    def validate_date_of_birth(self, value):
        if value and value > timezone.localdate():
            raise serializers.ValidationError("Date of birth must be today or in the past")
        return value


class PersonCreateInput(PersonInput):
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        error_messages={"does_not_exist": "Unknown district {value}: use a district code such as leeds"},
    )
    identifiers = IdentifierSerializer(many=True, required=False)

    class Meta(PersonInput.Meta):
        fields = [*PERSON_FIELDS, "district", "identifiers"]
        extra_kwargs = {**PersonInput.Meta.extra_kwargs, "dob_precision": {"default": DobPrecision.EXACT}}


class PersonListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="Name, date of birth, identifier or postcode")],
        responses=paginated(PersonSummaryOutput),
    )
    def get(self, request):
        query = request.query_params.get("q", "")
        people = (
            selectors.person_search(request.user, query)
            if query
            else Person.objects.visible_to(request.user).select_related("district", "owning_agency")
        )
        paginator = generics.GenericAPIView.pagination_class()
        page = paginator.paginate_queryset(
            people.order_by("family_name", "given_name", "id"), request, view=self
        )
        if query:
            audit.record(request.user, AuditAction.SEARCH, object_type="people.person", fields=["q"])
        audit.record_listed(request.user, page)
        return paginator.get_paginated_response(PersonSummaryOutput(page, many=True).data)

    @extend_schema(request=PersonCreateInput, responses={201: PersonOutput})
    def post(self, request):
        data = PersonCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        district, identifiers = fields.pop("district"), fields.pop("identifiers", [])
        if not request.user.agency.districts.filter(pk=district.pk).exists():
            return Response(
                {"district": ["Select a district your agency serves"]}, status=status.HTTP_400_BAD_REQUEST
            )
        with transaction.atomic():  # the person and every identifier, or nothing
            person = services.person_create(actor=request.user, district=district, **fields)
            for index, identifier in enumerate(identifiers):
                try:
                    services.identifier_add(actor=request.user, person=person, **identifier)
                except Exception as exc:
                    raise _nested_error("identifiers", index, exc) from exc
        return Response(PersonOutput(person).data, status=status.HTTP_201_CREATED)


def _nested_error(name: str, index: int, exc: Exception) -> Exception:
    from django.core.exceptions import ValidationError

    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return serializers.ValidationError({name: {index: exc.message_dict}})
    return exc


class PersonDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=PersonOutput)
    def get(self, request, person_id):
        person = load_for(request.user, Person, person_id)  # scoped, audited read
        return Response(PersonOutput(person).data)

    @extend_schema(request=PersonInput, responses=PersonOutput)
    def patch(self, request, person_id):
        person = load_for(request.user, Person, person_id, write=True)
        data = PersonInput(person, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        unknown = sorted(set(request.data) - set(PERSON_FIELDS)) if hasattr(request.data, "keys") else []
        if unknown:
            return Response(
                {name: ["This field cannot be changed"] for name in unknown},
                status=status.HTTP_400_BAD_REQUEST,
            )
        person = services.person_update(actor=request.user, person=person, **data.validated_data)
        return Response(PersonOutput(person).data)


class ChronologyOutput(serializers.ModelSerializer):
    recorded_by_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ChronologyEvent
        fields = ["id", "kind", "at", "summary", "source_type", "source_id", "recorded_by_agency"]


class PersonChronologyApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=paginated(ChronologyOutput))
    def get(self, request, person_id):
        person = load_for(request.user, Person, person_id, audit_read=False)
        audit.record(request.user, AuditAction.READ, person, fields=["chronology"])
        paginator = generics.GenericAPIView.pagination_class()
        page = paginator.paginate_queryset(
            person.chronology.select_related("recorded_by_agency"), request, view=self
        )
        return paginator.get_paginated_response(ChronologyOutput(page, many=True).data)
