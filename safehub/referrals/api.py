"""MASH referrals API: make, list and read referrals; triage, assign, decide, approve; information
requests and their answers.

Errors are 400s naming the field with nothing stored; out-of-scope ids are 404 (and so is an
information request not sent to the caller's agency); aggregate roles get 403; a write made on a
stale version gets 409 with the current referral.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.core import audit
from safehub.core.access import load_for
from safehub.core.api import paginate_listed, paginated
from safehub.core.models import Agency, AuditAction, ConsentStatus, District, LawfulBasis, User
from safehub.core.models.sharing import SpecialCategoryCondition
from safehub.people.api import HasPersonLevelAccess, PersonCreateInput
from safehub.people.models import Person
from safehub.referrals import presenters, selectors, services
from safehub.referrals.models import (
    ChildSeen,
    ConcernCategory,
    Decision,
    InformationRequest,
    Outcome,
    Rag,
    Referral,
    SeenAlone,
    Source,
    Status,
)
from safehub.referrals.services import StaleReferral

# --- output ------------------------------------------------------------------------------------


class SubjectOutput(serializers.Serializer):
    person = serializers.UUIDField(source="person_id")
    name = serializers.CharField(source="person.full_name")
    date_of_birth = serializers.DateField(source="person.date_of_birth")
    is_child = serializers.BooleanField()


class DecisionOutput(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.username")
    approved_by = serializers.CharField(source="approved_by.username", allow_null=True, default=None)

    class Meta:
        model = Decision
        fields = [
            "id",
            "outcome",
            "rationale",
            "feedback_text",
            "decided_by",
            "decided_at",
            "approval_required",
            "approval_status",
            "approved_by",
            "approved_at",
            "approval_note",
        ]


class InformationRequestOutput(serializers.ModelSerializer):
    referral = serializers.UUIDField(source="referral_id")
    reference = serializers.CharField(source="referral.reference")
    to_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    person = serializers.UUIDField(source="person_id", allow_null=True)
    person_name = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text="sent or answered")

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "referral",
            "reference",
            "to_agency",
            "person",
            "person_name",
            "question",
            "purpose",
            "lawful_basis",
            "condition",
            "due_at",
            "requested_at",
            "status",
            "answer",
            "answered_at",
        ]

    def get_person_name(self, obj) -> str:
        return obj.person.full_name if obj.person_id else ""


class ReferralSummaryOutput(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owning_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    referring_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    breached = serializers.BooleanField(source="is_breached", read_only=True)
    countdown = serializers.SerializerMethodField()
    status = serializers.CharField(read_only=True, help_text=f"One of: {', '.join(Status.values)}")

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "version",
            "received_at",
            "source",
            "district",
            "owning_agency",
            "referring_agency",
            "categories",
            "rag",
            "escalated",
            "status",
            "due_at",
            "decision_due_at",
            "breached",
            "countdown",
        ]

    def get_countdown(self, obj) -> str:
        return presenters.countdown(obj.due_at or obj.decision_due_at)


class ReferralOutput(ReferralSummaryOutput):
    subjects = SubjectOutput(many=True, read_only=True)
    assigned_to = serializers.CharField(source="assigned_to.username", allow_null=True, default=None)
    information_requests = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()
    feedback = serializers.SerializerMethodField()

    class Meta(ReferralSummaryOutput.Meta):
        fields = [
            *ReferralSummaryOutput.Meta.fields,
            "what_happened",
            "risks",
            "strengths",
            "consent_status",
            "consent_note",
            "lawful_basis",
            "condition",
            "child_seen",
            "seen_alone",
            "wishes_and_feelings",
            "rag_reason",
            "escalation_reason",
            "triaged_at",
            "assigned_to",
            "ppn_id",
            "subjects",
            "information_requests",
            "decisions",
            "feedback",
        ]

    def _sees(self, obj) -> bool:
        return services.sees_answers(self.context.get("user"), obj)

    def get_information_requests(self, obj) -> list[dict[str, Any]]:
        if not self._sees(obj):
            return []
        rows = selectors.information_requests_for(self.context["user"]).filter(referral=obj)
        return InformationRequestOutput(rows.order_by("requested_at"), many=True).data

    def get_decisions(self, obj) -> list[dict[str, Any]]:
        if not self._sees(obj):
            return []
        return DecisionOutput(obj.decisions.select_related("decided_by", "approved_by"), many=True).data

    def get_feedback(self, obj) -> dict[str, Any] | None:
        return presenters.feedback_for(obj)


def _detail(referral: Referral, user: Any) -> dict[str, Any]:
    referral.refresh_from_db()
    return ReferralOutput(referral, context={"user": user}).data


def _conflict(exc: StaleReferral, user: Any) -> Response:
    return Response(
        {"detail": exc.messages[0], "current": ReferralOutput(exc.current, context={"user": user}).data},
        status=status.HTTP_409_CONFLICT,
    )


# --- input -------------------------------------------------------------------------------------


class NewSubjectPersonInput(PersonCreateInput):
    class Meta(PersonCreateInput.Meta):
        fields = [name for name in PersonCreateInput.Meta.fields if name != "identifiers"]


class SubjectInput(serializers.Serializer):
    person = serializers.UUIDField(
        required=False, help_text="A person found by search (GET /api/v1/people/?q=)"
    )
    new_person = NewSubjectPersonInput(required=False, help_text="A person not in the index")
    is_child = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate(self, data):
        if ("person" in data) == ("new_person" in data):
            raise serializers.ValidationError({"person": ["Give either person (a record id) or new_person"]})
        return data


class ReferralCreateInput(serializers.Serializer):
    district = serializers.SlugRelatedField(
        slug_field="code",
        queryset=District.objects.all(),
        error_messages={"does_not_exist": "Unknown district {value}: use a district code such as leeds"},
    )
    source = serializers.ChoiceField(choices=Source.choices, required=False)
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=ConcernCategory.choices),
        allow_empty=False,
        error_messages={"empty": "Select at least one concern category"},
    )
    what_happened = serializers.CharField()
    risks = serializers.CharField(required=False, allow_blank=True, default="")
    strengths = serializers.CharField(required=False, allow_blank=True, default="")
    consent_status = serializers.ChoiceField(choices=ConsentStatus.choices)
    consent_note = serializers.CharField(required=False, allow_blank=True, default="")
    lawful_basis = serializers.ChoiceField(choices=LawfulBasis.choices)
    condition = serializers.ChoiceField(choices=SpecialCategoryCondition.choices, required=False, default="")
    child_seen = serializers.ChoiceField(
        choices=ChildSeen.choices, required=False, default=ChildSeen.NOT_APPLICABLE
    )
    seen_alone = serializers.ChoiceField(choices=SeenAlone.choices, required=False, default="")
    wishes_and_feelings = serializers.CharField(required=False, allow_blank=True, default="")
    subjects = SubjectInput(
        many=True,
        allow_empty=False,
        error_messages={"empty": "Add at least one person the referral is about"},
    )


class VersionInput(serializers.Serializer):
    version = serializers.IntegerField(help_text="The referral's version when you loaded it")


class TriageInput(VersionInput):
    rag = serializers.ChoiceField(choices=Rag.choices)
    reason = serializers.CharField()


class AssignInput(VersionInput):
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        error_messages={"does_not_exist": "Unknown user {value}"},
    )


class DecisionInput(VersionInput):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    rationale = serializers.CharField()
    feedback_text = serializers.CharField(required=False, allow_blank=True, default="")


class ApprovalInput(VersionInput):
    approve = serializers.BooleanField(default=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InformationRequestInput(serializers.Serializer):
    referral = serializers.UUIDField()
    to_agency = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Agency.objects.all(),
        error_messages={"does_not_exist": "Unknown agency {value}"},
    )
    person = serializers.UUIDField(required=False, allow_null=True)
    question = serializers.CharField()
    purpose = serializers.CharField()
    lawful_basis = serializers.ChoiceField(choices=LawfulBasis.choices)
    condition = serializers.ChoiceField(choices=SpecialCategoryCondition.choices, required=False, default="")
    due_at = serializers.DateTimeField()
    version = serializers.IntegerField(required=False, allow_null=True)


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField()


# --- endpoints ---------------------------------------------------------------------------------


class ReferralListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(
        parameters=[
            OpenApiParameter("district", str, description="District code"),
            OpenApiParameter("rag", str, description="red, amber or green"),
            OpenApiParameter("status", str, description="Referral status"),
        ],
        responses=paginated(ReferralSummaryOutput),
    )
    def get(self, request):
        params = request.query_params
        district = None
        if params.get("district"):
            district = District.objects.filter(code=params["district"]).first()
            if district is None:
                raise serializers.ValidationError({"district": [f"Unknown district {params['district']}"]})
        if params.get("rag") and params["rag"] not in Rag.values:
            raise serializers.ValidationError({"rag": ["Use red, amber or green"]})
        if params.get("status") and params["status"] not in Status.values:
            raise serializers.ValidationError({"status": [f"Use one of {', '.join(Status.values)}"]})
        referrals = selectors.referral_list_for(
            request.user, district=district, rag=params.get("rag", ""), status=params.get("status", "")
        )
        return paginate_listed(self, request, referrals, ReferralSummaryOutput)

    @extend_schema(request=ReferralCreateInput, responses={201: ReferralOutput})
    def post(self, request):
        data = ReferralCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        subjects = []
        for index, item in enumerate(fields.pop("subjects")):
            entry: dict[str, Any] = {"is_child": item.get("is_child")}
            if "person" in item:
                person = Person.objects.visible_to(request.user).filter(pk=item["person"]).first()
                if person is None:
                    raise serializers.ValidationError(
                        {f"subjects[{index}].person": ["Select a person you can see"]}
                    )
                entry["person"] = person
            else:
                entry["new_person"] = dict(item["new_person"])
            subjects.append(entry)
        referral = services.referral_create(actor=request.user, subjects=subjects, **fields)
        return Response(_detail(referral, request.user), status=status.HTTP_201_CREATED)


class ReferralDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=ReferralOutput)
    def get(self, request, referral_id):
        referral = load_for(request.user, Referral, referral_id)  # scoped, audited read
        return Response(_detail(referral, request.user))


class ReferralActionApi(APIView):
    """A MASH action on one referral: 404 out of scope, 403 read-only or not the MASH, 409 stale."""

    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]
    input_class: type[serializers.Serializer] = VersionInput
    manager = False

    def act(self, request, referral: Referral, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def post(self, request, referral_id):
        referral = load_for(request.user, Referral, referral_id, write=True)
        allowed = services.is_manager_for if self.manager else services.is_mash_for
        if not allowed(request.user, referral):
            raise DrfPermissionDenied("Only the district MASH can do this")
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            self.act(request, referral, dict(data.validated_data))
        except StaleReferral as exc:
            return _conflict(exc, request.user)
        return Response(_detail(referral, request.user))


class ReferralTriageApi(ReferralActionApi):
    input_class = TriageInput

    @extend_schema(request=TriageInput, responses={200: ReferralOutput})
    def post(self, request, referral_id):
        return super().post(request, referral_id)

    def act(self, request, referral, data):
        return services.referral_triage(
            actor=request.user,
            referral=referral,
            expected_version=data["version"],
            rag=data["rag"],
            reason=data["reason"],
        )


class ReferralAssignApi(ReferralActionApi):
    input_class = AssignInput

    @extend_schema(request=AssignInput, responses={200: ReferralOutput})
    def post(self, request, referral_id):
        return super().post(request, referral_id)

    def act(self, request, referral, data):
        return services.referral_assign(
            actor=request.user, referral=referral, expected_version=data["version"], assignee=data["assignee"]
        )


class ReferralDecisionApi(ReferralActionApi):
    input_class = DecisionInput

    @extend_schema(request=DecisionInput, responses={200: ReferralOutput})
    def post(self, request, referral_id):
        return super().post(request, referral_id)

    def act(self, request, referral, data):
        return services.decision_record(
            actor=request.user,
            referral=referral,
            expected_version=data["version"],
            outcome=data["outcome"],
            rationale=data["rationale"],
            feedback_text=data.get("feedback_text", ""),
        )


class ReferralApproveApi(ReferralActionApi):
    input_class = ApprovalInput
    manager = True

    @extend_schema(request=ApprovalInput, responses={200: ReferralOutput})
    def post(self, request, referral_id):
        return super().post(request, referral_id)

    def act(self, request, referral, data):
        return services.decision_approve(
            actor=request.user,
            referral=referral,
            expected_version=data["version"],
            approve=data["approve"],
            note=data.get("note", ""),
        )


class InformationRequestListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=paginated(InformationRequestOutput))
    def get(self, request):
        rows = selectors.information_requests_for(request.user).order_by("-requested_at")
        return paginate_listed(self, request, rows, InformationRequestOutput)

    @extend_schema(request=InformationRequestInput, responses={201: InformationRequestOutput})
    def post(self, request):
        data = InformationRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        referral = load_for(request.user, Referral, fields.pop("referral"), write=True)
        if not services.is_mash_for(request.user, referral):
            raise DrfPermissionDenied("Only the district MASH can ask partner agencies")
        person_id = fields.pop("person", None)
        person = None
        if person_id:
            subject = referral.subjects.select_related("person").filter(person_id=person_id).first()
            if subject is None:
                raise serializers.ValidationError({"person": ["Select a person the referral is about"]})
            person = subject.person
        try:
            created = services.information_request_create(
                actor=request.user,
                referral=referral,
                person=person,
                expected_version=fields.pop("version", None),
                **fields,
            )
        except StaleReferral as exc:
            return _conflict(exc, request.user)
        return Response(InformationRequestOutput(created).data, status=status.HTTP_201_CREATED)


class InformationRequestRespondApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=AnswerInput, responses={200: InformationRequestOutput})
    def post(self, request, request_id):
        info = selectors.information_request_to_answer(request.user, request_id)  # 404 unless sent to us
        data = AnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        answered = services.information_request_answer(
            actor=request.user, request=info, answer=data.validated_data["answer"]
        )
        audit.record(request.user, AuditAction.READ, answered, person_id=answered.person_id)
        return Response(InformationRequestOutput(answered).data)
