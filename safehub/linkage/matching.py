"""The person index as Splink sees it, the current model file, and candidate search.

The model is a versioned JSON file under VAR_DIR/linkage/models/ (`person-model-v0003.json`);
with none trained yet, the baseline shipped with the app (trained on synthetic people) is used.
A Matcher holds the index in DuckDB in this process and is rebuilt when the index or the model
changes (checked by a cheap fingerprint: count and latest change).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from safehub.linkage import engine, rules
from safehub.linkage.index import BlockingIndex
from safehub.people.models import Address, AddressKind, Identifier, IdentifierKind, Person

BASELINE = Path(__file__).with_name("baseline_model.json")
_VERSION = re.compile(r"^person-model-v(\d{4})\.json$")


def model_dir() -> Path:
    return Path(settings.VAR_DIR) / "linkage" / "models"


def _version_paths() -> list[tuple[int, Path]]:
    """(version, path) of the trained model files, newest first (nothing is read)."""
    folder = model_dir()
    if not folder.exists():
        return []
    found = [(int(m.group(1)), path) for path in folder.iterdir() if (m := _VERSION.match(path.name))]
    return sorted(found, reverse=True)


def model_versions() -> list[dict[str, Any]]:
    """Trained versions, newest first: version number, path, and what training recorded."""
    return [
        {"version": number, "path": path, "meta": engine.load_model(path)[1]}
        for number, path in _version_paths()
    ]


def current_version() -> str:
    paths = _version_paths()
    return f"v{paths[0][0]:04d}" if paths else "baseline"


def current_model() -> tuple[dict[str, Any], dict[str, Any], str]:
    """(splink model, safehub metadata, version label) of the newest model, or the baseline."""
    paths = _version_paths()
    if paths:
        model, meta = engine.load_model(paths[0][1])
        return model, meta, f"v{paths[0][0]:04d}"
    model, meta = engine.load_model(BASELINE)
    return model, meta, "baseline"


def next_model_path() -> Path:
    paths = _version_paths()
    number = paths[0][0] + 1 if paths else 1
    return model_dir() / f"person-model-v{number:04d}.json"


# --- the index as a frame ------------------------------------------------------------------------


def index_frame(people=None) -> pd.DataFrame:
    """Every person not merged into another, with their current home address and an identifier."""
    people = people if people is not None else Person.objects.filter(merged_into__isnull=True)
    rows = list(people.values("id", "given_name", "family_name", "date_of_birth", "sex", "email"))
    ids = [row["id"] for row in rows]
    addresses: dict[Any, dict[str, str]] = {}
    for addr in (
        Address.objects.filter(person_id__in=ids, to_date__isnull=True)
        .exclude(kind=AddressKind.NO_FIXED_ABODE)
        .order_by("person_id", "-from_date")
        .values("person_id", "line1", "town", "postcode")
    ):
        addresses.setdefault(addr["person_id"], addr)
    identifiers: dict[Any, str] = {}
    for ident in (
        Identifier.objects.filter(person_id__in=ids)
        .order_by("person_id", "kind")
        .values("person_id", "kind", "value")
    ):
        if ident["person_id"] not in identifiers or ident["kind"] == IdentifierKind.NHS_NUMBER:
            identifiers[ident["person_id"]] = ident["value"]
    records = []
    for row in rows:
        addr = addresses.get(row["id"], {})
        records.append(
            {
                "unique_id": str(row["id"]),
                "first_name": row["given_name"],
                "surname": row["family_name"],
                "dob": row["date_of_birth"].isoformat() if row["date_of_birth"] else None,
                "postcode": addr.get("postcode"),
                "address": addr.get("line1"),
                "city": addr.get("town"),
                "email": row["email"] or None,
                "sex": row["sex"] if row["sex"] in ("female", "male") else None,
                "identifier": identifiers.get(row["id"]),
            }
        )
    columns = ["unique_id", *engine.FIELDS]
    return engine.normalise(pd.DataFrame(records, columns=columns))


def record_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    """Query records (from a form, the API or an extract) in the model's columns."""
    rows = []
    for index, record in enumerate(records):
        dob = record.get("dob")
        rows.append(
            {
                "unique_id": str(record.get("unique_id", f"query-{index}")),
                "first_name": record.get("first_name"),
                "surname": record.get("surname"),
                "dob": dob.isoformat() if isinstance(dob, date) else dob,
                **{name: record.get(name) for name in ("postcode", "address", "city", "email", "sex")},
                "identifier": (record.get("identifier") or "").replace(" ", "") or None,
            }
        )
    return engine.normalise(pd.DataFrame(rows, columns=["unique_id", *engine.FIELDS]))


