"""Readers for the public record-linkage benchmarks in shared/data (read in place, never copied):
FEBRL 4a/4b (link) and Splink's fake_1000 (dedupe; its `cluster` column agrees exactly with
fake_1000_labels.csv: 2,031 match pairs)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd


def shared_data(project_root: Path | None = None) -> Path:
    """SAFEHUB_SHARED_DATA, else ../shared/data beside the project."""
    if os.environ.get("SAFEHUB_SHARED_DATA"):
        return Path(os.environ["SAFEHUB_SHARED_DATA"])
    root = project_root or Path(__file__).resolve().parents[2]
    return (root / ".." / "shared" / "data").resolve()


def _febrl(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, skipinitialspace=True, keep_default_na=False)
    raw.columns = [c.strip() for c in raw.columns]
    dob = raw["date_of_birth"].str.strip()
    return pd.DataFrame(
        {
            "unique_id": raw["rec_id"].str.strip(),
            "first_name": raw["given_name"],
            "surname": raw["surname"],
            "dob": dob.str.slice(0, 4) + "-" + dob.str.slice(4, 6) + "-" + dob.str.slice(6, 8),
            "postcode": raw["postcode"],
            "address": (raw["street_number"] + " " + raw["address_1"]).str.strip(),
            "city": raw["suburb"],
            "identifier": raw["soc_sec_id"],
            "truth": raw["rec_id"].str.extract(r"rec-(\d+)")[0],
        }
    )


def febrl4_frames(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """FEBRL dataset4a and dataset4b in the model's columns; `truth` is the original record number."""
    return _febrl(folder / "dataset4a.csv"), _febrl(folder / "dataset4b.csv")


def fake_1000(folder: Path) -> pd.DataFrame:
    return pd.read_csv(folder / "fake_1000.csv", dtype=str, keep_default_na=False)
