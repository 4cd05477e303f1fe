"""Fixtures for the instruments tests, on top of the standard cast in the root conftest."""

from __future__ import annotations

import copy

import pytest

from safehub.core.roles import Role
from safehub.core.tests.factories import UserFactory
from safehub.instruments import services
from safehub.instruments.definitions import shipped_definition

from .helpers import dash_answers


@pytest.fixture
def admin_user(agencies):
    return UserFactory(username="admin", agency=agencies["police"], roles=[Role.ADMIN], is_staff=True)


@pytest.fixture
def client_as(client):
    def _as(user):
        client.force_login(user)
        return client

    return _as


@pytest.fixture
def assess():
    """Make an assessment through the service: assess(actor, person, "dash", answers, **kw)."""

    def _assess(actor, person, instrument_id="dash", answers=None, **kwargs):
        return services.assessment_create(
            actor=actor,
            person=person,
            instrument_id=instrument_id,
            answers=dash_answers(3) if answers is None else answers,
            **kwargs,
        )

    return _assess


@pytest.fixture
def dash_v2(admin_user):
    """DASH version 2, made current: high from 12 yes (a locally changed threshold)."""
    data = copy.deepcopy(shipped_definition("dash", 1))
    data["scoring"]["bands"][1]["min_score"] = 8
    data["scoring"]["bands"][2]["min_score"] = 12
    data["triggers"][0]["when"] = {"score__gte": 12}
    data["override"]["no_lower_at_or_above_score"] = 12
    return services.instrument_version_create(actor=admin_user, instrument_id="dash", definition=data)