def fingerprint() -> tuple[Any, ...]:
    people = Person.objects.aggregate(latest=Max("updated_at"))
    return (
        Person.objects.count(),
        people["latest"],
        Address.objects.aggregate(latest=Max("updated_at"))["latest"],
        Identifier.objects.aggregate(latest=Max("updated_at"))["latest"],
        current_version(),
    )


# Term frequencies are shrunk towards the model's average (its u for an exact match) as if from
# this many extra people: a small index (the demo, a new deployment) does not make every name
# look common, and a large one gets its own frequencies.
TF_PSEUDO_COUNT = 10_000


def smoothed_tf_tables(index: pd.DataFrame, model: dict[str, Any]) -> dict[str, pd.DataFrame]:
    tables = {}
    for comparison in model.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            column = level.get("tf_adjustment_column")
            if not column or column in tables or column not in index.columns:
                continue
            prior = float(level.get("u_probability") or 0.001)
            values = index[column].dropna()
            counts = values.value_counts()
            tf = (counts + TF_PSEUDO_COUNT * prior) / (len(values) + TF_PSEUDO_COUNT)
            tables[column] = pd.DataFrame({column: counts.index.astype(str), f"tf_{column}": tf.values})
    return tables


SEARCH_THREADS = 1


class Matcher:
    """A trained model over a registered index: candidate search for new records."""

    def __init__(self, index: pd.DataFrame, model: dict[str, Any], version: str = ""):
        from splink import DuckDBAPI, Linker

        self.version = version
        self.model = model
        self.size = len(index)
        self._db = DuckDBAPI()
        self._index = self._db.register(index, dataset_display_name="person_index")
        self._linker = Linker(
            self._index, engine.json.loads(engine.json.dumps(model)), log_level=engine.SPLINK_LOG_LEVEL
        )
        self._tf = smoothed_tf_tables(index, model)
        self._tf_default: dict[str, float] = {}
        self._tf_tables: dict[str, str] = {}
        self._tf_lookup: dict[str, dict[str, float]] = {}
        for name, table in self._tf.items():
            registered = self._db.register(table, dataset_display_name=f"tf_lookup_{name}")
            self._linker.table_management.register_term_frequency_lookup(registered, name)
            self._tf_tables[name] = registered.physical_name
            self._tf_lookup[name] = dict(zip(table[name].tolist(), table[f"tf_{name}"].tolist(), strict=True))
            self._tf_default[name] = float(table[f"tf_{name}"].min()) if len(table) else 0.001
        # For single-record search (see search): the index with its term frequencies alongside
        # (a missing value gets the least frequency), as an Arrow table so that a search takes its
        # rows without copying the rest, and the index's rows by blocking key.
        self._table = pa.Table.from_pandas(
            index.assign(
                **{
                    f"tf_{name}": index[name]
                    .map(self._tf_lookup[name])
                    .astype("float64")
                    .fillna(self._tf_default[name])
                    for name in self._tf
                }
            ),
            preserve_index=False,
        )
        self._blocks = BlockingIndex(self._table)
        # Search scores a few hundred rows at most: its own DuckDB connection, on one thread (no
        # thread hand-offs on a busy machine), holding only the two sides of the current search.
        self._search_db = DuckDBAPI(duckdb.connect(config={"threads": SEARCH_THREADS}))
        self._scoring_sql: str | None = None  # Splink's SQL scoring one record against candidates
        self._lock = threading.Lock()
        self._counter = 0
        self._duplicates: pd.DataFrame | None = None

    def duplicates(self, *, threshold: float = rules.REVIEW) -> pd.DataFrame:
        """Pairs within the index at or above `threshold` (computed once per Matcher)."""
        with self._lock:
            if self._duplicates is None:
                self._duplicates = (
                    self._linker.inference.predict(
                        threshold_match_probability=rules.REVIEW, warning_mode="never"
                    )
                    .as_pandas_dataframe()
                    .sort_values("match_probability", ascending=False)
                )
            found = self._duplicates
        return found[found["match_probability"] >= threshold]

    def search(self, query: pd.DataFrame, *, threshold: float = rules.CANDIDATE) -> pd.DataFrame:
        """One record against the index, fast: the index rows sharing a blocking key with it
        (exactly the rows the blocking rules would pair it with, found through the blocking-key
        index without reading the others), scored by the SQL Splink's `compare_records` writes
        for this model, with term frequencies from this Matcher's tables. Pairs at or above
        `threshold`, best first."""
        from splink.internals.realtime import compare_records

        record = query.iloc[0].to_dict()
        found = self._table.take(self._blocks.hits(record))
        found = found.filter(self._blocks.matches(found, record))
        if not found.num_rows:
            return pd.DataFrame(columns=["unique_id_l", "unique_id_r", "match_probability", "match_weight"])
        for name, lookup in self._tf_lookup.items():
            value = record.get(name)
            record[f"tf_{name}"] = lookup.get(value, self._tf_default[name]) if value is not None else None
        left = pa.Table.from_pylist([record])
        with self._lock:
            # Both sides are registered under fixed names (replacing the last search's), which
            # Splink takes as they are. The first search has Splink write the scoring SQL; later
            # ones run that same SQL (one statement instead of create, read and drop a table).
            connection = self._search_db.duckdb_con
            connection.register("__safehub_search_left", left)
            connection.register("__safehub_search_right", found)
            if self._scoring_sql is None:
                settings = engine.json.loads(engine.json.dumps(self.model))
                scored = compare_records(
                    "__safehub_search_left", "__safehub_search_right", settings, self._search_db
                )
                self._scoring_sql = scored.sql_used_to_create
                result = scored.as_pandas_dataframe()
                scored.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
            else:
                result = connection.execute(self._scoring_sql).df()
        result = result[result["match_probability"] >= threshold]
        return result.sort_values("match_probability", ascending=False, kind="stable")

    def predict(self, query: pd.DataFrame, *, threshold: float = rules.CANDIDATE) -> pd.DataFrame:
        """Scored pairs between the query records (left) and the index (right), best first."""
        if len(query) == 1:
            return self.search(query, threshold=threshold)
        with self._lock:
            self._counter += 1
            name = f"query_{self._counter}"
            frame = self._db.register(query, dataset_display_name=name)
            try:
                scored = self._linker.inference.predict_between(
                    frame, self._index, threshold_match_probability=threshold, warning_mode="never"
                ).as_pandas_dataframe()
            finally:
                frame.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
                self._db._registered_table_names.discard(name)
        return scored.sort_values("match_probability", ascending=False)


_cache: dict[str, Any] = {}
_cache_lock = threading.Lock()


def matcher() -> Matcher:
    """The process's Matcher for the current index and model (rebuilt when either changed)."""
    key = fingerprint()
    with _cache_lock:
        if _cache.get("key") != key:
            model, _meta, version = current_model()
            _cache["matcher"] = Matcher(index_frame(), model, version)
            _cache["key"] = key
        return _cache["matcher"]


@dataclass
class Candidate:
    person_id: str
    probability: float
    explanation: engine.Explanation


def candidates_for(
    record: dict[str, Any], *, threshold: float = rules.CANDIDATE, limit: int = 10
) -> list[Candidate]:
    """The best index matches for one record, whoever holds them (the caller scopes)."""
    current = matcher()
    if current.size == 0:
        return []
    scored = current.predict(record_frame([record]), threshold=threshold)
    found = []
    for row in scored.head(limit).to_dict("records"):
        found.append(
            Candidate(
                str(row["unique_id_r"]),
                float(row["match_probability"]),
                engine.explain_row(row, current.model),
            )
        )
    return found


def training_now() -> str:
    return timezone.now().isoformat(timespec="seconds")
