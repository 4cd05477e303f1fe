"""Recommendations API: list (filters: status view, source kind, owning agency), record (partnership
manager), read one with its notes, add a note with a status. Out-of-scope ids are 404; aggregate
roles 403; bad input is 400 naming the field, with nothing stored."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import PermissionDenied as DrfPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from safehub.core.api import paginated
from safehub.core.models import Agency, District, User
from safehub.people.api import HasPersonLevelAccess
from safehub.recommendations import selectors, services
from safehub.recommendations.models import EvidenceNote, Finding, Recommendation, SourceKind, Status


class RecommendationNoteOutput(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username")
    author_agency = serializers.CharField(source="author_agency.code")

    class Meta:
        model = EvidenceNote
        fields = ["id", "at", "author", "author_agency", "status", "text"]


class RecommendationOutput(serializers.ModelSerializer):
    owning_agency = serializers.CharField(source="owning_agency.code")
    owner = serializers.CharField(source="owner.username")
    district = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Recommendation
        fields = [
            "id",
            "source_kind",
            "source_reference",
            "finding",
            "source_type",
            "source_id",
            "text",
            "district",
            "owning_agency",
            "owner",
            "due_on",
            "status",
            "overdue",
            "closed_at",
            "created_at",
        ]

    def get_district(self, obj) -> str | None:
        return obj.district.code if obj.district_id else None

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class RecommendationDetailOutput(RecommendationOutput):
    notes = RecommendationNoteOutput(many=True, read_only=True)

    class Meta(RecommendationOutput.Meta):
        fields = [*RecommendationOutput.Meta.fields, "notes"]


class RecommendationCreateInput(serializers.Serializer):
    source_kind = serializers.ChoiceField(choices=SourceKind.choices)
    source_reference = serializers.CharField(max_length=200)
    finding = serializers.ChoiceField(choices=Finding.choices, required=False)
    text = serializers.CharField()
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), required=False, allow_null=True
    )
    owning_agency = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.all())
    owner = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.filter(is_active=True))
    due_on = serializers.DateField()


class RecommendationNoteInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    note = serializers.CharField(allow_blank=True)


class RecommendationsApiView(APIView):
    permission_classes = [permissions.IsAuthenticated, HasPersonLevelAccess]

    def handle_exception(self, exc):
        if isinstance(exc, DjangoPermissionDenied) and str(exc):
            exc = DrfPermissionDenied(str(exc))
        return super().handle_exception(exc)


class RecommendationListCreateApi(RecommendationsApiView):
    @extend_schema(
        parameters=[
            OpenApiParameter("view", str, description="open (default), overdue, closed or all"),
            OpenApiParameter("source_kind", str, description="hmicfrs, practice_review, da_scrutiny, ..."),
            OpenApiParameter("owning_agency", str, description="Agency code"),
        ],
        responses=paginated(RecommendationOutput),
    )
    def get(self, request):
        params = request.query_params
        view = params.get("view", "open")
        if view not in selectors.VIEWS:
            raise serializers.ValidationError({"view": ["Use open, overdue, closed or all"]})
        kind = params.get("source_kind", "")
        if kind and kind not in SourceKind.values:
            raise serializers.ValidationError({"source_kind": [f"Use one of {', '.join(SourceKind.values)}"]})
        agency_id = None
        if params.get("owning_agency"):
            agency = Agency.objects.filter(code=params["owning_agency"]).first()
            if agency is None:
                raise serializers.ValidationError({"owning_agency": ["Unknown agency code"]})
            agency_id = agency.pk
        rows = selectors.filtered(
            selectors.recommendations_visible_to(request.user),
            view=view,
            source_kind=kind,
            agency_id=agency_id,
        )
        paginator = generics.GenericAPIView.pagination_class()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(RecommendationOutput(page, many=True).data)

    @extend_schema(request=RecommendationCreateInput, responses={201: RecommendationDetailOutput})
    def post(self, request):
        data = RecommendationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        created = services.recommendation_create(actor=request.user, **data.validated_data)
        return Response(RecommendationDetailOutput(created).data, status=status.HTTP_201_CREATED)


class RecommendationDetailApi(RecommendationsApiView):
    @extend_schema(responses=RecommendationDetailOutput)
    def get(self, request, recommendation_id):
        return Response(
            RecommendationDetailOutput(selectors.recommendation_for(request.user, recommendation_id)).data
        )


class RecommendationNoteApi(RecommendationsApiView):
    @extend_schema(request=RecommendationNoteInput, responses={201: RecommendationDetailOutput})
    def post(self, request, recommendation_id):
        item = selectors.recommendation_for(request.user, recommendation_id, write=True)
        data = RecommendationNoteInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.recommendation_update(actor=request.user, recommendation=item, **data.validated_data)
        item.refresh_from_db()
        return Response(RecommendationDetailOutput(item).data, status=status.HTTP_201_CREATED)
