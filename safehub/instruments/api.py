"""Instruments API: instruments and versions, calibration, assessments (create, list, retrieve)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.core import audit
from safehub.core.access import load_for
from safehub.core.api import paginated
from safehub.instruments import presenters, selectors, services
from safehub.instruments.models import Assessment, InstrumentVersion
from safehub.people.api import HasPersonLevelAccess
from safehub.people.models import Person


class MayCalibrate(permissions.BasePermission):
    message = "Your role does not give access to calibration figures"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and presenters.may_calibrate(request.user))


def _version_or_404(instrument_id: str, version: int | None = None) -> InstrumentVersion:
    found = (
        selectors.instrument_current(instrument_id)
        if version is None
        else selectors.instrument_version(instrument_id, version)
    )
    if found is None:
        raise Http404("No such instrument version")
    return found


# --- instruments ------------------------------------------------------------------------------


class VersionSummaryOutput(serializers.Serializer):
    version = serializers.IntegerField()
    is_current = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class InstrumentSummaryOutput(serializers.Serializer):
    id = serializers.CharField()
    title = serializers.CharField()
    current_version = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()

    def get_current_version(self, instrument) -> int | None:
        return next((v.version for v in instrument.versions.all() if v.is_current), None)

    def get_versions(self, instrument) -> list[dict[str, Any]]:
        versions = sorted(instrument.versions.all(), key=lambda v: v.version)
        return VersionSummaryOutput(versions, many=True).data


class InstrumentVersionOutput(serializers.ModelSerializer):
    id = serializers.CharField(source="instrument_id")
    title = serializers.CharField(source="instrument.title")

    class Meta:
        model = InstrumentVersion
        fields = ["id", "title", "version", "is_current", "created_at", "definition"]


class InstrumentListApi(APIView):
    """Every instrument with its versions (reference data: any signed-in user)."""

    @extend_schema(responses=InstrumentSummaryOutput(many=True))
    def get(self, request):
        return Response(InstrumentSummaryOutput(selectors.instrument_list(), many=True).data)


class InstrumentDetailApi(APIView):
    """The current version's definition: export it for `safehub assess --definition`."""

    @extend_schema(responses=InstrumentVersionOutput)
    def get(self, request, instrument_id):
        return Response(InstrumentVersionOutput(_version_or_404(instrument_id)).data)


class InstrumentVersionDetailApi(APIView):
    @extend_schema(responses=InstrumentVersionOutput)
    def get(self, request, instrument_id, version):
        return Response(InstrumentVersionOutput(_version_or_404(instrument_id, version)).data)


class CalibrationBandOutput(serializers.Serializer):
    level = serializers.CharField()
    label = serializers.CharField()
    assessed = serializers.IntegerField(allow_null=True)
    followed_up = serializers.IntegerField(allow_null=True)
    with_outcome = serializers.IntegerField(allow_null=True)
    rate = serializers.FloatField(allow_null=True, help_text="Percentage with a harm outcome")
    by_kind = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    suppressed = serializers.ListField(
        child=serializers.CharField(), help_text="Fields hidden (small counts)"
    )


