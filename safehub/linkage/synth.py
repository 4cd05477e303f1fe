"""Synthetic people with known duplicates, for the baseline model, the demo and the benchmarks.

Names come from Faker's en_GB lists; every value is made up. Duplicates carry typos, swapped
day and month, changed postcodes and missing values, as partner systems' records do.
"""

from __future__ import annotations

import functools
import random
import string
from datetime import date, timedelta

import numpy as np
import pandas as pd

TOWNS = ("leeds", "bradford", "wakefield", "huddersfield", "halifax", "dewsbury", "keighley", "pudsey")
DISTRICTS = ("LS", "BD", "WF", "HD", "HX")
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@functools.lru_cache(maxsize=4)
def _vocab(seed: int) -> tuple[list[str], list[str], list[str]]:
    """Faker's en_GB name lists (read directly: fast), and street names made from them."""
    from faker.providers.address.en_GB import Provider as Addresses
    from faker.providers.person.en_GB import Provider as Names

    first = sorted(set(Names.first_names_female) | set(Names.first_names_male))
    last = sorted(Names.last_names)
    rng = random.Random(seed)
    streets = sorted({f"{rng.choice(last)} {rng.choice(Addresses.street_suffixes)}" for _ in range(4000)})
    return first, last, streets


def _postcode(rng: random.Random) -> str:
    outward = f"{rng.choice(DISTRICTS)}{rng.randint(1, 29)}"
    return f"{outward} {rng.randint(1, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"


def _typo(rng: random.Random, value: str) -> str:
    if len(value) < 3:
        return value
    i = rng.randrange(1, len(value) - 1)
    kind = rng.random()
    if kind < 0.4:
        return value[:i] + rng.choice(string.ascii_lowercase) + value[i + 1 :]
    if kind < 0.7:
        return value[:i] + value[i + 1 :]
    return value[: i - 1] + value[i] + value[i - 1] + value[i + 1 :]


def people(n: int, *, duplicate_rate: float = 0.2, seed: int = 7) -> pd.DataFrame:
    """`n` records, about `duplicate_rate` of them noisy copies of another; `cluster` is the truth."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    first, last, streets = _vocab(seed)
    originals = max(1, int(n / (1 + duplicate_rate)))
    # Zipf-like name frequencies, as in real populations.
    fw = 1 / np.arange(1, len(first) + 1) ** 0.8
    lw = 1 / np.arange(1, len(last) + 1) ** 0.7
    fi = nrng.choice(len(first), originals, p=fw / fw.sum())
    li = nrng.choice(len(last), originals, p=lw / lw.sum())
    start = date(1930, 1, 1).toordinal()
    span = date(2024, 12, 31).toordinal() - start
    dobs = nrng.integers(0, span, originals) + start
    base = pd.DataFrame(
        {
            "cluster": np.arange(originals),
            "first_name": [first[i] for i in fi],
            "surname": [last[i] for i in li],
            "dob": [date.fromordinal(int(d)).isoformat() for d in dobs],
            "postcode": [_postcode(rng) for _ in range(originals)],
            "address": [f"{rng.randint(1, 250)} {rng.choice(streets)}" for _ in range(originals)],
            "city": [rng.choice(TOWNS) for _ in range(originals)],
            "sex": nrng.choice(["female", "male"], originals),
        }
    )
    extra = n - originals
    picks = nrng.integers(0, originals, extra)
    dups = base.iloc[picks].copy()
    rows = dups.to_dict("records")
    for row in rows:
        for name in ("first_name", "surname"):
            if rng.random() < 0.3:
                row[name] = _typo(rng, row[name])
        r = rng.random()
        if r < 0.1:
            y, m, d = row["dob"].split("-")
            if int(d) <= 12:
                row["dob"] = f"{y}-{d}-{m}"
        elif r < 0.2:
            row["dob"] = (
                date.fromisoformat(row["dob"]) + timedelta(days=rng.choice((-1, 1, 365)))
            ).isoformat()
        moved = rng.random()
        if moved < 0.3:
            row["postcode"] = None
            row["address"] = None
        elif moved < 0.45:  # moved house: another address, postcode and often town
            row["postcode"] = _postcode(rng)
            row["address"] = f"{rng.randint(1, 250)} {rng.choice(streets)}"
            row["city"] = rng.choice(TOWNS)
        else:
            if rng.random() < 0.2:
                row["address"] = _typo(rng, row["address"])
            if rng.random() < 0.1:
                row["postcode"] = _typo(rng, row["postcode"])
        if rng.random() < 0.2:
            row["city"] = None
    frame = pd.concat([base, pd.DataFrame(rows)], ignore_index=True)
    frame = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
    frame.insert(0, "unique_id", [f"s{i}" for i in range(len(frame))])
    return frame
