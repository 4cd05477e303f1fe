"""Missing persons API: episodes (report, read, regrade, found, actions), return home interviews,
protocol profiles and repeat-missing problem-solving plans (with their actions and reviews).

Errors are 400s naming the field with nothing stored; out-of-scope ids are 404; aggregate roles get
403; a read-only caller changing a record gets 403.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.core.access import load_for
from safehub.core.api import paginate_listed, paginated
from safehub.core.models import Agency, District
from safehub.missing import selectors, services
from safehub.missing.models import (
    ActionKind,
    Condition,
    EpisodeAction,
    EpisodeStatus,
    ExploitationIndicator,
    InterviewStatus,
    MissingEpisode,
    MissingFrom,
    PlanAction,
    PlanActionStatus,
    PlanReview,
    ProblemPlan,
    ProfileKind,
    ProtocolProfile,
    PullFactor,
    PushFactor,
    ReturnInterview,
    RiskGrading,
    Stage,
)
from safehub.people.api import HasPersonLevelAccess
from safehub.people.models import Person

# --- output ------------------------------------------------------------------------------------


class MissingGradingOutput(serializers.ModelSerializer):
    graded_by = serializers.CharField(source="graded_by.username")

    class Meta:
        model = RiskGrading
        fields = ["id", "level", "level_name", "rationale", "graded_at", "graded_by", "is_initial"]


class MissingEpisodeSummaryOutput(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(EpisodeStatus.values)}")
    reference = serializers.CharField(read_only=True)
    person = serializers.UUIDField(source="person_id")
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owning_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    duration_minutes = serializers.SerializerMethodField()

    class Meta:
        model = MissingEpisode
        fields = [
            "id",
            "reference",
            "person",
            "is_child",
            "district",
            "owning_agency",
            "reported_at",
            "missing_from",
            "risk_level",
            "routing",
            "status",
            "found_at",
            "repeat_missing",
            "duration_minutes",
        ]

    def get_duration_minutes(self, obj) -> int | None:
        value = obj.duration
        return None if value is None else int(value.total_seconds() // 60)


class MissingEpisodeOutput(MissingEpisodeSummaryOutput):
    person_name = serializers.CharField(source="person.full_name")
    reported_by_agency = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    gradings = MissingGradingOutput(many=True, read_only=True)
    profile = serializers.SerializerMethodField()
    return_interview = serializers.SerializerMethodField()

    class Meta(MissingEpisodeSummaryOutput.Meta):
        fields = [
            *MissingEpisodeSummaryOutput.Meta.fields,
            "person_name",
            "reported_by_name",
            "reported_by_relationship",
            "reported_by_agency",
            "last_seen_at",
            "last_seen_place",
            "last_seen_with",
            "missing_from_detail",
            "circumstances",
            "immediate_risk_stated",
            "routing_reason",
            "routing_decided_at",
            "found_place",
            "found_by",
            "condition_on_return",
            "return_notes",
            "repeat_reason",
            "gradings",
            "profile",
            "return_interview",
        ]

    def get_profile(self, obj) -> str | None:
        """The attached profile's id, for callers who may read it (owning agency and police)."""
        user = self.context.get("user")
        if obj.profile_id and selectors.profiles_readable_by(user).filter(pk=obj.profile_id).exists():
            return str(obj.profile_id)
        return None

    def get_return_interview(self, obj) -> str | None:
        user = self.context.get("user")
        found = (
            ReturnInterview.objects.visible_to(user).filter(episode=obj).values_list("pk", flat=True).first()
        )
        return str(found) if found else None


class ReturnInterviewOutput(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(InterviewStatus.values)}")
    episode = serializers.UUIDField(source="episode_id")
    person = serializers.UUIDField(source="person_id")
    owning_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = ReturnInterview
        fields = [
            "id",
            "episode",
            "person",
            "owning_agency",
            "due_at",
            "status",
            "overdue",
            "offered_at",
            "responded_at",
            "completed_at",
            "interviewer_name",
            "interviewer_organisation",
            "interviewer_independent",
            "decline_reason",
            "where_stayed",
            "who_with",
            "push_factors",
            "pull_factors",
            "exploitation_indicators",
            "child_words",
            "notes",
        ]


class ProtocolProfileSummaryOutput(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text="philomena or herbert")
    person = serializers.UUIDField(source="person_id")
    owning_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = ProtocolProfile
        fields = ["id", "person", "kind", "owning_agency", "reviewed_at", "active", "has_photo"]

    def get_has_photo(self, obj) -> bool:
        return bool(obj.photo)


