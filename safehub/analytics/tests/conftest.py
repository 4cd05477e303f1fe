"""The analytics cast: the five West Yorkshire districts (with their ONS codes, so the LSOA lookup
maps onto them), the real July police.uk files when shared/data is present, and small synthetic
police.uk files for the bad-input tests."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from safehub.analytics import importers
from safehub.core.tests.factories import DistrictFactory

DATA = importers.shared_data_dir()
STREET = DATA / "policeuk-west-yorkshire-street"
JULY_FILES = [
    STREET / "2016-07-west-yorkshire-street.csv.gz",
    STREET / "2017-07-west-yorkshire-street.csv.gz",
]
HAVE_DATA = all(path.exists() for path in JULY_FILES) and importers.default_lookup_path().exists()
needs_shared_data = pytest.mark.skipif(
    not HAVE_DATA,
    reason=f"shared/data is not at {DATA} (set SAFEHUB_SHARED_DATA): the real-file tests need it",
)
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,"
    "Last outcome category,Context"
)


@pytest.fixture
def five_districts(districts):
    extra = {
        "calderdale": DistrictFactory(code="calderdale", name="Calderdale", ons_code="E08000033"),
        "kirklees": DistrictFactory(code="kirklees", name="Kirklees", ons_code="E08000034"),
        "wakefield": DistrictFactory(code="wakefield", name="Wakefield", ons_code="E08000036"),
    }
    return {**districts, **extra}


# A tiny lookup: two Leeds LSOAs and one Bradford LSOA (codes in the real format, made up).
LOOKUP = {"E01099901": "leeds", "E01099902": "leeds", "E01099903": "bradford"}


def street_row(month="2026-07", lsoa="E01099901", crime="Violence and sexual offences", crime_id="abc"):
    return (
        f"{crime_id},{month},West Yorkshire Police,West Yorkshire Police,-1.5,53.8,On or near Test Street,"
        f"{lsoa},Leeds 001A,{crime},Under investigation,"
    )


def write_street(
    tmp_path: Path, name: str, rows: list[str], *, header: str = HEADER, gz: bool = False
) -> Path:
    text = "\n".join([header, *rows]) + "\n"
    path = tmp_path / name
    if gz:
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text)
    return path
