"""`safehub import policeuk FILE... | homeoffice FILE | census [FILE] | population FILE`.

Open data into the analytics store. Each file is validated whole and saved all or none; a second
import of the same file changes nothing; malformed rows are listed (line number and what is wrong)
and the file is refused. Prints progress and, for police.uk, the counts by district with the
LSOAs outside the five districts. Exit status 1 when any file was refused.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from safehub.analytics import importers
from safehub.core.models import Force

JOB = "job:import"


class Command(BaseCommand):
    help = "Import open data (police.uk street crime, Home Office recorded crime, census population)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="source", required=True, metavar="SOURCE")
        police = sub.add_parser("policeuk", help="police.uk street-level crime CSVs (plain or .gz)")
        police.add_argument("files", nargs="+", metavar="FILE")
        police.add_argument("--lookup", help="ONS LSOA lookup CSV (default: shared/data's PoliceforceLSOA)")
        home = sub.add_parser("homeoffice", help="Home Office recorded crime by force, offence and quarter")
        home.add_argument("files", nargs=1, metavar="FILE")
        home.add_argument("--force", dest="force_name", help="Force_Name in the table (default: the force)")
        census = sub.add_parser("census", help="2011 Census population by LSOA, summed to districts")
        census.add_argument("files", nargs="?", metavar="FILE")
        population = sub.add_parser("population", help="population by ethnicity, sex or age band (CSV)")
        population.add_argument("files", nargs=1, metavar="FILE")

    def handle(self, *args, **options):
        source = options["source"]
        refused = 0
        if source == "policeuk":
            try:
                lookup = importers.load_lsoa_lookup(options.get("lookup"))
            except importers.ImportRefused as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"LSOA lookup: {len(lookup):,} LSOAs in the districts")
            for path in options["files"]:
                refused += self._one(
                    path,
                    lambda p: importers.import_policeuk(
                        p, actor_label=JOB, lookup=lookup, progress=self._progress(p)
                    ),
                )
        elif source == "homeoffice":
            force_name = options.get("force_name") or self._force_name()
            refused += self._one(
                options["files"][0],
                lambda p: importers.import_homeoffice(
                    p, actor_label=JOB, force_name=force_name, progress=self._progress(p)
                ),
            )
        elif source == "census":
            refused += self._one(options.get("files"), lambda p: importers.import_census(p, actor_label=JOB))
        else:
            refused += self._one(
                options["files"][0], lambda p: importers.import_population_groups(p, actor_label=JOB)
            )
        if refused:
            raise CommandError(f"{refused} file(s) refused: nothing of them was imported")

    def _force_name(self) -> str:
        force = Force.objects.order_by("pk").first()
        if force is None:
            raise CommandError("No force is set up: pass --force NAME (as in the table's Force_Name)")
        return force.name

    def _progress(self, path):
        def report(stage: str, done: int, total: int) -> None:
            self.stdout.write(f"  {path}: {stage} {done:,}" + (f" of {total:,} rows" if total else " rows"))

        return report

    def _one(self, path, run) -> int:
        label = path or "the default census file"
        try:
            result = run(path)
        except importers.ImportRefused as exc:
            self.stderr.write(f"Refused {label}:")
            for problem in exc.problems:
                self.stderr.write(f"  - {problem}")
            return 1
        if result.already_imported:
            self.stdout.write(f"{label}: already imported ({', '.join(result.periods)}); nothing changed")
            return 0
        verb = "replaced the earlier import for" if result.replaced else "imported"
        self.stdout.write(
            f"{label}: {verb} {', '.join(result.periods) or 'population'}: {result.rows_read:,} rows read, "
            f"{result.rows_counted:,} counted"
        )
        for district, count in result.by_district.items():
            self.stdout.write(f"  {district}: {count:,}")
        if result.rows_unknown_district:
            self.stdout.write(
                f"  counted under 'unknown district': {result.rows_unknown_district:,} "
                f"({result.rows_no_location:,} with no location; "
                f"{result.rows_unknown_district - result.rows_no_location:,} in "
                f"{len(result.unknown_lsoas)} LSOAs outside the districts: "
                f"{', '.join(result.unknown_lsoas[:10])}{' ...' if len(result.unknown_lsoas) > 10 else ''})"
            )
        return 0
