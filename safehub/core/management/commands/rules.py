"""`safehub rules list` and `safehub rules evaluate RULESET --history FILE.json [--force CODE]`.

The history file is {"as_of": ISO, "events": [{"type": ..., "at": ISO, "ref": ..., ...attrs}]};
every key of an event other than type, at and ref is one of its attrs (score, level, rag, ...).
A date-time with no offset is read as Europe/London time; as_of defaults to now.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from safehub.core.clocks import to_london
from safehub.core.models import Force
from safehub.core.rule_examples import NOT_A_HISTORY, HistoryError, history_from_dict
from safehub.core.rules import DEFAULT_RULESETS, Event, Ruleset, describe, evaluate, ruleset_to_dict
from safehub.core.rulesets import UnknownRuleset, known_ruleset_ids, ruleset_for, rulesets_stored


class Command(BaseCommand):
    help = "List the listing rulesets, or evaluate one against a history of events in a JSON file."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{list,evaluate}")
        listing = actions.add_parser("list", help="Print every ruleset and its rules")
        listing.add_argument("--force", metavar="CODE", help="Show this force's versions")
        listing.add_argument("--json", action="store_true", help="Print the definitions as JSON")
        run = actions.add_parser("evaluate", help="Print which rules a history of events meets, as JSON")
        run.add_argument("ruleset", help="A ruleset id such as repeat-victim (see `safehub rules list`)")
        run.add_argument("--history", required=True, metavar="FILE.json", help="The events, as JSON")
        run.add_argument("--force", metavar="CODE", help="Use this force's version of the ruleset")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            self.list_rulesets(options.get("force"), bool(options.get("json")))
        else:
            self.evaluate(options["ruleset"], options["history"], options.get("force"))

    def evaluate(self, ruleset_id: str, history_path: str, force: str | None) -> None:
        as_of, events = read_history(history_path)
        ruleset = self.load(ruleset_id, force, as_of)
        fired = evaluate(ruleset, events, as_of)
        result = {
            "ruleset": ruleset.id,
            "version": ruleset.version,
            "as_of": as_of.isoformat(),
            "fired": [
                {
                    "rule": item.rule_id,
                    "title": item.title,
                    "reason": item.reason,
                    "evidence": [
                        {"type": e.type, "at": to_london(e.at).isoformat(), "ref": e.ref}
                        for e in item.evidence
                    ],
                }
                for item in fired
            ],
        }
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

    def load(self, ruleset_id: str, force: str | None, as_of: datetime) -> Ruleset:
        try:
            if not rulesets_stored():
                if force:
                    raise CommandError("This database has no partnership settings yet: run `safehub migrate`")
                self.stderr.write("No partnership settings in this database (not migrated): using defaults")
                if ruleset_id not in DEFAULT_RULESETS:
                    raise UnknownRuleset(ruleset_id, list(DEFAULT_RULESETS))
                return DEFAULT_RULESETS[ruleset_id]
            return ruleset_for(ruleset_id, force, at=as_of)
        except UnknownRuleset as exc:
            raise CommandError(str(exc)) from None
        except Force.DoesNotExist:
            raise CommandError(_unknown_force(force)) from None

    def list_rulesets(self, force: str | None, as_json: bool) -> None:
        stored = rulesets_stored()
        if force and not stored:
            raise CommandError("This database has no partnership settings yet: run `safehub migrate`")
        try:
            partnership = Force.objects.get(code=force) if force else None
            ids = known_ruleset_ids(partnership) if stored else sorted(DEFAULT_RULESETS)
            rulesets = [ruleset_for(i, partnership) if stored else DEFAULT_RULESETS[i] for i in ids]
        except Force.DoesNotExist:
            raise CommandError(_unknown_force(force)) from None
        if as_json:
            self.stdout.write(
                json.dumps([ruleset_to_dict(r) for r in rulesets], indent=2, ensure_ascii=False)
            )
            return
        for ruleset in rulesets:
            self.stdout.write(f"{ruleset.id} (version {ruleset.version}): {ruleset.title}")
            for rule in ruleset.rules:
                self.stdout.write(f"  {rule.id} [{rule.kind}] {rule.title}: {describe(rule)}")
            if ruleset.notes:
                self.stdout.write(f"  Notes: {ruleset.notes}")
            if ruleset.source:
                self.stdout.write(f"  Source: {ruleset.source}")


def _unknown_force(force: str | None) -> str:
    codes = ", ".join(Force.objects.order_by("code").values_list("code", flat=True)) or "none"
    return f"Unknown force {force!r}. Known forces: {codes}"


def read_history(path: str) -> tuple[datetime, list[Event]]:
    """as_of and the events of a history file; CommandError naming every problem (and event index)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"Cannot read the history file {path}: {exc.strerror or exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"The history file {path} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    try:
        return history_from_dict(data)
    except HistoryError as exc:
        if exc.problems == [NOT_A_HISTORY]:
            raise CommandError(f"The history file {NOT_A_HISTORY}") from None
        raise CommandError("The history file has problems: " + "; ".join(exc.problems)) from None
