"""People who use Safehub: each belongs to one agency and holds one or more roles."""

import uuid
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from safehub.core.models.organisations import Agency, District, Team
from safehub.core.roles import AGGREGATE_ROLES, DISTRICT_WIDE_ROLES, PERSON_LEVEL_ROLES, Role


class User(AbstractUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="users")
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text="Home district; district-wide roles (MASH) see that district's records",
    )
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    job_title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def has_person_level_access(self) -> bool:
        """True when the user may see person-level records at all (before scoping)."""
        return self.is_active and self.agency_id is not None and bool(self.role_codes & PERSON_LEVEL_ROLES)

    @property
    def district_wide_roles(self) -> frozenset[str]:
        return self.role_codes & DISTRICT_WIDE_ROLES

    @property
    def is_aggregate_only(self) -> bool:
        return bool(self.role_codes & AGGREGATE_ROLES) and not self.has_person_level_access

    def clean(self) -> None:
        super().clean()
        agency = self.agency if self.agency_id else None
        if (
            agency is not None
            and self.district_id
            and not agency.districts.filter(pk=self.district_id).exists()
        ):
            raise ValidationError({"district": "Select a district the user's agency serves"})


class RoleGrant(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=40, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="rolegrant_unique_user_role")]
        ordering = ["role"]

    def __str__(self) -> str:
        return self.get_role_display()

    def clean(self) -> None:
        if self.role in DISTRICT_WIDE_ROLES and not self.user.district_id:
            raise ValidationError({"role": "A district-wide role needs the user to have a home district"})
