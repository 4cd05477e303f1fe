"""Modern slavery API: NRM referrals and anonymous Duty to Notify (MS1) reports, their decisions and
outcomes, and the Home Office-shaped statistics.

Out-of-scope ids are 404; aggregate roles get 403 on referrals (and may read the statistics); a
read-only caller changing a referral gets 403. An MS1 naming any identifying field is a 400 naming
that field, with nothing stored.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.core.access import load_for
from safehub.core.api import paginate_listed, paginated
from safehub.core.models import District
from safehub.people.api import HasPersonLevelAccess
from safehub.people.models import Person
from safehub.slavery import rules, selectors, services, views
from safehub.slavery.models import Authority, Consent, Decision, Kind, NrmReferral, Outcome, Sex, Status


class NrmReferralOutput(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    person = serializers.UUIDField(source="person_id", allow_null=True, help_text="Empty on an anonymous MS1")
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owning_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    first_responder = serializers.SlugRelatedField(slug_field="code", read_only=True)
    exploitation_types = serializers.ListField(child=serializers.CharField())
    rg_on_time = serializers.BooleanField(
        read_only=True, allow_null=True, help_text="Decided within the 5 working day target"
    )
    status = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(Status.values)}")
    kind = serializers.CharField(read_only=True, help_text="nrm or dtn")

    class Meta:
        model = NrmReferral
        fields = [
            "id",
            "reference",
            "kind",
            "person",
            "district",
            "owning_agency",
            "first_responder",
            "exploitation_types",
            "county_lines",
            "nationality",
            "sex",
            "age_at_exploitation",
            "age_at_referral",
            "exploitation_in_uk",
            "consent",
            "circumstances",
            "referred_at",
            "authority",
            "status",
            "rg_due_at",
            "rg_decision",
            "rg_decided_at",
            "rg_on_time",
            "recovery_ends_at",
            "cg_decision",
            "cg_decided_at",
            "outcome",
            "outcome_at",
            "outcome_note",
        ]


class NrmReferralCreateInput(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=Kind.choices, help_text="nrm (a referral) or dtn (an anonymous MS1)"
    )
    person = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text="NRM referrals only"
    )
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        error_messages={"does_not_exist": "Unknown district {value}: use a district code such as leeds"},
    )
    exploitation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=rules.EXPLOITATION_TYPES),
        allow_empty=False,
        error_messages={"empty": "Select at least one type of exploitation"},
    )
    county_lines = serializers.BooleanField(default=False)
    nationality = serializers.CharField(max_length=60)
    sex = serializers.ChoiceField(choices=Sex.choices, default=Sex.NOT_KNOWN)
    age_at_exploitation = serializers.IntegerField(required=False, allow_null=True, default=None)
    age_at_referral = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Worked out from the date of birth when empty",
    )
    exploitation_in_uk = serializers.BooleanField(default=True)
    consent = serializers.ChoiceField(
        choices=Consent.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="given for an adult's NRM referral",
    )
    circumstances = serializers.CharField(required=False, allow_blank=True, default="")
    referred_at = serializers.DateTimeField()
    authority = serializers.ChoiceField(
        choices=Authority.choices, required=False, allow_blank=True, default=""
    )

    def validate(self, attrs):
        known = set(self.fields)
        if attrs.get("kind") == Kind.DTN:
            named = [
                name
                for name in rules.IDENTIFYING_FIELDS
                if self.initial_data.get(name) not in (None, "", [], {})
            ]
            if named:
                raise serializers.ValidationError(
                    {
                        name: ["An MS1 Duty to Notify is anonymous: leave out this identifying field"]
                        for name in named
                    }
                )
        unknown = sorted(set(self.initial_data) - known)
        if unknown:
            raise serializers.ValidationError({name: ["Unknown field"] for name in unknown})
        if attrs.get("kind") == Kind.DTN and not attrs.get("consent"):
            attrs["consent"] = Consent.REFUSED
        return attrs


class NrmDecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    decided_at = serializers.DateTimeField()


class ReasonableGroundsInput(NrmDecisionInput):
    authority = serializers.ChoiceField(
        choices=Authority.choices, required=False, allow_blank=True, default=""
    )


class NrmOutcomeInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _out(referral: NrmReferral) -> dict:
    referral.refresh_from_db()
    return NrmReferralOutput(referral).data


class NrmReferralListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, description="nrm or dtn"),
            OpenApiParameter("status", str, description="open (awaiting a decision) or a status"),
            OpenApiParameter("district", str, description="District code"),
        ],
        responses=paginated(NrmReferralOutput),
    )
    def get(self, request):
        params = request.query_params
        if params.get("kind") and params["kind"] not in Kind.values:
            raise serializers.ValidationError({"kind": ["Use nrm or dtn"]})
        if params.get("status") and params["status"] not in ["open", *Status.values]:
            raise serializers.ValidationError({"status": [f"Use open or one of {', '.join(Status.values)}"]})
        district = None
        if params.get("district"):
            district = District.objects.filter(code=params["district"]).first()
            if district is None:
                raise serializers.ValidationError({"district": [f"Unknown district {params['district']}"]})
        referrals = selectors.referrals_for(
            request.user, kind=params.get("kind", ""), status=params.get("status", ""), district=district
        )
        return paginate_listed(self, request, referrals, NrmReferralOutput)

    @extend_schema(request=NrmReferralCreateInput, responses={201: NrmReferralOutput})
    def post(self, request):
        if not services.may_record(request.user):
            raise DrfPermissionDenied(
                "Only first responder organisations refer to the NRM or notify the Home Office"
            )
        data = NrmReferralCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        person_id = fields.pop("person")
        person = None
        if person_id is not None:
            person = Person.objects.visible_to(request.user).filter(pk=person_id).first()
            if person is None:
                raise serializers.ValidationError({"person": ["Select a person you can see"]})
        referral = services.referral_create(actor=request.user, person=person, **fields)
        return Response(_out(referral), status=status.HTTP_201_CREATED)


class NrmReferralDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=NrmReferralOutput)
    def get(self, request, nrm_referral_id):
        referral = load_for(request.user, NrmReferral, nrm_referral_id)  # scoped, audited read
        return Response(_out(referral))


class ReasonableGroundsApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=ReasonableGroundsInput, responses={200: NrmReferralOutput})
    def post(self, request, nrm_referral_id):
        referral = load_for(request.user, NrmReferral, nrm_referral_id, write=True)
        data = ReasonableGroundsInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.reasonable_grounds_record(actor=request.user, referral=referral, **data.validated_data)
        return Response(_out(referral))


class ConclusiveGroundsApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=NrmDecisionInput, responses={200: NrmReferralOutput})
    def post(self, request, nrm_referral_id):
        referral = load_for(request.user, NrmReferral, nrm_referral_id, write=True)
        data = NrmDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.conclusive_grounds_record(actor=request.user, referral=referral, **data.validated_data)
        return Response(_out(referral))


class OutcomeApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=NrmOutcomeInput, responses={200: NrmReferralOutput})
    def post(self, request, nrm_referral_id):
        referral = load_for(request.user, NrmReferral, nrm_referral_id, write=True)
        data = NrmOutcomeInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.outcome_record(actor=request.user, referral=referral, **data.validated_data)
        return Response(_out(referral))


class MaySeeStatistics(permissions.BasePermission):
    message = "Your role does not include the modern slavery statistics"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and views.may_see_statistics(request.user))


_ROW = inline_serializer(
    "NrmStatisticsRow",
    fields={
        "key": serializers.CharField(),
        "label": serializers.CharField(),
        "count": serializers.IntegerField(),
        "percent": serializers.FloatField(allow_null=True),
    },
    many=True,
)


class NrmStatisticsApi(APIView):
    permission_classes = [permissions.IsAuthenticated, MaySeeStatistics]

    @extend_schema(
        parameters=[
            OpenApiParameter("year", int, description="Calendar year referred"),
            OpenApiParameter("district", str, description="District code"),
        ],
        responses=inline_serializer(
            "NrmStatistics",
            fields={
                "nrm_referrals": serializers.IntegerField(),
                "dtn_reports": serializers.IntegerField(),
                "county_lines": serializers.IntegerField(),
                "by_exploitation_type": _ROW,
                "exploitation_mentions": _ROW,
                "by_age_group": _ROW,
                "by_sex": _ROW,
                "by_nationality": _ROW,
                "by_district": _ROW,
                "by_quarter": serializers.ListField(child=serializers.DictField()),
                "decisions": serializers.DictField(),
            },
        ),
    )
    def get(self, request):
        params = request.query_params
        if params.get("year") and not (params["year"].isdigit() and 2009 <= int(params["year"]) <= 2100):
            raise serializers.ValidationError({"year": ["Enter a year from 2009, like 2026"]})
        kwargs, shown = views.statistics_filters(request.user, params)
        if params.get("district") and not shown["district"]:
            raise serializers.ValidationError({"district": [f"Unknown district {params['district']}"]})
        return Response(selectors.statistics(**kwargs))