class ProtocolProfileOutput(ProtocolProfileSummaryOutput):
    photo = serializers.SerializerMethodField()

    class Meta(ProtocolProfileSummaryOutput.Meta):
        fields = [
            *ProtocolProfileSummaryOutput.Meta.fields,
            "description",
            "medical_needs",
            "places",
            "contacts",
            "previous_addresses",
            "routines",
            "photo_content_type",
            "photo",
        ]

    def get_photo(self, obj) -> str | None:
        """The photo, base64-encoded."""
        return base64.b64encode(bytes(obj.photo)).decode("ascii") if obj.photo else None


class MissingEpisodeActionOutput(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(ActionKind.values)}")
    episode = serializers.UUIDField(source="episode_id")
    recorded_by = serializers.CharField(source="recorded_by.username")

    class Meta:
        model = EpisodeAction
        fields = ["id", "episode", "kind", "at", "description", "result", "recorded_by"]


class MissingPlanActionOutput(serializers.ModelSerializer):
    plan = serializers.UUIDField(source="plan_id")
    stage = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(Stage.values)}")
    status = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(PlanActionStatus.values)}")

    class Meta:
        model = PlanAction
        fields = [
            "id",
            "plan",
            "stage",
            "description",
            "owner",
            "review_date",
            "status",
            "done_on",
            "done_note",
        ]


class MissingPlanReviewOutput(serializers.ModelSerializer):
    reviewed_by = serializers.CharField(source="reviewed_by.username")

    class Meta:
        model = PlanReview
        fields = ["id", "reviewed_on", "reviewed_by", "note", "previous_review_date", "next_review_date"]


class MissingPlanSummaryOutput(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person_id")
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owning_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    review_overdue = serializers.BooleanField(read_only=True, help_text="The review date has passed")

    class Meta:
        model = ProblemPlan
        fields = ["id", "person", "district", "owning_agency", "owner", "review_date", "review_overdue"]


class MissingPlanOutput(MissingPlanSummaryOutput):
    actions = MissingPlanActionOutput(many=True, read_only=True)
    reviews = MissingPlanReviewOutput(many=True, read_only=True)

    class Meta(MissingPlanSummaryOutput.Meta):
        fields = [
            *MissingPlanSummaryOutput.Meta.fields,
            "scan",
            "analyse",
            "respond",
            "assess",
            "created_at",
            "updated_at",
            "actions",
            "reviews",
        ]


# --- input -------------------------------------------------------------------------------------


class EpisodeCreateInput(serializers.Serializer):
    person = serializers.UUIDField(help_text="A person found by search (GET /api/v1/people/?q=)")
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        error_messages={"does_not_exist": "Unknown district {value}: use a district code such as leeds"},
    )
    is_child = serializers.BooleanField(required=False, allow_null=True, default=None)
    reported_at = serializers.DateTimeField(required=False)
    reported_by_name = serializers.CharField(max_length=120)
    reported_by_relationship = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    reported_by_agency = serializers.SlugRelatedField(
        slug_field="code", queryset=Agency.objects.all(), required=False, allow_null=True, default=None
    )
    last_seen_at = serializers.DateTimeField()
    last_seen_place = serializers.CharField(max_length=200)
    last_seen_with = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    missing_from = serializers.ChoiceField(choices=MissingFrom.choices)
    missing_from_detail = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    circumstances = serializers.CharField(required=False, allow_blank=True, default="")
    immediate_risk_stated = serializers.BooleanField(default=False)
    risk_level = serializers.SlugField(help_text="A level code, e.g. very_low, low, medium, high")
    risk_rationale = serializers.CharField()


class RegradeInput(serializers.Serializer):
    level = serializers.SlugField()
    rationale = serializers.CharField(
        allow_blank=True, error_messages={"required": "Enter the rationale for the new risk grading"}
    )


class FoundInput(serializers.Serializer):
    found_at = serializers.DateTimeField()
    found_place = serializers.CharField(max_length=200)
    found_by = serializers.CharField(max_length=120)
    condition_on_return = serializers.ListField(
        child=serializers.ChoiceField(choices=Condition.choices),
        allow_empty=False,
        error_messages={"empty": "Select the person's condition on return"},
    )
    return_notes = serializers.CharField(required=False, allow_blank=True, default="")


