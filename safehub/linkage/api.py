"""Person matching API: candidate search, partner extracts, the review queue, merges, known-to.

Errors are 400s naming the field with nothing stored; out-of-scope ids are 404; aggregate roles
get 403 on every endpoint here; a caller who may read but not change a record gets 403 on write.
"""

from __future__ import annotations

import base64
import binascii

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.core.access import load_for
from safehub.core.api import paginate_listed, paginated
from safehub.core.models import District
from safehub.linkage import rules, selectors, services
from safehub.linkage.models import ExtractRecord, MatchReview, Merge, PartnerExtract, PartnerKind
from safehub.people.api import HasPersonLevelAccess
from safehub.people.models import Person


class IsMash(permissions.BasePermission):
    message = "Only the MASH can do this"

    def has_permission(self, request, view):
        return rules.can_link(request.user)


# --- match ---------------------------------------------------------------------------------------


class LinkageMatchQueryInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    surname = serializers.CharField(max_length=100)
    dob = serializers.DateField(required=False, allow_null=True)
    postcode = serializers.CharField(max_length=10, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    city = serializers.CharField(max_length=80, required=False, allow_blank=True)
    identifier = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text="NHS number or other"
    )
    sex = serializers.ChoiceField(choices=["female", "male"], required=False, allow_blank=True)
    email = serializers.CharField(max_length=200, required=False, allow_blank=True)


class LinkageFieldEvidenceOutput(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    level = serializers.CharField(help_text="How the two values compare")
    weight = serializers.FloatField(
        help_text="Match weight (log2 Bayes factor): above 0 for, below 0 against"
    )


class LinkageCandidateOutput(serializers.Serializer):
    person = serializers.UUIDField()
    name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    district = serializers.CharField()
    owning_agency = serializers.CharField()
    probability = serializers.FloatField()
    match_weight = serializers.FloatField()
    explanation = LinkageFieldEvidenceOutput(many=True)


class LinkageMatchOutput(serializers.Serializer):
    model_version = serializers.CharField()
    candidates = LinkageCandidateOutput(many=True)
    held_elsewhere = serializers.IntegerField(help_text="Possible matches held by agencies you cannot see")
    ask_mash_tokens = serializers.ListField(
        child=serializers.CharField(), help_text="POST one to linkage/ask-mash/"
    )


_MATCH_PARAMS = [
    OpenApiParameter(name, str, required=name in ("first_name", "surname"))
    for name in ("first_name", "surname", "dob", "postcode", "address", "city", "identifier", "sex", "email")
]


def _match(request, data) -> Response:
    query = LinkageMatchQueryInput(data=data)
    query.is_valid(raise_exception=True)
    found = services.candidate_search(actor=request.user, query=query.validated_data)
    candidates = [
        {
            "person": person.pk,
            "name": person.full_name,
            "date_of_birth": person.date_of_birth,
            "district": person.district.code,
            "owning_agency": person.owning_agency.code,
            "probability": round(probability, 6),
            "match_weight": round(explanation.match_weight, 3),
            "explanation": [
                {"field": f.field, "label": f.label, "level": f.level, "weight": round(f.weight, 3)}
                for f in explanation.fields
            ],
        }
        for person, probability, explanation in found["visible"]
    ]
    return Response(
        LinkageMatchOutput(
            {
                "model_version": found["model_version"],
                "candidates": candidates,
                "held_elsewhere": len(found["elsewhere"]),
                "ask_mash_tokens": found["elsewhere"],
            }
        ).data
    )


class PersonMatchApi(APIView):
    """Candidates for a person about to be entered. POST keeps names out of URLs and logs; GET is
    kept for the interface the issue named."""

    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(
        parameters=_MATCH_PARAMS,
        responses={200: LinkageMatchOutput},
        deprecated=True,
        description="Deprecated: puts names and dates of birth in the URL, where proxies and logs keep "
        "them. Use POST with the same fields in the body.",
    )
    def get(self, request):
        return _match(request, request.query_params)

    @extend_schema(request=LinkageMatchQueryInput, responses={200: LinkageMatchOutput})
    def post(self, request):
        return _match(request, request.data)


class LinkageAskMashInput(serializers.Serializer):
    token = serializers.CharField(max_length=500)


class LinkageAskMashOutput(serializers.Serializer):
    told = serializers.IntegerField(help_text="How many MASH practitioners were notified")


class AskMashApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(request=LinkageAskMashInput, responses={200: LinkageAskMashOutput})
    def post(self, request):
        data = LinkageAskMashInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response({"told": services.mash_ask(actor=request.user, token=data.validated_data["token"])})


# --- extracts ------------------------------------------------------------------------------------


class LinkageExtractOutput(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owning_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    problems = serializers.ListField(child=serializers.DictField(), help_text="[{row, field, problem}]")
    summary = serializers.DictField(help_text="auto_linked, queued, no_match once linked")

    class Meta:
        model = PartnerExtract
        fields = [
            "id",
            "partner_name",
            "partner_kind",
            "filename",
            "status",
            "district",
            "owning_agency",
            "total_rows",
            "good_rows",
            "processed_rows",
            "problems",
            "summary",
            "model_version",
            "auto_link_threshold",
            "review_threshold",
            "created_at",
            "accepted_at",
            "linked_at",
        ]


class LinkageExtractCreateInput(serializers.Serializer):
    district = serializers.SlugRelatedField(slug_field="code", queryset=District.objects.all())
    partner_name = serializers.CharField(max_length=120)
    partner_kind = serializers.ChoiceField(choices=PartnerKind.choices)
    filename = serializers.CharField(max_length=200)
    content_base64 = serializers.CharField(help_text="The CSV file, base64-encoded")

    def validate_content_base64(self, value):
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise serializers.ValidationError("Send the file base64-encoded") from exc


class ExtractListCreateApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess, IsMash]

    @extend_schema(responses=paginated(LinkageExtractOutput))
    def get(self, request):
        return paginate_listed(self, request, selectors.extract_list(request.user), LinkageExtractOutput)

    @extend_schema(request=LinkageExtractCreateInput, responses={201: LinkageExtractOutput})
    def post(self, request):
        data = LinkageExtractCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        extract = services.extract_check(actor=request.user, content=values.pop("content_base64"), **values)
        return Response(LinkageExtractOutput(extract).data, status=status.HTTP_201_CREATED)


class ExtractDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess, IsMash]

    @extend_schema(responses={200: LinkageExtractOutput})
    def get(self, request, extract_id):
        return Response(LinkageExtractOutput(load_for(request.user, PartnerExtract, extract_id)).data)


