"""Schemathesis against the API's own OpenAPI schema, in CI: a few cases per operation.

Every operation in the schema (so a new endpoint is fuzzed the day it is added) gets one valid and
one invalid generated request, and the same again with the ids of real Leeds records in the path,
as the MASH practitioner on the small demo world: no 5xx, and every documented response matches
the schema. Derandomized: the same cases every run. The long run (10,000+ cases, every persona
kind) is `bench/fuzz/run`, its results in bench/fuzz/RESULTS.md.

Known schema defects (see `fuzzing.known_defect`) are counted apart and listed in the test's
output; any other failure fails the test with the curl command that reproduces it.
"""

from __future__ import annotations

import io
import warnings

import pytest

from safehub.core.models import User
from tests.security import fuzzing
from tests.security.worlds import load_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_world(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("SAFEHUB_DEMO_PASSWORD", raising=False)
    failed = load_world("small", write=io.StringIO().write)
    if failed:
        warnings.warn(f"Fuzzed without the demo data of: {failed}", stacklevel=1)
    return failed


def test_every_operation_is_fuzzed():
    schema = fuzzing.load_schema()
    labels = fuzzing.operation_labels(schema)
    assert len(labels) > 50
    assert "POST /api/v1/referrals/{referral_id}/decision/" in labels
    assert set(fuzzing.SKIPPED) <= set(labels), "a skipped operation is no longer in the schema"


def test_api_fuzz_no_server_errors_and_responses_match_schema(small_world, capsys):
    schema = fuzzing.load_schema()
    mash = User.objects.get(username="mash")
    report = fuzzing.fuzz(
        schema, token=fuzzing.token_for(mash), persona="mash", examples_per_operation=2, rollback=True
    )
    assert report.cases > 200
    statuses = report.statuses()
    assert not [s for s in statuses if s >= 500], statuses
    # The cases reach past the door: some are accepted, some refused as bad input.
    assert statuses.get(200, 0) > 20 and statuses.get(400, 0) > 20, statuses
    with capsys.disabled():
        for defect, operations in sorted(report.known().items()):
            print(f"\nknown defect {defect}: {len(operations)} operation(s)")
    assert not report.failures, f"{len(report.failures)} failure(s):\n\n" + "\n\n".join(report.failures)