class InterviewCreateInput(serializers.Serializer):
    episode = serializers.UUIDField()


class InterviewUpdateInput(serializers.Serializer):
    status = serializers.CharField(required=False, help_text="offered, accepted, declined or completed")
    at = serializers.DateTimeField(required=False, help_text="When the status changed (default now)")
    interviewer_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    interviewer_organisation = serializers.CharField(max_length=160, required=False, allow_blank=True)
    interviewer_independent = serializers.BooleanField(required=False)
    decline_reason = serializers.CharField(required=False, allow_blank=True)
    where_stayed = serializers.CharField(required=False, allow_blank=True)
    who_with = serializers.CharField(required=False, allow_blank=True)
    push_factors = serializers.ListField(
        child=serializers.ChoiceField(choices=PushFactor.choices), required=False
    )
    pull_factors = serializers.ListField(
        child=serializers.ChoiceField(choices=PullFactor.choices), required=False
    )
    exploitation_indicators = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationIndicator.choices), required=False
    )
    child_words = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)

    def validate_status(self, value):
        if value not in InterviewStatus.values:
            raise serializers.ValidationError(f"Use one of: {', '.join(InterviewStatus.values)}")
        return value


class ProfileCreateInput(serializers.Serializer):
    person = serializers.UUIDField()
    kind = serializers.CharField(help_text="philomena or herbert")
    description = serializers.CharField()
    photo = serializers.CharField(
        required=False, allow_null=True, default=None, help_text="PNG or JPEG, base64-encoded, under 512 KB"
    )
    medical_needs = serializers.CharField(required=False, allow_blank=True, default="")
    places = serializers.CharField(required=False, allow_blank=True, default="")
    contacts = serializers.CharField(required=False, allow_blank=True, default="")
    previous_addresses = serializers.CharField(required=False, allow_blank=True, default="")
    routines = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_kind(self, value):
        if value not in ProfileKind.values:
            raise serializers.ValidationError("Select philomena or herbert")
        return value

    def validate_photo(self, value):
        if value in (None, ""):
            return None
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise serializers.ValidationError("The photo must be base64-encoded PNG or JPEG data") from None


class MissingEpisodeActionInput(serializers.Serializer):
    kind = serializers.CharField(
        required=False, default=ActionKind.ACTION, help_text=f"One of: {', '.join(ActionKind.values)}"
    )
    description = serializers.CharField(allow_blank=True)
    result = serializers.CharField(required=False, allow_blank=True, default="")
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate_kind(self, value):
        if value not in ActionKind.values:
            raise serializers.ValidationError(f"Use one of: {', '.join(ActionKind.values)}")
        return value


class StrictInput(serializers.Serializer):
    """Refuses fields it does not know (a PATCH naming an unknown field changes nothing)."""

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({name: ["Unknown field"] for name in unknown})
        return attrs


class MissingPlanCreateInput(StrictInput):
    person = serializers.UUIDField(help_text="A person with a missing episode you can see")
    owner = serializers.CharField(max_length=160, allow_blank=True, help_text="A team or role")
    review_date = serializers.DateField()
    scan = serializers.CharField(required=False, allow_blank=True, default="")
    analyse = serializers.CharField(required=False, allow_blank=True, default="")
    respond = serializers.CharField(required=False, allow_blank=True, default="")
    assess = serializers.CharField(required=False, allow_blank=True, default="")


class MissingPlanUpdateInput(StrictInput):
    owner = serializers.CharField(max_length=160, required=False, allow_blank=True)
    review_date = serializers.DateField(required=False)
    scan = serializers.CharField(required=False, allow_blank=True)
    analyse = serializers.CharField(required=False, allow_blank=True)
    respond = serializers.CharField(required=False, allow_blank=True)
    assess = serializers.CharField(required=False, allow_blank=True)


class MissingPlanReviewInput(StrictInput):
    note = serializers.CharField(allow_blank=True, help_text="What has changed since the last review")
    next_review_date = serializers.DateField()
    reviewed_on = serializers.DateField(required=False, allow_null=True, default=None)


class MissingPlanActionInput(StrictInput):
    stage = serializers.CharField(help_text=f"One of: {', '.join(Stage.values)}")
    description = serializers.CharField(allow_blank=True)
    owner = serializers.CharField(max_length=160, allow_blank=True)
    review_date = serializers.DateField()

    def validate_stage(self, value):
        if value not in Stage.values:
            raise serializers.ValidationError(f"Use one of: {', '.join(Stage.values)}")
        return value