class ExtractAcceptApi(APIView):
    """Accept the report: link the good rows (auto-link above the threshold, queue the band).

    A call links for a few seconds, each batch of rows saved as it finishes. While the answer's
    `status` is `linking`, post again to carry on (`processed_rows` of `good_rows` are done);
    it is `linked`, with the `summary`, when every row is."""

    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess, IsMash]

    @extend_schema(request=None, responses={200: LinkageExtractOutput})
    def post(self, request, extract_id):
        extract = load_for(request.user, PartnerExtract, extract_id, write=True)
        extract = services.extract_accept(
            actor=request.user, extract=extract, seconds=rules.LINK_SECONDS_PER_REQUEST
        )
        return Response(LinkageExtractOutput(extract).data)


class ExtractCancelApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess, IsMash]

    @extend_schema(request=None, responses={200: LinkageExtractOutput})
    def post(self, request, extract_id):
        extract = load_for(request.user, PartnerExtract, extract_id, write=True)
        return Response(
            LinkageExtractOutput(services.extract_cancel(actor=request.user, extract=extract)).data
        )


# --- reviews -------------------------------------------------------------------------------------


class LinkageExtractRecordOutput(serializers.ModelSerializer):
    extract = serializers.UUIDField(source="extract_id")

    class Meta:
        model = ExtractRecord
        fields = [
            "id",
            "extract",
            "row_number",
            "partner_reference",
            "first_name",
            "surname",
            "dob",
            "sex",
            "postcode",
            "address",
            "city",
            "email",
            "identifier",
        ]


