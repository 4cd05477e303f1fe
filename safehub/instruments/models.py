"""Risk instruments, their versions (definitions as data) and the assessments made with them.

`Instrument` and `InstrumentVersion` are reference data: no person-level content. An
`Assessment` is in a person's file, so it follows the person's scope (ScopedChildModel, scope
label "people.person", ADR 0003): whoever can see the person sees their assessments, through the
same owner, district, share and break-glass routes, and a share of the person opens them too.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.db import models
from django.utils import timezone

from safehub.core.models import Agency
from safehub.core.models.base import ScopedChildModel
from safehub.instruments import rules
from safehub.people.models import Person


class Instrument(models.Model):
    id = models.SlugField(primary_key=True, max_length=40)
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class InstrumentVersion(models.Model):
    """One version of an instrument's definition. Versions are never changed once saved."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    definition = models.JSONField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by_label = models.CharField(max_length=150, blank=True, help_text="The user or job")
    created_at = models.DateTimeField(default=timezone.now)
    is_current = models.BooleanField(default=False)

    class Meta:
        ordering = ["instrument_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "version"], name="instrument_version_unique"),
            # Only one current version per instrument (the one new assessments use).
            models.UniqueConstraint(
                fields=["instrument"], condition=models.Q(is_current=True), name="instrument_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} v{self.version}"

    @cached_property
    def parsed(self) -> rules.Definition:
        return rules.parse_definition(self.definition)


class Assessment(ScopedChildModel):
    """One completed instrument for one person: answers, the computed result and any override.

    The version is kept for ever (PROTECT): an old assessment keeps the version it was scored with.
    """

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    instrument_version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(default=dict)
    score = models.IntegerField()
    computed_level = models.SlugField(max_length=30)
    level = models.SlugField(max_length=30, help_text="The final level (after any professional judgement)")
    triggers = models.JSONField(default=list, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    override_level = models.SlugField(max_length=30, blank=True)
    override_reason = models.TextField(blank=True, max_length=rules.REASON_MAX_LENGTH)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessor_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)
    # The record that prompted the assessment (a contact, a missing episode...), named without
    # importing its app: "<app_label>.<model_name>" and its primary key.
    context_type = models.CharField(max_length=80, blank=True)
    context_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-assessed_at"]
        indexes = [
            # A person's assessments, newest first; and later high-risk assessments (calibration).
            models.Index(fields=["person", "-assessed_at"], name="assessment_person_at"),
            # Calibration: the assessments made with one version, oldest first.
            models.Index(fields=["instrument_version", "assessed_at"], name="assessment_version_at"),
            # What a record prompted (contacts.selectors.assessment_rows: a contact's DASH).
            models.Index(fields=["context_type", "context_id"], name="assessment_context"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_version} {self.level}"

    @property
    def instrument_id(self) -> str:
        return self.instrument_version.instrument_id

    @property
    def version(self) -> int:
        return self.instrument_version.version
