"""Practice reviews API: list and record serious incidents; each step (notification, rapid review,
decision, learning themes, publication); recommendations through the one tracker.

Out-of-scope ids are 404; aggregate roles 403; a reader who is not a partnership manager of the
owning agency gets 403 on a write; bad input is 400 naming the field, with nothing stored."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.core import audit
from safehub.core.access import load_for
from safehub.core.api import paginated
from safehub.core.models import Agency, District, User
from safehub.people.api import HasPersonLevelAccess
from safehub.people.models import Person
from safehub.recommendations import selectors as recommendation_selectors
from safehub.recommendations.api import RecommendationOutput
from safehub.reviews import rules, selectors, services
from safehub.reviews.models import Decision, IncidentKind, LearningTheme, PracticeReview, Stage


class PracticeReviewDeadlineOutput(serializers.Serializer):
    label = serializers.CharField()
    due_at = serializers.DateTimeField()
    overdue = serializers.BooleanField()


class PracticeReviewOutput(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person_id")
    person_name = serializers.CharField(source="person.full_name")
    district = serializers.CharField(source="district.code")
    owning_agency = serializers.CharField(source="owning_agency.code")
    stage = serializers.SerializerMethodField()
    next_deadline = serializers.SerializerMethodField()

    class Meta:
        model = PracticeReview
        fields = [
            "id",
            "reference",
            "person",
            "person_name",
            "district",
            "owning_agency",
            "incident_kind",
            "incident_on",
            "learned_at",
            "notification_due_at",
            "notified_at",
            "panel_reference",
            "rapid_review_due_at",
            "rapid_review_on",
            "decision",
            "decided_on",
            "lcspr_started_on",
            "publication_due_at",
            "sent_to_panel_on",
            "published_on",
            "publication_url",
            "learning_themes",
            "stage",
            "next_deadline",
        ]

    def get_stage(self, obj) -> str:
        return rules.stage(services.facts_of(obj))

    @extend_schema_field(PracticeReviewDeadlineOutput(allow_null=True))
    def get_next_deadline(self, obj):
        deadline = rules.next_deadline(services.facts_of(obj), timezone.now())
        return PracticeReviewDeadlineOutput(deadline).data if deadline else None


class PracticeReviewDetailOutput(PracticeReviewOutput):
    recommendations = serializers.SerializerMethodField()

    class Meta(PracticeReviewOutput.Meta):
        fields = [
            *PracticeReviewOutput.Meta.fields,
            "incident_summary",
            "rapid_review_findings",
            "decision_rationale",
            "recommendations",
        ]

    @extend_schema_field(RecommendationOutput(many=True))
    def get_recommendations(self, obj):
        return RecommendationOutput(recommendation_selectors.for_source(obj), many=True).data


class PracticeReviewCreateInput(serializers.Serializer):
    person = serializers.UUIDField()
    reference = serializers.CharField(max_length=60)
    incident_kind = serializers.ChoiceField(choices=IncidentKind.choices)
    incident_on = serializers.DateField()
    incident_summary = serializers.CharField()
    learned_at = serializers.DateTimeField()


class PracticeReviewNotificationInput(serializers.Serializer):
    notified_at = serializers.DateTimeField()
    panel_reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class PracticeReviewRapidReviewInput(serializers.Serializer):
    held_on = serializers.DateField()
    findings = serializers.CharField()


class PracticeReviewDecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    rationale = serializers.CharField()
    decided_on = serializers.DateField()
    started_on = serializers.DateField(required=False, allow_null=True, default=None)


class PracticeReviewThemesInput(serializers.Serializer):
    themes = serializers.ListField(
        child=serializers.ChoiceField(choices=LearningTheme.choices), allow_empty=True
    )


class PracticeReviewPublicationInput(serializers.Serializer):
    sent_to_panel_on = serializers.DateField()
    published_on = serializers.DateField()
    publication_url = serializers.URLField(required=False, allow_blank=True, default="")


class PracticeReviewRecommendationInput(serializers.Serializer):
    text = serializers.CharField()
    owning_agency = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.all())
    owner = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    due_on = serializers.DateField()
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), required=False, allow_null=True, default=None
    )


class ReviewsApiView(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    def handle_exception(self, exc):
        if isinstance(exc, DjangoPermissionDenied) and str(exc):
            exc = DrfPermissionDenied(str(exc))
        return super().handle_exception(exc)


class ReviewListCreateApi(ReviewsApiView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "stage",
                str,
                description="notification, rapid_review, decision, lcspr, published or closed; or overdue",
            )
        ],
        responses=paginated(PracticeReviewOutput),
    )
    def get(self, request):
        rows = selectors.reviews_visible_to(request.user).order_by("-learned_at")
        wanted = request.query_params.get("stage")
        if wanted and wanted not in [*Stage.values, "overdue"]:
            raise serializers.ValidationError({"stage": [f"Use one of {', '.join(Stage.values)} or overdue"]})
        if wanted == "overdue":
            ids = [
                review.pk for review, deadline in selectors.due_and_overdue(request.user) if deadline.overdue
            ]
            rows = rows.filter(pk__in=ids)
        elif wanted:
            ids = [r.pk for r in rows if rules.stage(services.facts_of(r)) == wanted]
            rows = rows.filter(pk__in=ids)
        paginator = generics.GenericAPIView.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        audit.record_listed(request.user, page)
        return paginator.get_paginated_response(PracticeReviewOutput(page, many=True).data)

    @extend_schema(request=PracticeReviewCreateInput, responses={201: PracticeReviewDetailOutput})
    def post(self, request):
        if not services.may_run_reviews(request.user):
            raise DrfPermissionDenied("Only a safeguarding partnership manager runs practice reviews")
        data = PracticeReviewCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        person = load_for(request.user, Person, fields.pop("person"))
        review = services.review_create(actor=request.user, person=person, **fields)
        return Response(PracticeReviewDetailOutput(review).data, status=status.HTTP_201_CREATED)


class ReviewDetailApi(ReviewsApiView):
    @extend_schema(responses=PracticeReviewDetailOutput)
    def get(self, request, review_id):
        return Response(PracticeReviewDetailOutput(selectors.review_for(request.user, review_id)).data)


def _step_api(input_class, service, doc: str):
    class StepApi(ReviewsApiView):
        @extend_schema(request=input_class, responses=PracticeReviewDetailOutput, description=doc)
        def post(self, request, review_id):
            review = selectors.review_for(request.user, review_id, write=True)
            data = input_class(data=request.data)
            data.is_valid(raise_exception=True)
            updated = service(actor=request.user, review=review, **data.validated_data)
            return Response(PracticeReviewDetailOutput(updated).data)

    return StepApi


ReviewNotificationApi = type(
    "ReviewNotificationApi",
    (
        _step_api(
            PracticeReviewNotificationInput,
            services.review_notify,
            "The notification was sent to the national panel",
        ),
    ),
    {},
)
ReviewRapidReviewApi = type(
    "ReviewRapidReviewApi",
    (_step_api(PracticeReviewRapidReviewInput, services.review_rapid_review, "The rapid review was held"),),
    {},
)
ReviewDecisionApi = type(
    "ReviewDecisionApi",
    (
        _step_api(
            PracticeReviewDecisionInput,
            services.review_decide,
            "The decision on a local review, with its rationale",
        ),
    ),
    {},
)
ReviewThemesApi = type(
    "ReviewThemesApi",
    (
        _step_api(
            PracticeReviewThemesInput, services.review_set_themes, "Replace the review's learning themes"
        ),
    ),
    {},
)
ReviewPublicationApi = type(
    "ReviewPublicationApi",
    (
        _step_api(
            PracticeReviewPublicationInput,
            services.review_publish,
            "The local review was sent to the panel and published",
        ),
    ),
    {},
)


class ReviewRecommendationsApi(ReviewsApiView):
    @extend_schema(responses=RecommendationOutput(many=True))
    def get(self, request, review_id):
        review = selectors.review_for(request.user, review_id)
        return Response(RecommendationOutput(recommendation_selectors.for_source(review), many=True).data)

    @extend_schema(request=PracticeReviewRecommendationInput, responses={201: RecommendationOutput})
    def post(self, request, review_id):
        review = selectors.review_for(request.user, review_id, write=True)
        data = PracticeReviewRecommendationInput(data=request.data)
        data.is_valid(raise_exception=True)
        made = services.review_recommendation_add(actor=request.user, review=review, **data.validated_data)
        return Response(RecommendationOutput(made).data, status=status.HTTP_201_CREATED)
