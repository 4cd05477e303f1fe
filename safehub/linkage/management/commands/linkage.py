"""`safehub linkage train|evaluate|import`: the person-matching model's jobs.

- `train` trains a new model version on the person index (and reviewers' labels) and saves it
  under VAR_DIR/linkage/models/; `--synthetic N` trains on N synthetic people instead (how the
  shipped baseline was made) and `--out` writes it to a path of your choosing.
- `evaluate --left A.csv [--right B.csv] --truth-column COL` trains on the file(s) and prints
  JSON with precision, recall, f1, threshold and seconds (pairwise, at the threshold).
- `import FILE --as USERNAME --partner NAME --kind KIND --district CODE [--accept]` checks a
  partner extract and, with --accept, links it, printing progress and the summary.
- `link EXTRACT_ID --as USERNAME` links an extract checked earlier, or carries on one whose
  linking stopped part-way (each chunk of rows is saved as it finishes).
"""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

import pandas as pd
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from safehub.linkage import engine, rules


def _read(path: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(path, dtype=str, skipinitialspace=True, keep_default_na=False)
    except FileNotFoundError as exc:
        raise CommandError(f"No such file: {path}") from exc
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise CommandError(f"{path} is not a readable UTF-8 CSV: {exc}") from exc
    frame.columns = [c.strip() for c in frame.columns]
    return frame


class Command(BaseCommand):
    help = "Person matching: train the model, evaluate it on labelled files, import a partner extract."
    # `evaluate` needs no database or URLs; the other jobs check what they touch themselves.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="job", required=True)
        train = sub.add_parser("train", help="train a new model version on the person index")
        train.add_argument("--synthetic", type=int, help="train on N synthetic people instead")
        train.add_argument("--out", help="with --synthetic: where to write the model")
        evaluate = sub.add_parser("evaluate", help="precision, recall and F1 on labelled CSV files (JSON)")
        evaluate.add_argument("--left", required=True)
        evaluate.add_argument("--right")
        evaluate.add_argument("--truth-column", required=True)
        evaluate.add_argument("--threshold", type=float, default=rules.EVALUATION_THRESHOLD)
        evaluate.add_argument("--id-column", help="unique id column (default: unique_id, else row number)")
        extract = sub.add_parser("import", help="check (and with --accept link) a partner extract")
        extract.add_argument("file")
        extract.add_argument("--as", dest="username", required=True)
        extract.add_argument("--partner", required=True)
        extract.add_argument("--kind", default="other")
        extract.add_argument("--district", required=True)
        extract.add_argument("--accept", action="store_true")
        link = sub.add_parser("link", help="link a checked extract, or carry on one that stopped part-way")
        link.add_argument("extract_id")
        link.add_argument("--as", dest="username", required=True)

    def handle(self, *args, **options):
        getattr(self, f"_{options['job']}")(options)

    def _train(self, options):
        from safehub.linkage import services, synth

        if options["synthetic"]:
            out = Path(options["out"] or "baseline_model.json")
            frame = engine.normalise(synth.people(options["synthetic"], seed=11))
            _linker, model = engine.train([frame])
            meta = {
                "trained_on": f"{options['synthetic']} synthetic people (safehub.linkage.synth, seed 11)",
                "records": options["synthetic"],
                "command": f"safehub linkage train --synthetic {options['synthetic']}",
            }
            engine.save_model(model, out, meta=meta)
            self.stdout.write(json.dumps({"path": str(out), **meta}))
            return
        self.stdout.write("Training on the person index…")
        try:
            result = services.model_train(actor="job:linkage_train")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(json.dumps(result, default=str))

    def _evaluate(self, options):
        frames = [_read(options["left"])]
        if options["right"]:
            frames.append(_read(options["right"]))
        for frame, name in zip(frames, ("left", "right"), strict=False):
            missing = [c for c in (*engine.REQUIRED, options["truth_column"]) if c not in frame.columns]
            if missing:
                raise CommandError(f"The {name} file has no column named {', '.join(missing)}")
            id_column = options["id_column"] or ("unique_id" if "unique_id" in frame.columns else None)
            frame["unique_id"] = frame[id_column] if id_column else [str(i) for i in range(len(frame))]
        result = engine.evaluate(frames, truth=options["truth_column"], threshold=options["threshold"])
        self.stdout.write(json.dumps(result))

    def _import(self, options):
        from safehub.core.models import District, User
        from safehub.linkage import services

        user = User.objects.filter(username=options["username"]).first()
        district = District.objects.filter(code=options["district"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']}")
        if district is None:
            raise CommandError(f"No district {options['district']}")
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            extract = services.extract_check(
                actor=user,
                district=district,
                partner_name=options["partner"],
                partner_kind=options["kind"],
                filename=path.name,
                content=path.read_bytes(),
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Checked {extract.total_rows} rows: {extract.good_rows} good.")
        for problem in extract.problems[:50]:
            self.stdout.write(f"  row {problem['row']}: {problem['field']}: {problem['problem']}")
        if len(extract.problems) > 50:
            self.stdout.write(f"  … and {len(extract.problems) - 50} more")
        if not options["accept"]:
            self.stdout.write(
                f"Nothing linked. Accept at /linkage/extracts/{extract.pk}/ or rerun with --accept."
            )
            return

        self._link_all(user, extract)

    def _link(self, options):
        from safehub.core.models import User
        from safehub.linkage.models import PartnerExtract

        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']}")
        try:
            extract_id = uuid.UUID(options["extract_id"])
        except ValueError as exc:
            raise CommandError(f"{options['extract_id']!r} is not an extract id (a UUID)") from exc
        extract = PartnerExtract.objects.visible_to(user).filter(pk=extract_id).first()
        if extract is None:
            raise CommandError(f"No extract {extract_id} that {user.username} may see")
        self._link_all(user, extract)

    def _link_all(self, user, extract):
        from safehub.linkage import services

        def progress(done, total):
            sys.stdout.write(f"\rLinked {done} of {total}")
            sys.stdout.flush()

        if extract.processed_rows:
            self.stdout.write(f"Carrying on from row {extract.processed_rows + 1} of {extract.good_rows}.")
        try:
            extract = services.extract_accept(actor=user, extract=extract, progress=progress)
        except (ValidationError, PermissionDenied) as exc:
            raise CommandError(" ".join(getattr(exc, "messages", [str(exc)]))) from exc
        self.stdout.write("")
        self.stdout.write(json.dumps({"extract": str(extract.pk), **extract.summary}))
