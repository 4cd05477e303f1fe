"""Domestic abuse API: protection notices and orders, Clare's Law disclosures, IDVA car deployments
(with the evaluation), criminal-justice outcomes of domestic abuse contacts, and scrutiny samples.

Errors are 400s naming the field with nothing stored; out-of-scope ids are 404; aggregate roles get
403 on every person-level endpoint and read the evaluation and timeliness tables only.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.contacts.models import Contact
from safehub.core.access import load_for
from safehub.core.api import paginate_listed, paginated
from safehub.core.models import District
from safehub.people.api import HasPersonLevelAccess
from safehub.people.models import Person
from safehub.protection import rules, selectors, services
from safehub.protection.models import (
    CjOutcome,
    ContactMethod,
    CriminalJusticeOutcome,
    Decision,
    DisclosureApplication,
    DisclosureStage,
    HearingOutcome,
    IdvaDeployment,
    IdvaSupport,
    OrderBreach,
    ProtectionOrder,
    Rank,
    Route,
    Scheme,
    ScrutinyCase,
    ScrutinySample,
    Theme,
)


class SeesAggregates(permissions.BasePermission):
    message = "Your role does not see these figures"

    def has_permission(self, request, view):
        return services.may_see_aggregates(request.user)


def _require(check: bool, message: str) -> None:
    if not check:
        raise DrfPermissionDenied(message)


def _person(user: Any, value: Any, field: str) -> Person:
    person = Person.objects.visible_to(user).filter(pk=value).first()
    if person is None:
        raise serializers.ValidationError({field: ["Select a person you can see"]})
    return person


_DISTRICT = {
    "slug_field": "code",
    "queryset": District.objects.all(),
    "error_messages": {"does_not_exist": "Unknown district {value}: use a district code such as leeds"},
}


# --- output ------------------------------------------------------------------------------------------


class OrderBreachOutput(serializers.ModelSerializer):
    class Meta:
        model = OrderBreach
        fields = ["id", "at", "description", "action_taken"]


class IdvaSupportOutput(serializers.ModelSerializer):
    method = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(ContactMethod.values)}")
    order = serializers.UUIDField(source="order_id")

    class Meta:
        model = IdvaSupport
        fields = ["id", "order", "contacted_at", "method", "support_accepted", "safety_plan", "notes"]


class ProtectionOrderOutput(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    scheme = serializers.CharField(read_only=True, help_text="dvpo or dapo")
    outcome = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(HearingOutcome.values)}")
    authorised_by_rank = serializers.CharField(read_only=True)
    victim = serializers.UUIDField(source="victim_id")
    subject = serializers.UUIDField(source="subject_id")
    contact = serializers.UUIDField(source="contact_id", allow_null=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    heard_in_time = serializers.BooleanField(read_only=True, allow_null=True)
    breaches = OrderBreachOutput(many=True, read_only=True)

    class Meta:
        model = ProtectionOrder
        fields = [
            "id",
            "reference",
            "scheme",
            "district",
            "contact",
            "victim",
            "subject",
            "authorised_at",
            "authorised_by_name",
            "authorised_by_rank",
            "grounds",
            "notice_conditions",
            "served_at",
            "hearing_due_at",
            "application_made_at",
            "court",
            "hearing_at",
            "heard_in_time",
            "outcome",
            "order_conditions",
            "duration_days",
            "made_on",
            "expires_on",
            "outcome_reason",
            "breaches",
        ]


class DisclosureOutput(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    route = serializers.CharField(read_only=True, help_text="ask or know")
    stage = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(DisclosureStage.values)}")
    decision = serializers.CharField(read_only=True, help_text="disclose, no_disclosure or blank")
    person_at_risk = serializers.UUIDField(source="person_at_risk_id")
    subject = serializers.UUIDField(source="subject_id")
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    within_28_days = serializers.SerializerMethodField()

    class Meta:
        model = DisclosureApplication
        fields = [
            "id",
            "reference",
            "route",
            "district",
            "person_at_risk",
            "subject",
            "applicant_name",
            "applicant_relationship",
            "received_at",
            "due_at",
            "within_28_days",
            "stage",
            "initial_contact_at",
            "checks_completed_at",
            "face_to_face_at",
            "decision_at",
            "decision",
            "decision_reasons",
            "disclosed_to",
            "completed_at",
            "safety_plan",
            "delay_reason",
        ]

    def get_within_28_days(self, obj) -> bool | None:
        """True or False once measurable; null while open and not yet due."""
        return rules.within_window(obj.completed_at, obj.due_at, timezone.now())


class DeploymentOutput(serializers.ModelSerializer):
    contact = serializers.UUIDField(source="contact_id")
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = IdvaDeployment
        fields = [
            "id",
            "contact",
            "contact_reference",
            "district",
            "deployed_at",
            "call_sign",
            "victim_engaged",
            "support_accepted",
            "safety_plan",
            "notes",
        ]


class CjOutcomeOutput(serializers.ModelSerializer):
    contact = serializers.UUIDField(source="contact_id")
    outcome = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(CjOutcome.values)}")

    class Meta:
        model = CriminalJusticeOutcome
        fields = ["id", "contact", "outcome", "outcome_at"]


class ScrutinyCaseOutput(serializers.ModelSerializer):
    sample = serializers.UUIDField(source="sample_id")
    district = serializers.CharField(source="district_code")
    pack = serializers.JSONField(
        help_text="The anonymised case pack: pseudonyms and days relative to the incident"
    )
    themes = serializers.ListField(child=serializers.CharField(), help_text=f"Of: {', '.join(Theme.values)}")

    class Meta:
        model = ScrutinyCase
        fields = [
            "id",
            "sample",
            "number",
            "district",
            "pack",
            "good_practice",
            "areas_for_development",
            "themes",
            "reviewed_at",
        ]


class ScrutinyCaseSummaryOutput(serializers.ModelSerializer):
    district = serializers.CharField(source="district_code")
    contact = serializers.UUIDField(source="contact_id")

    class Meta:
        model = ScrutinyCase
        fields = ["id", "number", "district", "contact", "reviewed_at"]


class ScrutinySampleOutput(serializers.ModelSerializer):
    strata = serializers.JSONField(help_text="Eligible and drawn cases by district; excluded cases by reason")
    cases = ScrutinyCaseSummaryOutput(many=True, read_only=True)

    class Meta:
        model = ScrutinySample
        fields = [
            "id",
            "title",
            "period_start",
            "period_end",
            "seed",
            "size",
            "exclude_live",
            "exclude_reviewed",
            "eligible_count",
            "excluded_count",
            "strata",
            "drawn_at",
            "cases",
        ]


class TimelinessRowOutput(serializers.Serializer):
    district = serializers.CharField()
    month = serializers.CharField(help_text="YYYY-MM")
    received = serializers.IntegerField()
    in_time = serializers.IntegerField(help_text="Completed within 28 days")
    late = serializers.IntegerField(help_text="Completed after 28 days")
    open_overdue = serializers.IntegerField(help_text="Open past 28 days")
    open_in_time = serializers.IntegerField(help_text="Open, not yet due")
    percent_in_time = serializers.FloatField(allow_null=True)
    median_days = serializers.FloatField(allow_null=True)


# --- input -------------------------------------------------------------------------------------------


class OrderCreateInput(serializers.Serializer):
    victim = serializers.UUIDField()
    subject = serializers.UUIDField(help_text="The person given the notice")
    contact = serializers.UUIDField(required=False, allow_null=True, default=None)
    district = serializers.SlugRelatedField(**_DISTRICT)
    scheme = serializers.ChoiceField(
        choices=Scheme.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text="Default: the force's scheme",
    )
    authorised_at = serializers.DateTimeField()
    authorised_by_name = serializers.CharField(max_length=120)
    authorised_by_rank = serializers.ChoiceField(choices=Rank.choices)
    grounds = serializers.CharField()
    notice_conditions = serializers.CharField()
    served_at = serializers.DateTimeField()


class OrderApplicationInput(serializers.Serializer):
    application_made_at = serializers.DateTimeField()
    court = serializers.CharField(max_length=120)


class OrderOutcomeInput(serializers.Serializer):
    hearing_at = serializers.DateTimeField()
    outcome = serializers.ChoiceField(choices=HearingOutcome.choices, help_text="Any outcome but pending")
    order_conditions = serializers.CharField(required=False, allow_blank=True, default="")
    duration_days = serializers.IntegerField(required=False, allow_null=True, default=None)
    outcome_reason = serializers.CharField(required=False, allow_blank=True, default="")


class OrderBreachInput(serializers.Serializer):
    at = serializers.DateTimeField()
    description = serializers.CharField()
    action_taken = serializers.CharField(required=False, allow_blank=True, default="")


class IdvaSupportInput(serializers.Serializer):
    contacted_at = serializers.DateTimeField()
    method = serializers.ChoiceField(choices=ContactMethod.choices)
    support_accepted = serializers.BooleanField(default=False)
    safety_plan = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class DisclosureCreateInput(serializers.Serializer):
    route = serializers.ChoiceField(choices=Route.choices)
    person_at_risk = serializers.UUIDField()
    subject = serializers.UUIDField()
    district = serializers.SlugRelatedField(**_DISTRICT)
    received_at = serializers.DateTimeField()
    applicant_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    applicant_relationship = serializers.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )


class DisclosureStageInput(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=DisclosureStage.choices, help_text="The next stage (never received)"
    )
    at = serializers.DateTimeField()
    decision = serializers.ChoiceField(choices=Decision.choices, required=False, allow_blank=True, default="")
    decision_reasons = serializers.CharField(required=False, allow_blank=True, default="")
    disclosed_to = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    safety_plan = serializers.CharField(required=False, allow_blank=True, default="")
    delay_reason = serializers.CharField(required=False, allow_blank=True, default="")


class DeploymentCreateInput(serializers.Serializer):
    contact_reference = serializers.CharField(max_length=12, help_text="The police reference, C-XXXXXXXX")
    incident_on = serializers.DateField(help_text="The day the contact was received")
    deployed_at = serializers.DateTimeField()
    call_sign = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    victim_engaged = serializers.BooleanField(default=False)
    support_accepted = serializers.BooleanField(default=False)
    safety_plan = serializers.BooleanField(default=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class CjOutcomeInput(serializers.Serializer):
    contact = serializers.UUIDField()
    outcome = serializers.ChoiceField(choices=CjOutcome.choices)
    outcome_at = serializers.DateTimeField()


class SampleCreateInput(serializers.Serializer):
    title = serializers.CharField(max_length=120)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    seed = serializers.IntegerField(min_value=0, max_value=2**31 - 1)
    size = serializers.IntegerField(min_value=1, max_value=500)
    exclude_live = serializers.BooleanField(default=True)
    exclude_reviewed = serializers.BooleanField(default=True)


class CaseFindingsInput(serializers.Serializer):
    good_practice = serializers.CharField(required=False, allow_blank=True, default="")
    areas_for_development = serializers.CharField(required=False, allow_blank=True, default="")
    themes = serializers.ListField(
        child=serializers.ChoiceField(choices=Theme.choices), required=False, default=list
    )


class PeriodInput(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    district = serializers.SlugRelatedField(required=False, allow_null=True, default=None, **_DISTRICT)
    period = serializers.ChoiceField(choices=["month", "quarter"], required=False, default="month")

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": ["The end of the period must be after its start"]})
        return attrs


# --- protection orders -------------------------------------------------------------------------------


def _order(order: ProtectionOrder) -> dict[str, Any]:
    order.refresh_from_db()
    return ProtectionOrderOutput(order).data


class OrderListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=paginated(ProtectionOrderOutput))
    def get(self, request):
        return paginate_listed(self, request, selectors.orders_for(request.user), ProtectionOrderOutput)

    @extend_schema(request=OrderCreateInput, responses={201: ProtectionOrderOutput})
    def post(self, request):
        _require(services.may_record_police(request.user), "Only police officers record protection notices")
        data = OrderCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        victim = _person(request.user, fields.pop("victim"), "victim")
        subject = _person(request.user, fields.pop("subject"), "subject")
        contact_id = fields.pop("contact")
        contact = None
        if contact_id:
            contact = Contact.objects.editable_by(request.user).filter(pk=contact_id).first()
            if contact is None:
                raise serializers.ValidationError({"contact": ["Select a contact your force holds"]})
        order = services.order_create(
            actor=request.user, victim=victim, subject=subject, contact=contact, **fields
        )
        return Response(_order(order), status=status.HTTP_201_CREATED)


class OrderDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=ProtectionOrderOutput)
    def get(self, request, order_id):
        order = load_for(request.user, ProtectionOrder, order_id)  # scoped, audited read
        return Response(_order(order))


class OrderApplicationApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=OrderApplicationInput, responses=ProtectionOrderOutput)
    def post(self, request, order_id):
        order = load_for(request.user, ProtectionOrder, order_id, write=True)
        data = OrderApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.order_application(actor=request.user, order=order, **data.validated_data)
        return Response(_order(order))


class OrderOutcomeApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=OrderOutcomeInput, responses=ProtectionOrderOutput)
    def post(self, request, order_id):
        order = load_for(request.user, ProtectionOrder, order_id, write=True)
        data = OrderOutcomeInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.order_outcome(actor=request.user, order=order, **data.validated_data)
        return Response(_order(order))


class OrderBreachApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=OrderBreachInput, responses={201: OrderBreachOutput})
    def post(self, request, order_id):
        order = load_for(request.user, ProtectionOrder, order_id, write=True)
        data = OrderBreachInput(data=request.data)
        data.is_valid(raise_exception=True)
        breach = services.order_breach_add(actor=request.user, order=order, **data.validated_data)
        return Response(OrderBreachOutput(breach).data, status=status.HTTP_201_CREATED)


class OrderIdvaContactApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=IdvaSupportOutput(many=True))
    def get(self, request, order_id):
        order = load_for(request.user, ProtectionOrder, order_id)  # scoped, audited read
        return Response(IdvaSupportOutput(selectors.support_for(request.user, order), many=True).data)

    @extend_schema(request=IdvaSupportInput, responses={201: IdvaSupportOutput})
    def post(self, request, order_id):
        _require(services.may_record_idva(request.user), "Only IDVAs record victim contact and safety plans")
        order = load_for(request.user, ProtectionOrder, order_id)  # shared with the IDVA service, audited
        data = IdvaSupportInput(data=request.data)
        data.is_valid(raise_exception=True)
        support = services.idva_support_add(actor=request.user, order=order, **data.validated_data)
        return Response(IdvaSupportOutput(support).data, status=status.HTTP_201_CREATED)


# --- Clare's Law ---------------------------------------------------------------------------------------


class DisclosureListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(
        parameters=[OpenApiParameter("open", bool, description="Only cases not yet closed")],
        responses=paginated(DisclosureOutput),
    )
    def get(self, request):
        open_only = request.query_params.get("open") in ("1", "true", "yes")
        return paginate_listed(
            self, request, selectors.disclosures_for(request.user, open_only=open_only), DisclosureOutput
        )

    @extend_schema(request=DisclosureCreateInput, responses={201: DisclosureOutput})
    def post(self, request):
        _require(
            services.may_record_police(request.user), "Only police officers record Clare's Law applications"
        )
        data = DisclosureCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        at_risk = _person(request.user, fields.pop("person_at_risk"), "person_at_risk")
        subject = _person(request.user, fields.pop("subject"), "subject")
        application = services.disclosure_create(
            actor=request.user, person_at_risk=at_risk, subject=subject, **fields
        )
        return Response(DisclosureOutput(application).data, status=status.HTTP_201_CREATED)


class DisclosureDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=DisclosureOutput)
    def get(self, request, application_id):
        application = load_for(request.user, DisclosureApplication, application_id)  # scoped, audited read
        return Response(DisclosureOutput(application).data)


class DisclosureStageApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=DisclosureStageInput, responses=DisclosureOutput)
    def post(self, request, application_id):
        application = load_for(request.user, DisclosureApplication, application_id, write=True)
        data = DisclosureStageInput(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.disclosure_advance(
            actor=request.user, application=application, **data.validated_data
        )
        return Response(DisclosureOutput(updated).data)


class TimelinessApi(APIView):
    permission_classes = [permissions.IsAuthenticated, SeesAggregates]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("end", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("district", str, description="District code"),
        ],
        responses=TimelinessRowOutput(many=True),
    )
    def get(self, request):
        data = PeriodInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        rows = selectors.timeliness(v["start"], v["end"], district=v["district"])
        return Response(TimelinessRowOutput(rows, many=True).data)


# --- IDVA car and outcomes ----------------------------------------------------------------------------


class DeploymentListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=paginated(DeploymentOutput))
    def get(self, request):
        return paginate_listed(self, request, selectors.deployments_for(request.user), DeploymentOutput)

    @extend_schema(request=DeploymentCreateInput, responses={201: DeploymentOutput})
    def post(self, request):
        _require(services.may_record_idva(request.user), "Only IDVAs record IDVA car deployments")
        data = DeploymentCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        deployment = services.deployment_create(actor=request.user, **data.validated_data)
        return Response(DeploymentOutput(deployment).data, status=status.HTTP_201_CREATED)


class DeploymentDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=DeploymentOutput)
    def get(self, request, deployment_id):
        deployment = load_for(request.user, IdvaDeployment, deployment_id)  # scoped, audited read
        return Response(DeploymentOutput(deployment).data)


def _difference(diff: rules.Difference) -> dict[str, Any]:
    return {
        "with_count": diff.with_count,
        "with_total": diff.with_total,
        "without_count": diff.without_count,
        "without_total": diff.without_total,
        "rate_with": diff.rate_with,
        "rate_without": diff.rate_without,
        "difference": diff.difference,
        "ci_low": diff.low,
        "ci_high": diff.high,
        "method": diff.method,
    }


def _group(group: dict[str, Any]) -> dict[str, Any]:
    return {
        "with_total": group["with_total"],
        "without_total": group["without_total"],
        "positive": _difference(group["positive"]),
        "outcomes": [{"outcome": o["code"], **_difference(o["difference"])} for o in group["outcomes"]],
    }


class EvaluationApi(APIView):
    permission_classes = [permissions.IsAuthenticated, SeesAggregates]

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("end", str, required=True, description="YYYY-MM-DD"),
            OpenApiParameter("district", str, description="District code"),
            OpenApiParameter("period", str, description="month or quarter"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        """Criminal-justice outcomes with and without an IDVA car: counts, rates, the difference and
        its 95% confidence interval (Newcombe), overall, by district and by period."""
        data = PeriodInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        result = selectors.evaluation(v["start"], v["end"], district=v["district"], period=v["period"])
        return Response(
            {
                **{
                    k: result[k]
                    for k in (
                        "start",
                        "end",
                        "period",
                        "contacts",
                        "with_outcome",
                        "under_investigation",
                        "no_outcome",
                        "deployments",
                    )
                },
                "positive_outcomes": list(rules.POSITIVE_OUTCOMES),
                "overall": _group(result["overall"]),
                "districts": [{"district": r["district"], **_group(r)} for r in result["districts"]],
                "periods": [{"period": r["period"], **_group(r)} for r in result["periods"]],
            }
        )


class CjOutcomeApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=CjOutcomeInput, responses={201: CjOutcomeOutput})
    def post(self, request):
        _require(
            services.may_record_police(request.user), "Only police officers record criminal-justice outcomes"
        )
        data = CjOutcomeInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        contact = load_for(request.user, Contact, fields.pop("contact"), write=True)
        row = services.cj_outcome_record(actor=request.user, contact=contact, **fields)
        return Response(CjOutcomeOutput(row).data, status=status.HTTP_201_CREATED)


# --- scrutiny panel -------------------------------------------------------------------------------------


class SampleListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=paginated(ScrutinySampleOutput))
    def get(self, request):
        _require(services.may_record_police(request.user), "Only police officers run the scrutiny panel")
        return paginate_listed(self, request, selectors.samples_for(request.user), ScrutinySampleOutput)

    @extend_schema(request=SampleCreateInput, responses={201: ScrutinySampleOutput})
    def post(self, request):
        _require(services.may_record_police(request.user), "Only police officers draw scrutiny samples")
        data = SampleCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        sample = services.sample_draw(actor=request.user, **data.validated_data)
        return Response(ScrutinySampleOutput(sample).data, status=status.HTTP_201_CREATED)


class SampleDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=ScrutinySampleOutput)
    def get(self, request, sample_id):
        sample = load_for(request.user, ScrutinySample, sample_id)  # scoped, audited read
        return Response(ScrutinySampleOutput(sample).data)


class SampleReportApi(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, sample_id):
        """The anonymised findings report of one round (police running the panel)."""
        _require(services.may_record_police(request.user), "Only police officers run the scrutiny panel")
        sample = load_for(request.user, ScrutinySample, sample_id)  # scoped, audited read
        return Response({"title": sample.title, **selectors.findings_report(sample)})


class CaseDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=ScrutinyCaseOutput)
    def get(self, request, case_id):
        case = load_for(request.user, ScrutinyCase, case_id)  # scoped, audited read
        return Response(ScrutinyCaseOutput(case).data)

    @extend_schema(request=CaseFindingsInput, responses=ScrutinyCaseOutput)
    def patch(self, request, case_id):
        case = load_for(request.user, ScrutinyCase, case_id, write=True)
        data = CaseFindingsInput(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.case_findings(actor=request.user, case=case, **data.validated_data)
        return Response(ScrutinyCaseOutput(updated).data)


class FindingsApi(APIView):
    permission_classes = [permissions.IsAuthenticated, SeesAggregates]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """The latest panel rounds' anonymised findings reports (analysts, commissioners, police)."""
        return Response(
            [
                {"title": sample.title, "drawn_at": sample.drawn_at, **selectors.findings_report(sample)}
                for sample in selectors.panel_rounds()
            ]
        )
