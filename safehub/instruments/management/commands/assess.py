"""`safehub assess INSTRUMENT [--version V] --answers FILE.json [--definition FILE.json]`.

Scores answers against a shipped definition (or an exported one) and prints the result as JSON:
instrument, version, score, level, label, computed_level, override_level, triggers, reasons
(and grade, for THRIVE). Touches no database. The answers file:

    {"answers": {"q1": "yes", "q2": "no", ...},
     "professional_judgement": {"level": "high", "reason": "..."}}

Exit status: 0 scored; 1 bad input (unreadable file, unknown question, answer outside the allowed
set, missing mandatory answer, judgement without a reason, invalid definition); 3 professional
judgement refused (lowering the level where the instrument forbids it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.instruments import rules
from safehub.instruments.definitions import INSTRUMENT_IDS, shipped_definition

OVERRIDE_REFUSED = 3
ANSWER_FILE_KEYS = {"answers", "professional_judgement"}


def _read_json(path: str, what: str) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise CommandError(f"Cannot read the {what} file {path}: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise CommandError(f"The {what} file {path} is not valid JSON: {exc}") from exc


def _problems(errors: dict[str, str]) -> str:
    return "\n".join(f"  {field}: {message}" for field, message in errors.items())


class Command(BaseCommand):
    help = (
        "Score answers against a risk instrument without touching the database and print JSON. "
        "Exit status 1: bad input; 3: professional judgement refused."
    )
    requires_system_checks: list = []

    def add_base_argument(self, parser: Any, *args: Any, **kwargs: Any) -> None:
        if "--version" not in args:  # ours selects the instrument version, not Django's
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("instrument", help=f"Instrument id: {', '.join(INSTRUMENT_IDS)}")
        parser.add_argument(
            "--version", type=int, dest="instrument_version", help="Shipped version (default: the latest)"
        )
        parser.add_argument("--answers", required=True, help="JSON file: {answers, professional_judgement}")
        parser.add_argument("--definition", help="Score against this exported definition file instead")

    def handle(self, *args: Any, **options: Any) -> None:
        definition = self._definition(
            options["instrument"], options["instrument_version"], options["definition"]
        )
        answers, judgement = self._answers(options["answers"])
        try:
            result = rules.score(definition, answers, judgement)
        except rules.OverrideError as exc:
            raise CommandError(
                f"Professional judgement refused:\n{_problems(exc.errors)}", returncode=OVERRIDE_REFUSED
            ) from exc
        except rules.AnswerError as exc:
            raise CommandError(
                f"The answers do not fit {definition.id} version {definition.version}:\n"
                + _problems(exc.errors)
            ) from exc
        self.stdout.write(json.dumps(result.as_dict(), indent=2))

    def _definition(self, instrument_id: str, version: int | None, path: str | None) -> rules.Definition:
        if path:
            data = _read_json(path, "definition")
            if isinstance(data, dict) and data.get("id") != instrument_id:
                raise CommandError(f"The definition file is for {data.get('id')!r}, not {instrument_id!r}")
            if isinstance(data, dict) and version is not None and data.get("version") != version:
                raise CommandError(f"The definition file is version {data.get('version')}, not {version}")
        else:
            try:
                data = shipped_definition(instrument_id, version)
            except LookupError as exc:
                raise CommandError(str(exc.args[0])) from exc
        try:
            return rules.parse_definition(data)
        except rules.DefinitionError as exc:
            raise CommandError("The definition does not validate:\n  " + "\n  ".join(exc.problems)) from exc

    def _answers(self, path: str) -> tuple[Any, Any]:
        data = _read_json(path, "answers")
        if not isinstance(data, dict) or "answers" not in data:
            raise CommandError(f'The answers file {path} must be an object with "answers"')
        unknown = sorted(set(data) - ANSWER_FILE_KEYS)
        if unknown:
            raise CommandError(
                f"Unknown key(s) {', '.join(unknown)} in {path}: use answers and professional_judgement"
            )
        return data["answers"], data.get("professional_judgement")
