"""MARAC and MACE API: meetings, their cases (after accepting the confidentiality statement),
minutes and decisions, actions, and listing candidates.

Out-of-scope ids are 404; aggregate roles 403; a member who has not accepted the meeting's
statement gets 403 naming it; bad input is 400 naming the field, with nothing stored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.core.api import paginate_listed, paginated
from safehub.core.models import Agency, District, User
from safehub.core.rulesets import UnknownRuleset
from safehub.meetings import access, selectors, services
from safehub.meetings.models import (
    RULESET_FOR_KIND,
    Action,
    ActionStatus,
    Decision,
    Meeting,
    MeetingCase,
    MeetingSeries,
    RiskLevel,
)
from safehub.people.api import HasPersonLevelAccess
from safehub.people.models import Person

# --- output ------------------------------------------------------------------------------------


class MeetingOutput(serializers.ModelSerializer):
    series = serializers.UUIDField(source="series_id")
    series_name = serializers.CharField(source="series.name")
    kind = serializers.CharField(source="series.kind")
    district = serializers.CharField(source="series.district.code")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "series",
            "series_name",
            "kind",
            "district",
            "starts_at",
            "location",
            "status",
            "research_due_at",
            "held_at",
        ]


class MeetingDetailOutput(MeetingOutput):
    confidentiality_statement = serializers.CharField()
    accepted = serializers.SerializerMethodField()

    class Meta(MeetingOutput.Meta):
        fields = [*MeetingOutput.Meta.fields, "confidentiality_statement", "accepted"]

    def get_accepted(self, obj) -> bool:
        return access.has_accepted(self.context["user"], obj)


class EvidenceOutput(serializers.Serializer):
    type = serializers.CharField()
    at = serializers.DateTimeField()
    ref = serializers.CharField()


class FiredOutput(serializers.Serializer):
    rule = serializers.CharField()
    title = serializers.CharField()
    reason = serializers.CharField()
    evidence = EvidenceOutput(many=True)


class CaseOutput(serializers.ModelSerializer):
    meeting = serializers.UUIDField(source="meeting_id")
    person = serializers.UUIDField(source="person_id")
    person_name = serializers.CharField(source="person.full_name")
    date_of_birth = serializers.DateField(source="person.date_of_birth")
    rules_fired = FiredOutput(many=True)
    referring_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    review_of = serializers.UUIDField(source="review_of_id", allow_null=True)

    class Meta:
        model = MeetingCase
        fields = [
            "id",
            "meeting",
            "position",
            "person",
            "person_name",
            "date_of_birth",
            "listed_by",
            "rules_fired",
            "ruleset_version",
            "manual_reason",
            "review_of",
            "referring_agency",
            "is_repeat",
            "children_in_household",
            "lgbt",
            "risk_level_before",
            "minutes",
            "risk_level_after",
            "decision",
            "decision_reason",
            "discussed_at",
        ]


class ActionOutput(serializers.ModelSerializer):
    case = serializers.UUIDField(source="case_id")
    meeting = serializers.UUIDField(source="case.meeting_id")
    owner_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = serializers.CharField(source="owner.username")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Action
        fields = [
            "id",
            "case",
            "meeting",
            "description",
            "owner_agency",
            "owner",
            "due_on",
            "status",
            "update",
            "completed_at",
            "overdue",
        ]

    def get_overdue(self, obj) -> bool:
        return obj.status == ActionStatus.OPEN and obj.due_on < timezone.localdate()


class CandidateOutput(serializers.Serializer):
    person = serializers.UUIDField(source="person.pk")
    person_name = serializers.CharField(source="person.full_name")
    date_of_birth = serializers.DateField(source="person.date_of_birth")
    age_status = serializers.CharField(help_text="child, adult or unknown (no date of birth)")
    listed_at = serializers.DateTimeField(allow_null=True)
    rules_fired = serializers.SerializerMethodField()

    def get_rules_fired(self, obj) -> list[dict[str, Any]]:
        from safehub.meetings.rules import fired_as_data

        return fired_as_data(obj.fired)


class CandidateListOutput(serializers.Serializer):
    ruleset = serializers.CharField(source="ruleset.id")
    version = serializers.IntegerField(source="ruleset.version")
    series = serializers.UUIDField(source="series.pk")
    as_of = serializers.DateTimeField()
    candidates = CandidateOutput(many=True)
    already_listed = CandidateOutput(many=True)


# --- input -------------------------------------------------------------------------------------


class MeetingCreateInput(serializers.Serializer):
    series = serializers.UUIDField()
    starts_at = serializers.DateTimeField()
    location = serializers.CharField(required=False, allow_blank=True, default="")
    research_due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class CaseCreateInput(serializers.Serializer):
    person = serializers.UUIDField()
    manual_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Give a reason to add a person by hand; leave out to add a listing candidate",
    )


class CaseUpdateInput(serializers.Serializer):
    meeting = serializers.UUIDField(
        required=False, help_text="The meeting being minuted (refused if the case is not on it)"
    )
    minutes = serializers.CharField(required=False, allow_blank=True)
    risk_level_after = serializers.ChoiceField(choices=RiskLevel.choices, required=False, allow_blank=True)
    decision = serializers.ChoiceField(choices=Decision.choices, required=False, allow_blank=True)
    decision_reason = serializers.CharField(required=False, allow_blank=True)
    transfer_to_series = serializers.UUIDField(required=False, allow_null=True)
    transfer_to_area = serializers.CharField(required=False, allow_blank=True)


class ActionCreateInput(serializers.Serializer):
    case = serializers.UUIDField()
    description = serializers.CharField()
    owner_agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        error_messages={"does_not_exist": "Unknown agency {value}"},
    )
    owner = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        error_messages={"does_not_exist": "Unknown user {value}"},
    )
    due_on = serializers.DateField()


class ActionUpdateInput(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ActionStatus.choices, required=False, help_text="Default: unchanged"
    )
    update = serializers.CharField(required=False, allow_blank=True, default="")


# --- endpoints ---------------------------------------------------------------------------------


class MeetingsApiView(APIView):
    """Person-level users only; a refusal from the access rules keeps its message."""

    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    def handle_exception(self, exc):
        if isinstance(exc, DjangoPermissionDenied) and str(exc):
            exc = DrfPermissionDenied(str(exc))
        return super().handle_exception(exc)


class MeetingListCreateApi(MeetingsApiView):
    @extend_schema(responses=paginated(MeetingOutput))
    def get(self, request):
        rows = access.meetings_visible_to(request.user).order_by("-starts_at")
        return paginate_listed(self, request, rows, MeetingOutput, listed=False)

    @extend_schema(request=MeetingCreateInput, responses={201: MeetingOutput})
    def post(self, request):
        data = MeetingCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        series = access.series_visible_to(request.user).filter(pk=fields.pop("series")).first()
        if series is None:
            raise serializers.ValidationError({"series": ["Select a meeting series you coordinate"]})
        meeting = services.meeting_create(actor=request.user, series=series, **fields)
        return Response(MeetingOutput(meeting).data, status=status.HTTP_201_CREATED)


class MeetingDetailApi(MeetingsApiView):
    @extend_schema(responses=MeetingDetailOutput)
    def get(self, request, meeting_id):
        meeting = access.meeting_for(request.user, meeting_id)
        return Response(MeetingDetailOutput(meeting, context={"user": request.user}).data)


class MeetingCasesApi(MeetingsApiView):
    @extend_schema(responses=paginated(CaseOutput))
    def get(self, request, meeting_id):
        meeting = access.meeting_for(request.user, meeting_id)
        cases = access.cases_for_meeting(request.user, meeting, audit_listed=False)  # 403 before acceptance
        return paginate_listed(self, request, cases, CaseOutput)

    @extend_schema(request=CaseCreateInput, responses={201: CaseOutput})
    def post(self, request, meeting_id):
        meeting = access.meeting_for(request.user, meeting_id)
        access.require_coordinator(request.user, meeting)
        data = CaseCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        person_id, reason = data.validated_data["person"], data.validated_data["manual_reason"].strip()
        if reason:
            person = Person.objects.visible_to(request.user).filter(pk=person_id).first()
            if person is None:
                raise serializers.ValidationError({"person": ["Select a person you can see"]})
            case = services.case_add_manual(actor=request.user, meeting=meeting, person=person, reason=reason)
        else:
            person = selectors.candidate_person(request.user, meeting.series, person_id)
            if person is None:
                raise serializers.ValidationError(
                    {"person": ["Select a listing candidate, or give manual_reason to add a person by hand"]}
                )
            case = services.case_add_listed(actor=request.user, meeting=meeting, person=person)
        return Response(CaseOutput(case).data, status=status.HTTP_201_CREATED)


class MeetingCaseDetailApi(MeetingsApiView):
    @extend_schema(responses=CaseOutput)
    def get(self, request, case_id):
        case = access.case_for(request.user, case_id)  # audited read
        return Response(CaseOutput(case).data)

    @extend_schema(request=CaseUpdateInput, responses=CaseOutput)
    def patch(self, request, case_id):
        case = access.case_for(request.user, case_id, write=True)
        data = CaseUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        meeting = case.meeting
        if "meeting" in fields:
            meeting = access.meeting_for(request.user, fields.pop("meeting"))
        to_series = None
        if fields.get("transfer_to_series"):
            to_series = MeetingSeries.objects.filter(pk=fields["transfer_to_series"]).first()
            if to_series is None:
                raise serializers.ValidationError({"transfer_to_series": ["Unknown meeting series"]})
        current = {
            "minutes": case.minutes,
            "risk_level_after": case.risk_level_after,
            "decision": case.decision,
            "decision_reason": case.decision_reason,
        }
        current.update({k: v for k, v in fields.items() if k in current})
        updated = services.case_minutes_record(
            actor=request.user,
            meeting=meeting,
            case=case,
            transfer_to_series=to_series,
            transfer_to_area=fields.get("transfer_to_area", ""),
            **current,
        )
        return Response(CaseOutput(updated).data)


class ActionListCreateApi(MeetingsApiView):
    @extend_schema(
        parameters=[OpenApiParameter("status", str, description="open, done or cancelled")],
        responses=paginated(ActionOutput),
    )
    def get(self, request):
        rows = access.actions_visible_to(request.user).select_related("case", "owner", "owner_agency")
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in ActionStatus.values:
                raise serializers.ValidationError({"status": ["Use open, done or cancelled"]})
            rows = rows.filter(status=wanted)
        return paginate_listed(self, request, rows.order_by("due_on", "created_at"), ActionOutput)

    @extend_schema(request=ActionCreateInput, responses={201: ActionOutput})
    def post(self, request):
        data = ActionCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        case = access.case_for(request.user, fields.pop("case"), write=True)
        action = services.action_create(actor=request.user, case=case, **fields)
        return Response(ActionOutput(action).data, status=status.HTTP_201_CREATED)


class ActionDetailApi(MeetingsApiView):
    @extend_schema(responses=ActionOutput)
    def get(self, request, action_id):
        return Response(ActionOutput(access.action_for(request.user, action_id)).data)

    @extend_schema(request=ActionUpdateInput, responses=ActionOutput)
    def patch(self, request, action_id):
        action = access.action_for(request.user, action_id, write=True)
        data = ActionUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changes = {"status": action.status, "update": "", **data.validated_data}
        updated = services.action_update(actor=request.user, action=action, **changes)
        return Response(ActionOutput(updated).data)


class ListingCandidatesApi(MeetingsApiView):
    @extend_schema(
        parameters=[
            OpenApiParameter("ruleset", str, required=True, description="marac or mace"),
            OpenApiParameter("district", str, required=True, description="District code"),
            OpenApiParameter("as_of", str, description="ISO date-time (default now)"),
        ],
        responses=CandidateListOutput,
    )
    def get(self, request):
        params = request.query_params
        kinds = {ruleset: kind for kind, ruleset in RULESET_FOR_KIND.items()}
        if params.get("ruleset") not in kinds:
            raise serializers.ValidationError(
                {"ruleset": [f"Unknown ruleset {params.get('ruleset', '')!r}: use marac or mace"]}
            )
        district = District.objects.filter(code=params.get("district", "")).first()
        if district is None:
            raise serializers.ValidationError(
                {
                    "district": [
                        f"Unknown district {params.get('district', '')!r}: use a district code such as leeds"
                    ]
                }
            )
        as_of = _as_of(params.get("as_of"))
        series = (
            access.series_visible_to(request.user)
            .filter(district=district, kind=kinds[params["ruleset"]])
            .first()
        )
        if series is None:
            raise NotFound("No meeting series of this kind in this district that you belong to")
        try:
            found = selectors.listing_candidates(request.user, series, as_of)
        except UnknownRuleset as exc:
            raise serializers.ValidationError({"ruleset": [str(exc)]}) from None
        return Response(CandidateListOutput(found).data)


def _as_of(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise serializers.ValidationError({"as_of": ["Use an ISO date-time such as 2026-03-12T09:00:00Z"]})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    if parsed > timezone.now():
        raise serializers.ValidationError({"as_of": ["as_of must be now or in the past"]})
    return parsed