class CalibrationKindOutput(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()


class CalibrationOutput(serializers.Serializer):
    instrument = serializers.CharField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    as_of = serializers.DateTimeField()
    follow_up_days = serializers.IntegerField()
    suppressed_below = serializers.IntegerField(allow_null=True)
    kinds = CalibrationKindOutput(many=True)
    bands = CalibrationBandOutput(many=True)
    total = CalibrationBandOutput()


class CalibrationApi(APIView):
    """Harm outcomes within 12 months by band (aggregate: person-level users, analysts, commissioners)."""

    permission_classes = [permissions.IsAuthenticated, MayCalibrate]

    @extend_schema(responses=CalibrationOutput)
    def get(self, request, instrument_id, version):
        found = _version_or_404(instrument_id, version)
        table = presenters.calibration_table(
            selectors.calibration(found), suppress=presenters.suppresses_small_counts(request.user)
        )
        return Response(CalibrationOutput(table).data)


# --- assessments ------------------------------------------------------------------------------


class AssessmentOutput(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person_id")
    instrument = serializers.CharField(source="instrument_version.instrument_id")
    version = serializers.IntegerField(source="instrument_version.version")
    label = serializers.SerializerMethodField()
    override_level = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField()
    assessor = serializers.CharField(source="assessor.username")
    assessor_agency = serializers.CharField(source="assessor_agency.code")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "person",
            "instrument",
            "version",
            "score",
            "level",
            "label",
            "computed_level",
            "override_level",
            "override_reason",
            "triggers",
            "reasons",
            "grade",
            "answers",
            "assessor",
            "assessor_agency",
            "assessed_at",
            "context_type",
            "context_id",
        ]

    def get_label(self, assessment) -> str:
        return assessment.instrument_version.parsed.band(assessment.level).label

    def get_override_level(self, assessment) -> str | None:
        return assessment.override_level or None

    def get_grade(self, assessment) -> str | None:
        grade = assessment.instrument_version.parsed.grade_for(assessment.level)
        return grade.grade if grade else None


class AssessmentInput(serializers.Serializer):
    person = serializers.UUIDField(help_text="The person's record id")
    instrument = serializers.CharField(
        max_length=40, help_text="dash, child-exploitation, missing-risk, thrive"
    )
    answers = serializers.JSONField(help_text='{"q1": "yes", "q2": "not_known", ...}')
    professional_judgement = serializers.JSONField(
        required=False, allow_null=True, help_text='{"level": "high", "reason": "..."}'
    )


def _nested_errors(message_dict: dict[str, list[str]]) -> dict[str, Any]:
    """Service errors ("q5", "professional_judgement_reason"...) as the API's field names."""
    errors: dict[str, Any] = {}
    for key, messages in message_dict.items():
        if key in ("instrument", "assessed_at", "answers", "professional_judgement", "person"):
            errors[key] = messages
        elif key.startswith("professional_judgement_"):
            errors.setdefault("professional_judgement", {})[key.removeprefix("professional_judgement_")] = (
                messages
            )
        else:
            errors.setdefault("answers", {})[key] = messages
    return errors


class AssessmentListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(
        parameters=[
            OpenApiParameter("person", str, description="Only this person's assessments (record id)")
        ],
        responses=paginated(AssessmentOutput),
    )
    def get(self, request):
        person = None
        if request.query_params.get("person"):
            person = load_for(request.user, Person, request.query_params["person"], audit_read=False)
        assessments = selectors.assessment_list_for(request.user, person=person)
        paginator = generics.GenericAPIView.pagination_class()
        page = paginator.paginate_queryset(assessments, request, view=self)
        audit.record_listed(request.user, page)
        return paginator.get_paginated_response(AssessmentOutput(page, many=True).data)

    @extend_schema(request=AssessmentInput, responses={201: AssessmentOutput})
    def post(self, request):
        data = AssessmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        unknown = (
            sorted(set(request.data) - set(AssessmentInput().fields)) if hasattr(request.data, "keys") else []
        )
        if unknown:
            return Response({name: ["Unknown field"] for name in unknown}, status=status.HTTP_400_BAD_REQUEST)
        fields = data.validated_data
        person = load_for(request.user, Person, fields["person"], audit_read=False)  # 404 out of scope
        try:
            assessment = services.assessment_create(
                actor=request.user,
                person=person,
                instrument_id=fields["instrument"],
                answers=fields["answers"],
                professional_judgement=fields.get("professional_judgement"),
            )
        except ValidationError as exc:
            detail = (
                _nested_errors(exc.message_dict)
                if hasattr(exc, "error_dict")
                else {"non_field_errors": exc.messages}
            )
            return Response(detail, status=status.HTTP_400_BAD_REQUEST)
        return Response(AssessmentOutput(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=AssessmentOutput)
    def get(self, request, assessment_id):
        assessment = load_for(request.user, Assessment, assessment_id)  # scoped, audited read
        return Response(AssessmentOutput(assessment).data)
