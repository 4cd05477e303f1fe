"""Partnership activities API: the activity register and team establishment records. No personal
data. Readers: partnership manager, commissioner, analysts, auditors; writer: the partnership
manager. Another partnership's ids are 404; money and FTE are strings ("1250.00", "7.5"), never
floats; bad input is 400 naming the field, and nothing is stored.
"""

from __future__ import annotations

import uuid
from datetime import date

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.activities import selectors, services
from safehub.activities.models import Activity, ActivityKind, Establishment, Theme
from safehub.core.api import paginate_listed, paginated


class ActivityReader(permissions.BasePermission):
    message = "Your role does not include the partnership activity register"

    def has_permission(self, request, view):
        if not services.may_read(request.user):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        self.message = "Only the safeguarding partnership manager records partnership activities"
        return services.may_manage(request.user)


class ActivityOutput(serializers.ModelSerializer):
    districts = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    cost = serializers.DecimalField(max_digits=11, decimal_places=2, coerce_to_string=True, allow_null=True)
    kind = serializers.CharField(help_text=f"One of: {', '.join(ActivityKind.values)}")
    themes = serializers.ListField(
        child=serializers.CharField(), help_text=f"Codes: {', '.join(Theme.values)}"
    )

    class Meta:
        model = Activity
        fields = [
            "id",
            *services.ACTIVITY_FIELDS,
            "created_at",
            "updated_at",
        ]


def _text(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


class ActivityInput(serializers.Serializer):
    """An activity. Counts and cost may be null (not known); the service checks every value."""

    kind = serializers.ChoiceField(choices=ActivityKind.choices)
    title = serializers.CharField(max_length=200)
    description = _text(4000)
    starts_on = serializers.DateField(help_text="For a campaign, the day it launched")
    ends_on = serializers.DateField(required=False, allow_null=True)
    venue = _text(200)
    lead_organisation = serializers.CharField(max_length=160)
    partner_organisations = serializers.ListField(
        child=serializers.CharField(max_length=160), required=False, help_text="Organisation names"
    )
    districts = serializers.ListField(
        child=serializers.SlugField(), required=False, help_text="District codes; none for force-wide"
    )
    themes = serializers.ListField(
        child=serializers.CharField(max_length=40), help_text=f"At least one of: {', '.join(Theme.values)}"
    )
    audience = _text(200)
    attendance = serializers.IntegerField(required=False, allow_null=True)
    attendance_noun = _text(40, help_text="What attendance counts: delegates, projects entered, ...")
    reach = serializers.IntegerField(required=False, allow_null=True)
    cost = serializers.CharField(
        max_length=20, required=False, allow_null=True, allow_blank=True, help_text='Pounds, like "1250.00"'
    )
    funding_source = _text(160)
    outcomes = _text(4000)
    target_series = _text(80, help_text="A campaign's target measure (analytics series id)")
    target_category = _text(120)
    target_district = _text(40, help_text="District code, or blank for force-wide")


class EstablishmentOutput(serializers.ModelSerializer):
    team = serializers.UUIDField(source="team_id")
    team_name = serializers.CharField(source="team.name")
    agency = serializers.CharField(source="team.agency.name")
    district = serializers.SerializerMethodField()
    workload = serializers.SerializerMethodField()
    establishment_fte = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=True)
    in_post_fte = serializers.DecimalField(max_digits=7, decimal_places=2, coerce_to_string=True)

    class Meta:
        model = Establishment
        fields = [
            "id",
            "team",
            "team_name",
            "agency",
            "district",
            "workload",
            "role",
            "effective_from",
            "establishment_fte",
            "in_post_fte",
            "note",
        ]

    def get_district(self, obj) -> str:
        return obj.team.district.code if obj.team.district_id else ""

    def get_workload(self, obj) -> str:
        capacity = getattr(obj.team, "capacity", None)
        return capacity.workload if capacity else ""


