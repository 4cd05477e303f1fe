"""Schema-driven API fuzzing with schemathesis, shared by the CI test and `bench/fuzz/run`.

The schema is the one the API serves (`/api/v1/schema/`, as JSON), loaded through Django's WSGI
application, so an endpoint added tomorrow is fuzzed tomorrow. Every operation gets generated
cases (path, query and body from the schema: both valid and invalid, by hypothesis), sent with a
token of a real persona, and each response is checked for:

- no server error (any 5xx fails, with the curl command to reproduce);
- a response that the schema describes matches it (status codes the schema does not list, like
  404 for an unknown id or 403 for a role, are allowed: they are the access rules, checked by the
  route matrix; their bodies still have to be JSON errors);
- the content type the schema names.

Deterministic: hypothesis is derandomized and keeps no database of examples, so a run is the same
run every time on the same data.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

SCHEMA_PATH = "/api/v1/schema/?format=json"
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
# Operations not fuzzed, with the reason. Keep this short.
SKIPPED: dict[str, str] = {
    # Exchanging a password for a token is throttled (20 a minute) and locks the account out after
    # five failures: fuzzing it would fuzz the lockout. Its own tests cover bad input.
    "POST /api/v1/auth/token/": "throttled and locks accounts out by design",
}


@dataclass
class OperationResult:
    label: str
    cases: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    # Known defects, counted apart from failures (see `known_defect`).
    known: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class FuzzReport:
    persona: str
    operations: list[OperationResult] = field(default_factory=list)

    @property
    def cases(self) -> int:
        return sum(op.cases for op in self.operations)

    @property
    def failures(self) -> list[str]:
        return [f"{op.label}: {failure}" for op in self.operations for failure in op.failures]

    def known(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for op in self.operations:
            for name in op.known:
                found.setdefault(name, []).append(op.label)
        return found

    def statuses(self) -> dict[int, int]:
        total: dict[int, int] = {}
        for op in self.operations:
            for status, count in op.statuses.items():
                total[status] = total.get(status, 0) + count
        return dict(sorted(total.items()))


def known_defect(failure: BaseException) -> str | None:
    """The name of a known, reported defect that a failed check shows, or None (a failure).

    None are known now. The schema defects once tolerated here were fixed at the source, so the
    fuzzer fails if they come back: paginated list endpoints documented as bare arrays (they
    declare their page with `safehub.core.api.paginated`), null fields not documented as nullable
    (`acknowledged_by`, `reported_by_agency`: `allow_null=True`). Name a new one here only with an
    issue open for it, and count it apart rather than hiding it."""
    return None


@contextlib.contextmanager
def connections_kept():
    """As Django's test client does: a request through the WSGI app must not close the database
    connection (inside a test, that connection holds the test's transaction)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def load_schema(app: Any = None) -> Any:
    """The API's OpenAPI schema as schemathesis sees it, served by Django's WSGI app."""
    with connections_kept():
        return schemathesis.openapi.from_wsgi(SCHEMA_PATH, app or WSGIHandler())


def operation_labels(schema: Any) -> list[str]:
    return [result.ok().label for result in schema.get_all_operations()]


def real_path_parameters(path: str) -> dict[str, str] | None:
    """The ids of real Leeds records for the path's parameters (as the route matrix picks them),
    or None when the path has none or one is not a known record."""
    from tests.security.test_route_matrix import VALUES, _leeds_object, _model_for

    names = re.findall(r"{(\w+)}", path)
    if not names:
        return None
    found = {}
    for name in names:
        if name in VALUES:
            found[name] = str(VALUES[name]())
            continue
        label = _model_for(path, name)
        obj = _leeds_object(label) if label else None
        if obj is None:
            return None
        found[name] = str(obj.pk)
    return found


def token_for(user) -> str:
    token, _ = Token.objects.get_or_create(user=user)
    return token.key


def _short(text: str, limit: int = 1500) -> str:
    return text if len(text) <= limit else text[:limit] + " ..."


def fuzz(
    schema: Any,
    *,
    token: str,
    persona: str,
    examples_per_operation: int,
    only: Callable[[str], bool] | None = None,
    modes: Iterable[GenerationMode] = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
    rollback: bool = False,
    progress: Callable[[str], None] | None = None,
) -> FuzzReport:
    """Send generated cases to every operation (or those `only` accepts); collect failures.

    `examples_per_operation` cases mix the generation modes (valid and invalid data), twice as many
    for an operation on a record (half with real ids in the path). With
    `rollback`, each case runs in a transaction rolled back afterwards (the CI test: the small world
    stays as it was for the next operation); without it, writes stay (the long run)."""
    headers = {"Authorization": f"Token {token}"}
    with connections_kept() if rollback else contextlib.nullcontext():
        return _fuzz_all(
            schema, headers, persona, examples_per_operation, only, list(modes), rollback, progress
        )


def _fuzz_all(
    schema, headers, persona, examples_per_operation, only, modes, rollback, progress
) -> FuzzReport:
    report = FuzzReport(persona=persona)
    for result in schema.get_all_operations():
        operation = result.ok()
        label = operation.label
        if label in SKIPPED or (only is not None and not only(label)):
            continue
        outcome = OperationResult(label)
        started = time.monotonic()
        strategies = [operation.as_strategy(generation_mode=mode) for mode in modes]
        real = real_path_parameters(operation.path)
        if real:
            # As many again with the ids of real Leeds records, so bodies reach the code behind the
            # lookup, not only the 404.
            strategies += [
                operation.as_strategy(generation_mode=mode, path_parameters=real) for mode in modes
            ]
        examples = examples_per_operation * (2 if real else 1)
        _fuzz_operation(st.one_of(strategies), examples, headers, outcome, rollback)
        outcome.seconds = time.monotonic() - started
        report.operations.append(outcome)
        if progress is not None:
            progress(
                f"{label}: {outcome.cases} cases, statuses {dict(sorted(outcome.statuses.items()))}, "
                f"{len(outcome.failures)} failures, {outcome.seconds:.1f}s"
            )
    return report


def _fuzz_operation(strategy, examples: int, headers, outcome: OperationResult, rollback: bool) -> None:
    seen_failures: set[str] = set()

    def run_case(case) -> None:
        outcome.cases += 1
        try:
            if rollback:
                with transaction.atomic():
                    response = case.call(headers=headers)
                    transaction.set_rollback(True)
            else:
                response = case.call(headers=headers)
        except Exception as exc:  # noqa: BLE001 - an exception escaping the app is a server error
            key = f"{type(exc).__name__}: {exc}"
            if key not in seen_failures:
                seen_failures.add(key)
                outcome.failures.append(_short(f"the app raised {key}\n{traceback.format_exc(limit=6)}"))
            return
        outcome.statuses[response.status_code] = outcome.statuses.get(response.status_code, 0) + 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - a failed check, reported with its reproduction
            found = list(exc.exceptions) if isinstance(exc, BaseExceptionGroup) else [exc]
            known = [known_defect(failure) for failure in found]
            for name in known:
                if name is not None:
                    outcome.known[name] = outcome.known.get(name, 0) + 1
            if all(known):
                return
            text = "\n".join(
                f"{getattr(failure, 'title', type(failure).__name__)}: {getattr(failure, 'message', failure)}"
                for failure, name in zip(found, known, strict=True)
                if name is None
            )
            first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
            key = f"{response.status_code} {first}"
            if key not in seen_failures:
                seen_failures.add(key)
                curl = case.as_curl_command(headers={"Authorization": "Token [Filtered]"})
                outcome.failures.append(_short(f"[{response.status_code}] {text}\n    {curl}"))

    test = settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )(given(case=strategy)(run_case))
    with contextlib.suppress(Unsatisfiable):  # nothing invalid to generate (no parameters, no body)
        test()


def summary_json(report: FuzzReport) -> str:
    return json.dumps(
        {
            "persona": report.persona,
            "cases": report.cases,
            "failures": report.failures,
            "known_defects": report.known(),
            "statuses": report.statuses(),
        },
        indent=2,
    )
