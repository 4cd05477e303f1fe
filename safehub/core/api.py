"""Core API: token sign-in, the audit trail (auditors only), the caller's notifications."""

from django.conf import settings
from django.contrib.auth import authenticate
from django_otp import devices_for_user
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.plumbing import ResolvedComponent, build_array_type
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from safehub.core import audit, notify, selectors
from safehub.core.models import AuditAction, AuditEvent, Notification
from safehub.core.roles import Role


def paginate_listed(view: APIView, request, rows, serializer_class, *, listed: bool = True, **kwargs):
    """One page of a scoped list as the API's paginated response, with one `listed` audit event per
    record shown (leave `listed` off only for rows that are not person-level records)."""
    paginator = generics.GenericAPIView.pagination_class()
    page = paginator.paginate_queryset(rows, request, view=view)
    if listed:
        audit.record_listed(request.user, page)
    return paginator.get_paginated_response(serializer_class(page, many=True, **kwargs).data)


class PageSerializer(serializers.ListSerializer):
    """One page of a list endpoint's rows (`count`, `next`, `previous`, `results`), as
    `paginate_listed` answers; documented by `PageSchema`."""

    def to_representation(self, data):  # a list serializer of its own, so PageSchema applies
        return super().to_representation(data)


def paginated(serializer_class: type[serializers.Serializer]) -> PageSerializer:
    """The response of a paginated list endpoint, for its schema:
    `@extend_schema(responses=paginated(RowOutput))` on a `get` that answers `paginate_listed`."""
    return PageSerializer(child=serializer_class())


class PageSchema(OpenApiSerializerExtension):
    """A page in the schema: the `Paginated<Row>List` component drf-spectacular gives generic list
    views (the same name, so one component per row serializer), with the operation kept a list."""

    target_class = PageSerializer

    def map_serializer(self, auto_schema, direction):
        child = auto_schema.resolve_serializer(self.target.child, direction)
        paginator = generics.GenericAPIView.pagination_class()
        component = ResolvedComponent(
            name=auto_schema.get_paginated_name(child.name),
            type=ResolvedComponent.SCHEMA,
            schema=paginator.get_paginated_response_schema(build_array_type(child.ref)),
            object=auto_schema.get_serializer_identity(self.target.child, direction),
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, style={"input_type": "password"})
    otp_token = serializers.RegexField(
        r"^\d{6}$", required=False, help_text="Required where TOTP is enforced"
    )


class TokenApi(APIView):
    """Exchange a username and password (and a TOTP code where required) for an API token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=TokenInput,
        responses={200: inline_serializer("TokenOutput", {"token": serializers.CharField()})},
    )
    def post(self, request):
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = authenticate(
            request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None:
            return Response(
                {"detail": "Enter a correct username and password"}, status=status.HTTP_400_BAD_REQUEST
            )
        if settings.REQUIRE_TOTP and not _totp_ok(user, data.validated_data.get("otp_token", "")):
            return Response(
                {"otp_token": ["Enter the current 6-digit code from your authenticator app"]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _ = Token.objects.get_or_create(user=user)
        audit.record(user, AuditAction.TOKEN, user)
        return Response({"token": token.key})


def _totp_ok(user, code: str) -> bool:
    return bool(code) and any(d.verify_token(code) for d in devices_for_user(user, confirmed=True))


class IsAuditor(permissions.BasePermission):
    message = "Only auditors can read the audit trail"

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_role(Role.AUDITOR))


class AuditEventOutput(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor_label",
            "actor_agency_name",
            "action",
            "object_type",
            "object_id",
            "person_id",
            "fields",
            "reason",
            "flagged",
            "request_id",
            "via",
        ]


class AuditEventListApi(generics.ListAPIView):
    serializer_class = AuditEventOutput
    permission_classes = [permissions.IsAuthenticated, IsAuditor]

    @extend_schema(
        parameters=[
            OpenApiParameter("object_id", str, description="A record's id (UUID)"),
            OpenApiParameter("actor", str),
            OpenApiParameter("action", str),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.audit_event_search(
            {key: params.get(key) for key in ("object_id", "actor", "action") if params.get(key)}
        )


class NotificationOutput(serializers.ModelSerializer):
    recipient_agency = serializers.SlugRelatedField(slug_field="code", read_only=True)
    acknowledged_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    is_overdue = serializers.BooleanField(read_only=True)
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "title",
            "body",
            "url",
            "object_type",
            "object_id",
            "recipient_agency",
            "created_at",
            "due_at",
            "ack_required",
            "acknowledged_at",
            "acknowledged_by",
            "escalate_at",
            "escalated_at",
            "is_overdue",
            "status",
        ]


class NotificationListApi(generics.ListAPIView):
    """The caller's notifications (to them, or to their agency for person-level roles), newest first."""

    serializer_class = NotificationOutput
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return notify.notifications_for(self.request.user).select_related(
            "recipient_agency", "acknowledged_by"
        )


class NotificationAcknowledgeApi(APIView):
    """Acknowledge one of the caller's notifications; 404 for any other id, 400 if already acknowledged."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=NotificationOutput)
    def post(self, request, notification_id):
        notification = notify.notification_for(request.user, notification_id)
        notification = notify.acknowledge(notification, actor=request.user)
        return Response(NotificationOutput(notification).data)
