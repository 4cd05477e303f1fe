"""Safer Communities Fund API: rounds, applications, awards (with monitoring returns) and the
summary. No personal data. Readers: partnership manager, commissioner, analysts; writers: the
partnership manager (docs/adr/0011). Another partnership's ids are 404; money is a string of
pounds and pence ("1234.56"), never a float; bad input is 400 naming the field, nothing stored.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.core.api import paginated
from safehub.core.models import District
from safehub.fund import rules, selectors, services
from safehub.fund.models import ApplicationStatus, FundApplication, FundAward, FundRound, MonitoringReturn


class FundReader(permissions.BasePermission):
    message = "Your role does not include the Safer Communities Fund"

    def has_permission(self, request, view):
        if not services.may_read(request.user):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        self.message = "Only the safeguarding partnership manager manages the Safer Communities Fund"
        return services.may_manage(request.user)


MONEY = {"max_digits": 11, "decimal_places": 2, "coerce_to_string": True}


class Money(serializers.DecimalField):
    """Pounds and pence as a string; refuses floats' extra digits and negative amounts by name."""

    def __init__(self, **kwargs):
        super().__init__(**MONEY, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, float):
            raise serializers.ValidationError(
                'Send the amount as a string of pounds and pence, like "1234.56"'
            )
        try:
            return rules.parse_money(data)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None


class FundRoundOutput(serializers.ModelSerializer):
    budget = serializers.DecimalField(**MONEY)
    awarded = serializers.SerializerMethodField()
    remaining = serializers.SerializerMethodField()

    class Meta:
        model = FundRound
        fields = [
            "id",
            "number",
            "name",
            "opens_on",
            "closes_on",
            "budget",
            "awarded",
            "remaining",
            "synthetic",
        ]

    def get_awarded(self, obj) -> str:
        return f"{selectors.awarded_in(obj)}"

    def get_remaining(self, obj) -> str:
        return f"{obj.budget - selectors.awarded_in(obj)}"


class FundRoundInput(serializers.Serializer):
    number = serializers.IntegerField(min_value=1)
    name = serializers.CharField(max_length=120)
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    budget = Money()


class FundRoundUpdateInput(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    opens_on = serializers.DateField(required=False)
    closes_on = serializers.DateField(required=False)
    budget = Money(required=False)


class FundApplicationOutput(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round.number")
    districts = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    amount_requested = serializers.DecimalField(**MONEY)
    status = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(ApplicationStatus.values)}")
    theme = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(rules.THEME_LABELS)}")

    class Meta:
        model = FundApplication
        fields = [
            "id",
            "round",
            "organisation",
            "project",
            "theme",
            "districts",
            "amount_requested",
            "projected_people",
            "submitted_on",
            "status",
            "decided_on",
        ]


class FundApplicationInput(serializers.Serializer):
    round = serializers.UUIDField()
    organisation = serializers.CharField(max_length=160)
    project = serializers.CharField(max_length=200)
    theme = serializers.ChoiceField(choices=rules.THEMES)
    districts = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=District.objects.all(), allow_empty=False
    )
    amount_requested = Money()
    projected_people = serializers.IntegerField(min_value=0)
    submitted_on = serializers.DateField()


class MonitoringReturnOutput(serializers.ModelSerializer):
    spend = serializers.DecimalField(**MONEY)

    class Meta:
        model = MonitoringReturn
        fields = ["id", "period_end", "people_reached", "spend", "narrative", "submitted_on"]


class FundAwardOutput(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round.number")
    application = FundApplicationOutput(read_only=True)
    amount = serializers.DecimalField(**MONEY)
    reported_people = serializers.SerializerMethodField()
    spent = serializers.SerializerMethodField()
    returns = MonitoringReturnOutput(many=True, read_only=True)

    class Meta:
        model = FundAward
        fields = ["id", "round", "application", "amount", "awarded_on", "reported_people", "spent", "returns"]

    def get_reported_people(self, obj) -> int:
        return sum(r.people_reached for r in obj.returns.all())

    def get_spent(self, obj) -> str:
        return f"{selectors.spent_on(obj)}"


class FundAwardInput(serializers.Serializer):
    application = serializers.UUIDField()
    amount = Money()
    awarded_on = serializers.DateField()


class MonitoringReturnInput(serializers.Serializer):
    period_end = serializers.DateField()
    people_reached = serializers.IntegerField(min_value=0)
    spend = Money()
    narrative = serializers.CharField(required=False, allow_blank=True, default="")
    submitted_on = serializers.DateField(required=False, allow_null=True, default=None)


class FundSummaryOutput(serializers.Serializer):
    rounds = serializers.ListField(child=serializers.IntegerField())
    projects = serializers.IntegerField()
    awarded = serializers.DecimalField(**MONEY)
    budget = serializers.DecimalField(**MONEY)
    projected_people = serializers.IntegerField()
    reported_people = serializers.IntegerField()
    sentence = serializers.CharField()
    synthetic = serializers.BooleanField(help_text="True when any round holds made-up demo figures")
    by_round = serializers.ListField(child=serializers.DictField())
    by_theme = serializers.ListField(child=serializers.DictField())
    by_district = serializers.ListField(child=serializers.DictField())


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if hasattr(value, "quantize"):
        return f"{value}"
    if hasattr(value, "hex") and not isinstance(value, str | bytes):
        return str(value)
    return value


def _page(view, request, queryset, serializer):
    paginator = generics.GenericAPIView.pagination_class()
    page = paginator.paginate_queryset(queryset, request, view=view)
    return paginator.get_paginated_response(serializer(page, many=True).data)


class FundRoundListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, FundReader]

    @extend_schema(responses=paginated(FundRoundOutput))
    def get(self, request):
        return _page(self, request, selectors.rounds_for(request.user), FundRoundOutput)

    @extend_schema(request=FundRoundInput, responses={201: FundRoundOutput})
    def post(self, request):
        data = FundRoundInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.round_create(actor=request.user, **data.validated_data)
        return Response(FundRoundOutput(created).data, status=status.HTTP_201_CREATED)


class FundRoundDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, FundReader]

    @extend_schema(responses=FundRoundOutput)
    def get(self, request, round_id):
        return Response(FundRoundOutput(selectors.round_for(request.user, round_id)).data)

    @extend_schema(request=FundRoundUpdateInput, responses={200: FundRoundOutput})
    def patch(self, request, round_id):
        fund_round = selectors.round_for(request.user, round_id)
        data = FundRoundUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        updated = services.round_update(actor=request.user, round=fund_round, **data.validated_data)
        return Response(FundRoundOutput(updated).data)


class FundApplicationListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, FundReader]

    @extend_schema(
        parameters=[OpenApiParameter("round", int, description="Round number")],
        responses=paginated(FundApplicationOutput),
    )
    def get(self, request):
        queryset = selectors.applications_for(request.user)
        if request.query_params.get("round"):
            number = request.query_params["round"]
            if not number.isdigit():
                raise serializers.ValidationError({"round": ["Enter a round number, like 3"]})
            queryset = queryset.filter(round__number=int(number))
        return _page(self, request, queryset, FundApplicationOutput)

    @extend_schema(request=FundApplicationInput, responses={201: FundApplicationOutput})
    def post(self, request):
        data = FundApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fund_round = selectors.rounds_for(request.user).filter(pk=fields.pop("round")).first()
        if fund_round is None:
            raise serializers.ValidationError({"round": ["Select a round of your partnership's fund"]})
        created = services.application_create(actor=request.user, round=fund_round, **fields)
        return Response(FundApplicationOutput(created).data, status=status.HTTP_201_CREATED)


class FundAwardListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, FundReader]

    @extend_schema(
        parameters=[OpenApiParameter("round", int, description="Round number")],
        responses=paginated(FundAwardOutput),
    )
    def get(self, request):
        queryset = selectors.awards_for(request.user).prefetch_related("returns")
        if request.query_params.get("round"):
            number = request.query_params["round"]
            if not number.isdigit():
                raise serializers.ValidationError({"round": ["Enter a round number, like 3"]})
            queryset = queryset.filter(round__number=int(number))
        return _page(self, request, queryset, FundAwardOutput)

    @extend_schema(request=FundAwardInput, responses={201: FundAwardOutput})
    def post(self, request):
        data = FundAwardInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        application = selectors.applications_for(request.user).filter(pk=fields.pop("application")).first()
        if application is None:
            raise serializers.ValidationError(
                {"application": ["Select an application to your partnership's fund"]}
            )
        created = services.award_create(actor=request.user, application=application, **fields)
        return Response(FundAwardOutput(created).data, status=status.HTTP_201_CREATED)


class FundAwardDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, FundReader]

    @extend_schema(responses=FundAwardOutput)
    def get(self, request, award_id):
        return Response(FundAwardOutput(selectors.award_for(request.user, award_id)).data)


class FundReturnCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, FundReader]

    @extend_schema(request=MonitoringReturnInput, responses={201: MonitoringReturnOutput})
    def post(self, request, award_id):
        award = selectors.award_for(request.user, award_id)
        data = MonitoringReturnInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.return_create(actor=request.user, award=award, **data.validated_data)
        return Response(MonitoringReturnOutput(created).data, status=status.HTTP_201_CREATED)


class FundSummaryApi(APIView):
    permission_classes = [permissions.IsAuthenticated, FundReader]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "rounds", str, description="Comma-separated round numbers, e.g. 1,2,3 (default all)"
            )
        ],
        responses=FundSummaryOutput,
    )
    def get(self, request):
        numbers = None
        if request.query_params.get("rounds"):
            parts = [p.strip() for p in request.query_params["rounds"].split(",")]
            if not all(p.isdigit() for p in parts):
                raise serializers.ValidationError(
                    {"rounds": ["Enter round numbers separated by commas, like 1,2,3"]}
                )
            numbers = [int(p) for p in parts]
        data = selectors.summary(request.user.agency.force, round_numbers=numbers)
        return Response(_jsonable(data))