class EstablishmentInput(serializers.Serializer):
    team = serializers.UUIDField()
    role = serializers.CharField(max_length=120)
    effective_from = serializers.DateField()
    establishment_fte = serializers.CharField(max_length=12, help_text='Full-time equivalents, like "7.5"')
    in_post_fte = serializers.CharField(max_length=12, help_text='Full-time equivalents, like "7.5"')
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


def _day(params, name: str) -> date | None:
    text = params.get(name, "")
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise serializers.ValidationError({name: ["Enter a date like 2026-03-14"]}) from None


def _choice(params, name: str, allowed, what: str) -> str:
    value = params.get(name, "")
    if value and value not in allowed:
        raise serializers.ValidationError({name: [f"Select {what}: one of {', '.join(sorted(allowed))}"]})
    return value


class ActivityListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, ActivityReader]

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, description=f"One of: {', '.join(ActivityKind.values)}"),
            OpenApiParameter("theme", str, description=f"One of: {', '.join(Theme.values)}"),
            OpenApiParameter("district", str, description="District code"),
            OpenApiParameter("from", date, description="Starting on or after"),
            OpenApiParameter("to", date, description="Starting on or before"),
        ],
        responses=paginated(ActivityOutput),
        operation_id="activities_list",
    )
    def get(self, request):
        params = request.query_params
        codes = set(request.user.agency.force.districts.values_list("code", flat=True))
        chosen = selectors.RegisterFilter(
            kind=_choice(params, "kind", set(ActivityKind.values), "a kind of activity"),
            theme=_choice(params, "theme", set(Theme.values), "a theme"),
            district=_choice(params, "district", codes, "a district of the partnership"),
            starts_from=_day(params, "from"),
            starts_to=_day(params, "to"),
        )
        rows = selectors.activities_filtered(selectors.activities_for(request.user), chosen)
        return paginate_listed(self, request, rows, ActivityOutput, listed=False)

    @extend_schema(request=ActivityInput, responses={201: ActivityOutput})
    def post(self, request):
        data = ActivityInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.activity_create(actor=request.user, **data.validated_data)
        return Response(ActivityOutput(created).data, status=status.HTTP_201_CREATED)


class ActivityDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, ActivityReader]

    @extend_schema(responses=ActivityOutput)
    def get(self, request, activity_id):
        return Response(ActivityOutput(selectors.activity_for(request.user, activity_id)).data)

    @extend_schema(request=ActivityInput(partial=True), responses={200: ActivityOutput})
    def patch(self, request, activity_id):
        activity = selectors.activity_for(request.user, activity_id)
        data = ActivityInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        updated = services.activity_update(actor=request.user, activity=activity, **data.validated_data)
        return Response(ActivityOutput(updated).data)


class EstablishmentListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, ActivityReader]

    @extend_schema(
        parameters=[OpenApiParameter("team", str, description="A team's id (UUID)")],
        responses=paginated(EstablishmentOutput),
        operation_id="teams_establishment_list",
    )
    def get(self, request):
        team = None
        if request.query_params.get("team"):
            team = selectors.teams_for(request.user).filter(pk=_uuid(request.query_params["team"])).first()
            if team is None:
                raise serializers.ValidationError({"team": ["Select a team of your partnership"]})
        rows = selectors.establishment_for(request.user, team=team).select_related("team__capacity")
        return paginate_listed(self, request, rows, EstablishmentOutput, listed=False)

    @extend_schema(request=EstablishmentInput, responses={201: EstablishmentOutput})
    def post(self, request):
        data = EstablishmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        team = selectors.teams_for(request.user).filter(pk=fields.pop("team")).first()
        if team is None:
            raise serializers.ValidationError({"team": ["Select a team of your partnership"]})
        created = services.establishment_record(actor=request.user, team=team, **fields)
        return Response(EstablishmentOutput(created).data, status=status.HTTP_201_CREATED)


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise serializers.ValidationError({"team": ["Enter a team id (a UUID)"]}) from None
