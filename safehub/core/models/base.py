"""The base of every person-level record: UUID key, timestamps, owning agency and district.

Its queryset has `visible_to(user)` and `editable_by(user)`; views and API endpoints load these
records only through `safehub.core.access` (a test fails when they do not).
"""

import uuid

from django.db import models

from safehub.core.models.organisations import Agency, District


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        from safehub.core.access import scope_filter

        condition = scope_filter(self.model, user, write=False)
        return self.none() if condition is None else self.filter(condition)

    def editable_by(self, user):
        from safehub.core.access import scope_filter

        condition = scope_filter(self.model, user, write=True)
        return self.none() if condition is None else self.filter(condition)


class ScopedModel(models.Model):
    """A person-level record with an owning agency and district.

    `scope_path` is "" for a record that carries its own owner, or "person__" (etc.) for a record
    whose scope is its parent's. `scope_label` names the model whose shares and break-glass grants
    apply ("people.person" for everything in a person's file).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    owning_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()

    scope_path = ""
    scope_label = ""

    class Meta:
        abstract = True


class ScopedChildModel(models.Model):
    """A record inside a person's file (identifier, address, ...): scoped through its parent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    scope_path = "person__"
    scope_label = "people.person"

    class Meta:
        abstract = True