class MissingPlanActionUpdateInput(StrictInput):
    status = serializers.CharField(required=False, help_text="open or done")
    done_on = serializers.DateField(required=False, allow_null=True, help_text="Default today when done")
    done_note = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.CharField(max_length=160, required=False, allow_blank=True)
    review_date = serializers.DateField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)

    def validate_status(self, value):
        if value not in PlanActionStatus.values:
            raise serializers.ValidationError("Use open or done")
        return value


# --- endpoints ---------------------------------------------------------------------------------


def _episode(episode: MissingEpisode, user: Any) -> dict[str, Any]:
    episode.refresh_from_db()
    return MissingEpisodeOutput(episode, context={"user": user}).data


class EpisodeListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, description="open or found"),
            OpenApiParameter("district", str, description="District code"),
        ],
        responses=paginated(MissingEpisodeSummaryOutput),
    )
    def get(self, request):
        params = request.query_params
        if params.get("status") and params["status"] not in EpisodeStatus.values:
            raise serializers.ValidationError({"status": ["Use open or found"]})
        district = None
        if params.get("district"):
            district = District.objects.filter(code=params["district"]).first()
            if district is None:
                raise serializers.ValidationError({"district": [f"Unknown district {params['district']}"]})
        episodes = selectors.episodes_for(request.user, status=params.get("status", ""), district=district)
        return paginate_listed(self, request, episodes, MissingEpisodeSummaryOutput)

    @extend_schema(request=EpisodeCreateInput, responses={201: MissingEpisodeOutput})
    def post(self, request):
        if not services.may_record(request.user):
            raise DrfPermissionDenied(
                "Only police officers and missing person coordinators record missing episodes"
            )
        data = EpisodeCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        person = Person.objects.visible_to(request.user).filter(pk=fields.pop("person")).first()
        if person is None:
            raise serializers.ValidationError({"person": ["Select a person you can see"]})
        episode = services.episode_create(actor=request.user, person=person, **fields)
        return Response(_episode(episode, request.user), status=status.HTTP_201_CREATED)


class EpisodeDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=MissingEpisodeOutput)
    def get(self, request, episode_id):
        episode = load_for(request.user, MissingEpisode, episode_id)  # scoped, audited read
        return Response(_episode(episode, request.user))


class EpisodeRegradeApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=RegradeInput, responses={200: MissingEpisodeOutput})
    def post(self, request, episode_id):
        episode = load_for(request.user, MissingEpisode, episode_id, write=True)
        data = RegradeInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.episode_regrade(actor=request.user, episode=episode, **data.validated_data)
        return Response(_episode(episode, request.user))


class EpisodeFoundApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=FoundInput, responses={200: MissingEpisodeOutput})
    def post(self, request, episode_id):
        episode = load_for(request.user, MissingEpisode, episode_id, write=True)
        data = FoundInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.episode_found(actor=request.user, episode=episode, **data.validated_data)
        return Response(_episode(episode, request.user))


class InterviewListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=paginated(ReturnInterviewOutput))
    def get(self, request):
        return paginate_listed(self, request, selectors.interviews_for(request.user), ReturnInterviewOutput)

    @extend_schema(request=InterviewCreateInput, responses={201: ReturnInterviewOutput})
    def post(self, request):
        data = InterviewCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        episode = load_for(request.user, MissingEpisode, data.validated_data["episode"], write=True)
        interview = services.return_interview_create(actor=request.user, episode=episode)
        return Response(ReturnInterviewOutput(interview).data, status=status.HTTP_201_CREATED)


class InterviewDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=ReturnInterviewOutput)
    def get(self, request, interview_id):
        interview = load_for(request.user, ReturnInterview, interview_id)  # scoped, audited read
        return Response(ReturnInterviewOutput(interview).data)

    @extend_schema(request=InterviewUpdateInput, responses={200: ReturnInterviewOutput})
    def patch(self, request, interview_id):
        interview = load_for(request.user, ReturnInterview, interview_id, write=True)
        data = InterviewUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.return_interview_update(
            actor=request.user, interview=interview, **data.validated_data
        )
        return Response(ReturnInterviewOutput(updated).data)


class ProfileListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=paginated(ProtocolProfileSummaryOutput))
    def get(self, request):
        return paginate_listed(
            self, request, selectors.profiles_owned_by(request.user), ProtocolProfileSummaryOutput
        )

    @extend_schema(request=ProfileCreateInput, responses={201: ProtocolProfileOutput})
    def post(self, request):
        data = ProfileCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        person = Person.objects.visible_to(request.user).filter(pk=fields.pop("person")).first()
        if person is None:
            raise serializers.ValidationError({"person": ["Select a person you can see"]})
        profile = services.profile_create(actor=request.user, person=person, **fields)
        return Response(ProtocolProfileOutput(profile).data, status=status.HTTP_201_CREATED)


class ProfileDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=ProtocolProfileOutput)
    def get(self, request, profile_id):
        profile = selectors.profile_for(request.user, profile_id)  # owner or police, audited
        return Response(ProtocolProfileOutput(profile).data)


class EpisodeActionListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=MissingEpisodeActionOutput(many=True))
    def get(self, request, episode_id):
        episode = load_for(request.user, MissingEpisode, episode_id)  # scoped, audited read
        actions = episode.actions.select_related("recorded_by").order_by("at", "created_at")
        return Response(MissingEpisodeActionOutput(actions, many=True).data)

    @extend_schema(request=MissingEpisodeActionInput, responses={201: MissingEpisodeActionOutput})
    def post(self, request, episode_id):
        episode = load_for(request.user, MissingEpisode, episode_id, write=True)
        data = MissingEpisodeActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.episode_action_add(actor=request.user, episode=episode, **data.validated_data)
        return Response(MissingEpisodeActionOutput(action).data, status=status.HTTP_201_CREATED)


def _plan(plan: ProblemPlan) -> dict[str, Any]:
    plan.refresh_from_db()
    return MissingPlanOutput(plan).data


class PlanListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(
        parameters=[OpenApiParameter("person", str, description="Only this person's plans (UUID)")],
        responses=paginated(MissingPlanSummaryOutput),
    )
    def get(self, request):
        plans = selectors.plans_for(request.user)
        if request.query_params.get("person"):
            try:
                person_id = uuid.UUID(request.query_params["person"])
            except ValueError:
                raise serializers.ValidationError({"person": ["Use the person's id (a UUID)"]}) from None
            plans = plans.filter(person_id=person_id)
        return paginate_listed(self, request, plans, MissingPlanSummaryOutput)

    @extend_schema(request=MissingPlanCreateInput, responses={201: MissingPlanOutput})
    def post(self, request):
        data = MissingPlanCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        person = selectors.person_for_plan(request.user, fields.pop("person"))
        if person is None:
            raise serializers.ValidationError(
                {"person": ["Select a person whose missing episodes you can see"]}
            )
        plan = services.plan_create(actor=request.user, person=person, **fields)
        return Response(_plan(plan), status=status.HTTP_201_CREATED)


class PlanDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=MissingPlanOutput)
    def get(self, request, plan_id):
        plan = load_for(request.user, ProblemPlan, plan_id)  # scoped, audited read
        return Response(_plan(plan))

    @extend_schema(request=MissingPlanUpdateInput, responses={200: MissingPlanOutput})
    def patch(self, request, plan_id):
        plan = load_for(request.user, ProblemPlan, plan_id, write=True)
        data = MissingPlanUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.plan_update(actor=request.user, plan=plan, **data.validated_data)
        return Response(_plan(plan))


class PlanActionCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=MissingPlanActionInput, responses={201: MissingPlanActionOutput})
    def post(self, request, plan_id):
        plan = load_for(request.user, ProblemPlan, plan_id, write=True)
        data = MissingPlanActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        action = services.plan_action_add(actor=request.user, plan=plan, **data.validated_data)
        return Response(MissingPlanActionOutput(action).data, status=status.HTTP_201_CREATED)


class PlanReviewCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=MissingPlanReviewInput, responses={201: MissingPlanReviewOutput})
    def post(self, request, plan_id):
        plan = load_for(request.user, ProblemPlan, plan_id, write=True)
        data = MissingPlanReviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.plan_review_record(actor=request.user, plan=plan, **data.validated_data)
        return Response(MissingPlanReviewOutput(review).data, status=status.HTTP_201_CREATED)


class PlanActionDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=MissingPlanActionUpdateInput, responses={200: MissingPlanActionOutput})
    def patch(self, request, action_id):
        action = load_for(request.user, PlanAction, action_id, write=True)
        data = MissingPlanActionUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.plan_action_update(actor=request.user, action=action, **data.validated_data)
        return Response(MissingPlanActionOutput(updated).data)
