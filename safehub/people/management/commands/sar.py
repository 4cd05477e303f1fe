"""`safehub sar PERSON_UUID --output FILE [--format json|html] [--as USERNAME] [--reason TEXT]`.

Builds the subject access export (see people.subject_access) into FILE, never to the terminal or
a log: it is the person's whole file. Prints only counts. Writes one `export` audit event.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string

from safehub.core.models import User
from safehub.people import subject_access
from safehub.people.models import Person


class Command(BaseCommand):
    help = "Build a subject access export of everything held about one person, third-party data flagged."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("person", help="The person's id (a UUID)")
        parser.add_argument("--output", required=True, type=Path, help="A new file for the export")
        parser.add_argument("--format", choices=("json", "html"), default="json")
        parser.add_argument("--as", dest="username", help="The data protection officer making the export")
        parser.add_argument("--reason", default="", help="The request's reference (no personal data)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            person_id = uuid.UUID(options["person"])
        except ValueError as error:
            raise CommandError(f"{options['person']!r} is not a person id (a UUID)") from error
        person = Person._base_manager.filter(pk=person_id).first()
        if person is None:
            raise CommandError(f"No person has the id {person_id}")
        actor: Any = "job:sar"
        if options["username"]:
            actor = User.objects.filter(username=options["username"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user is called {options['username']!r}")
        output: Path = options["output"]
        if output.exists():
            raise CommandError(f"{output} already exists: choose a new file")
        data = subject_access.export_for(person, actor=actor, reason=options["reason"])
        if options["format"] == "json":
            text = json.dumps(data, indent=2, ensure_ascii=False)
        else:
            text = render_to_string("people/subject_access.html", {"export": data})
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        counts = data["counts"]
        self.stdout.write(
            f"Wrote {output}: {counts['records']} record(s), {counts['chronology']} chronology event(s), "
            f"{counts['disclosures']} access event(s); {counts['redaction_review']} item(s) to review "
            "for third-party data before release."
        )