class LinkageReviewOutput(serializers.ModelSerializer):
    record = LinkageExtractRecordOutput()
    person = serializers.UUIDField(source="person_id")
    explanation = LinkageFieldEvidenceOutput(many=True)

    class Meta:
        model = MatchReview
        fields = ["id", "record", "person", "probability", "explanation", "status", "decided_at"]


class LinkageReviewDecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["confirm", "reject"])


class ReviewListApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess, IsMash]

    @extend_schema(responses=paginated(LinkageReviewOutput))
    def get(self, request):
        return paginate_listed(self, request, selectors.review_queue(request.user), LinkageReviewOutput)


class ReviewDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess, IsMash]

    @extend_schema(responses={200: LinkageReviewOutput})
    def get(self, request, review_id):
        review = load_for(request.user, MatchReview, review_id)
        load_for(request.user, Person, review.person_id)
        return Response(LinkageReviewOutput(review).data)


class ReviewDecisionApi(APIView):
    """Confirm (same person: the record is linked) or reject; decisions are training labels."""

    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess, IsMash]

    @extend_schema(request=LinkageReviewDecisionInput, responses={200: LinkageReviewOutput})
    def post(self, request, review_id):
        review = load_for(request.user, MatchReview, review_id, write=True)
        load_for(request.user, Person, review.person_id, audit_read=False)
        data = LinkageReviewDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        review = services.review_decide(
            actor=request.user, review=review, decision=data.validated_data["decision"]
        )
        return Response(LinkageReviewOutput(review).data)


# --- merges --------------------------------------------------------------------------------------


class LinkageMergeOutput(serializers.ModelSerializer):
    survivor = serializers.UUIDField(source="survivor_id")
    duplicate = serializers.UUIDField(source="duplicate_id")
    moved = serializers.ListField(
        child=serializers.DictField(), help_text="[{model, field, ids}] re-pointed rows"
    )
    kept = serializers.ListField(child=serializers.DictField(), help_text="Rows left on the duplicate")
    undone = serializers.BooleanField(source="is_undone")

    class Meta:
        model = Merge
        fields = [
            "id",
            "survivor",
            "duplicate",
            "reason",
            "moved",
            "kept",
            "created_at",
            "undone",
            "undone_at",
        ]


class LinkageMergeInput(serializers.Serializer):
    duplicate = serializers.UUIDField(help_text="The record merged into this one")
    reason = serializers.CharField(max_length=500)


class PersonMergeApi(APIView):
    """Merge `duplicate` into the person in the URL (the record that stays)."""

    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess, IsMash]

    @extend_schema(request=LinkageMergeInput, responses={201: LinkageMergeOutput})
    def post(self, request, person_id):
        survivor = load_for(request.user, Person, person_id, write=True)
        data = LinkageMergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        duplicate = load_for(request.user, Person, data.validated_data["duplicate"], write=True)
        merge = services.person_merge(
            actor=request.user, survivor=survivor, duplicate=duplicate, reason=data.validated_data["reason"]
        )
        return Response(LinkageMergeOutput(merge).data, status=status.HTTP_201_CREATED)


class MergeUndoApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess, IsMash]

    @extend_schema(request=None, responses={200: LinkageMergeOutput})
    def post(self, request, merge_id):
        merge = load_for(request.user, Merge, merge_id, write=True)
        return Response(LinkageMergeOutput(services.merge_undo(actor=request.user, merge=merge)).data)


# --- known to ------------------------------------------------------------------------------------


class LinkageKnownToOutput(serializers.Serializer):
    agency = serializers.CharField()
    agency_code = serializers.CharField()
    kind = serializers.CharField()
    open_case = serializers.BooleanField()
    contact = serializers.CharField(allow_blank=True)


class KnownToApi(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    @extend_schema(responses=LinkageKnownToOutput(many=True))
    def get(self, request, person_id):
        if not rules.can_ask_known_to(request.user):
            raise DrfPermissionDenied("Only the MASH can ask which agencies know a person")
        person = load_for(request.user, Person, person_id)
        return Response(
            LinkageKnownToOutput(services.known_to(actor=request.user, person=person), many=True).data
        )
