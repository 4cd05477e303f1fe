"""Recommendations fixtures: the Leeds partnership manager, owners in the police and Leeds
children's social care, and a helper that records one recommendation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.recommendations import services
from safehub.recommendations.models import SourceKind


@pytest.fixture
def manager(agencies, districts):
    return UserFactory(
        username="partnership",
        agency=agencies["leeds_csc"],
        district=districts["leeds"],
        roles=[Role.PARTNERSHIP_MANAGER],
    )


@pytest.fixture
def record(manager):
    def _record(
        owner, *, due_in: int = 30, kind: str = SourceKind.HMICFRS, reference: str = "PEEL AFI 1", **extra
    ):
        return services.recommendation_create(
            actor=manager,
            source_kind=kind,
            source_reference=reference,
            text=extra.pop("text", "Improve the recording of the voice of the child."),
            owning_agency=owner.agency,
            owner=owner,
            due_on=timezone.localdate() + timedelta(days=due_in),
            **extra,
        )

    return _record
