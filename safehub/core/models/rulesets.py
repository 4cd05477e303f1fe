"""A partnership's own version of a listing ruleset (repeat victim, MARAC, ...), kept as JSON data.

Versions are never changed once made: a new definition is a new version, so every listing can
say which version of the rules put a person on it. `safehub.core.rulesets` reads and writes them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from safehub.core.models.organisations import Force


class RulesetVersion(models.Model):
    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="ruleset_versions")
    ruleset_id = models.SlugField(max_length=60, help_text="The ruleset this replaces, e.g. repeat-victim")
    version = models.PositiveIntegerField()
    definition = models.JSONField(help_text="The ruleset as data: see docs/rules.md")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    effective_from = models.DateField(help_text="The first day this version applies")
    notes = models.TextField(blank=True, help_text="Why the partnership changed the rules, and who agreed it")

    class Meta:
        ordering = ["ruleset_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["force", "ruleset_id", "version"], name="rulesetversion_unique"),
            models.CheckConstraint(condition=models.Q(version__gt=0), name="rulesetversion_version_positive"),
        ]
        indexes = [
            # ruleset_for: the latest version in effect for one force and ruleset.
            models.Index(
                fields=["force", "ruleset_id", "-effective_from", "-version"], name="rulesetversion_effective"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ruleset_id} v{self.version} ({self.force})"

    def clean(self) -> None:
        from safehub.core.rules import RulesetError, ruleset_from_dict

        try:
            ruleset = ruleset_from_dict(self.definition)
        except RulesetError as exc:
            raise ValidationError({"definition": exc.problems}) from None
        if self.ruleset_id and ruleset.id != self.ruleset_id:
            raise ValidationError(
                {"definition": f"The definition's id is {ruleset.id!r}, not {self.ruleset_id!r}"}
            )
