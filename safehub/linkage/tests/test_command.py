"""`safehub linkage import|link|evaluate` from the command line: progress, resuming a link that
stopped part-way, and clear errors for bad input."""

import io
import json
import uuid

import pytest
from django.core.management import CommandError, call_command

from safehub.linkage import services, synth
from safehub.linkage.models import ExtractStatus, PartnerExtract, RecordOutcome
from safehub.linkage.tests.conftest import check_extract

pytestmark = pytest.mark.django_db

EXTRACT = (
    "first_name,surname,dob,postcode\n"
    "Olivia,Testington,2012-04-09,LS6 2AB\n"
    "Zebedee,Unrelated,1950-01-01,\n"
    "Yolanda,Nobody,1961-02-03,\n"
    ",Nofirst,1961-02-03,\n"
)


def run(*args):
    out = io.StringIO()
    call_command("linkage", *args, stdout=out)
    return out.getvalue()


def test_import_with_accept_reports_the_bad_rows_progress_and_the_summary(index, mash, tmp_path, capsys):
    path = tmp_path / "health.csv"
    path.write_text(EXTRACT)
    printed = run(
        "import", str(path), "--as", "mash", "--partner", "Leeds health", "--district", "leeds", "--accept"
    )
    assert "Checked 4 rows: 3 good." in printed and "row 4: first_name" in printed
    assert "Linked 3 of 3" in capsys.readouterr().out
    summary = json.loads(printed.strip().splitlines()[-1])
    assert summary["auto_linked"] == 1 and summary["no_match"] == 2
    assert PartnerExtract.objects.get().status == ExtractStatus.LINKED


def test_link_carries_on_an_extract_that_stopped_part_way(index, mash, districts, second_chunk_dies):
    extract = check_extract(mash, districts, EXTRACT)
    with pytest.raises(RuntimeError):
        services.extract_accept(actor=mash, extract=extract, chunk=2)
    second_chunk_dies.stop()
    printed = run("link", str(extract.pk), "--as", "mash")
    assert "Carrying on from row 3 of 3." in printed
    extract.refresh_from_db()
    assert extract.status == ExtractStatus.LINKED and extract.processed_rows == 3
    assert not extract.records.filter(outcome=RecordOutcome.WAITING).exists()


def test_link_refuses_a_forged_id_an_unseen_extract_and_one_already_linked(index, mash, outsider, districts):
    with pytest.raises(CommandError, match="is not an extract id"):
        run("link", "not-a-uuid", "--as", "mash")
    with pytest.raises(CommandError, match="No extract"):
        run("link", str(uuid.uuid4()), "--as", "mash")
    extract = check_extract(mash, districts, EXTRACT)
    with pytest.raises(CommandError, match="No extract"):
        run("link", str(extract.pk), "--as", outsider.username)
    run("link", str(extract.pk), "--as", "mash")
    with pytest.raises(CommandError, match="already been linked"):
        run("link", str(extract.pk), "--as", "mash")
    with pytest.raises(CommandError, match="No user"):
        run("link", str(extract.pk), "--as", "nobody")


def test_import_names_a_missing_file_and_missing_columns(index, mash, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run("import", str(tmp_path / "absent.csv"), "--as", "mash", "--partner", "X", "--district", "leeds")
    path = tmp_path / "short.csv"
    path.write_text("first_name,surname\nA,B\n")
    with pytest.raises(CommandError, match="dob"):
        run("import", str(path), "--as", "mash", "--partner", "X", "--district", "leeds")
    assert not PartnerExtract.objects.exists()


def test_evaluate_prints_precision_recall_and_f1_as_json(tmp_path):
    path = tmp_path / "people.csv"
    synth.people(600, seed=4).rename(columns={"cluster": "truth"}).to_csv(path, index=False)
    result = json.loads(run("evaluate", "--left", str(path), "--truth-column", "truth"))
    assert set(result) >= {"precision", "recall", "f1", "threshold", "seconds"}
    assert result["precision"] > 0.9 and 0 < result["recall"] <= 1
