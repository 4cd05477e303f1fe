"""Candidate search through the blocking-key index finds and scores exactly what the former
full scan did (issue 9), on a few thousand synthetic people. No database."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from safehub.linkage import engine, matching, rules, synth
from safehub.linkage.index import BlockingIndex


class ScanMatcher(matching.Matcher):
    """The search as it was before the index: one SQL scan of the whole index with every blocking
    key as one condition, then the same Splink scoring (kept here as the reference)."""

    def __init__(self, index, model, version=""):
        super().__init__(index, model, version)
        joins = " ".join(
            f'LEFT JOIN "{self._tf_tables[name]}" AS t_{name} ON i."{name}" = t_{name}."{name}"'
            for name in self._tf
        )
        columns = ", ".join(
            f'coalesce(t_{name}."tf_{name}", {self._tf_default[name]}) AS "tf_{name}"' for name in self._tf
        )
        self._db.duckdb_con.execute(
            f"CREATE TABLE __safehub_index_tf AS SELECT i.*{', ' if columns else ''}{columns} "  # noqa: S608
            f'FROM "{self._index.physical_name}" AS i {joins}'
        )
        self._sql_key = f"safehub-scan-{id(self)}"

    def search(self, query, *, threshold=rules.CANDIDATE):
        from splink.internals.realtime import compare_records

        record = query.iloc[0]
        conditions, values = [], []
        # Every blocking key as one SQL condition over the whole index (the keys are engine's data;
        # the scan is the reference the index must agree with).
        for key in engine.BLOCKING_KEYS:
            parts = engine.key_parts(key)
            if not all(record.get(column) is not None for column, _length in parts):
                continue
            sql = []
            for column, length in parts:
                sql.append(f'"{column}" = ?' if length is None else f'substr("{column}", 1, {length}) = ?')
                values.append(record[column] if length is None else record[column][:length])
            conditions.append("(" + " AND ".join(sql) + ")")
        if not conditions:
            return pd.DataFrame(columns=["unique_id_l", "unique_id_r", "match_probability", "match_weight"])
        connection = self._db.duckdb_con
        candidates = connection.execute(
            f"SELECT * FROM __safehub_index_tf WHERE {' OR '.join(conditions)}",  # noqa: S608
            values,
        ).df()
        if candidates.empty:
            return pd.DataFrame(columns=["unique_id_l", "unique_id_r", "match_probability", "match_weight"])
        left = query.copy()
        for name, lookup in self._tf_lookup.items():
            value = record.get(name)
            left[f"tf_{name}"] = [lookup.get(value, self._tf_default[name]) if value is not None else None]
        with self._lock:
            settings = engine.json.loads(engine.json.dumps(self.model))
            scored = compare_records(left, candidates, settings, self._db, sql_cache_key=self._sql_key)
            result = scored.as_pandas_dataframe()
            scored.drop_table_from_database_and_remove_from_cache(force_non_splink_table=True)
            for (table,) in connection.execute(
                "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE '__splink__compare_records_%'"
            ).fetchall():
                connection.execute(f'DROP TABLE IF EXISTS "{table}"')
        result = result[result["match_probability"] >= threshold]
        return result.sort_values("match_probability", ascending=False)


def _people(size: int, seed: int) -> pd.DataFrame:
    """Synthetic people, some with an email and an identifier (shared by a copy now and then)
    and a few with accented names, so every blocking key is exercised."""
    raw = synth.people(size, seed=seed)
    rng = random.Random(seed)
    raw["email"] = [
        f"{c}.{rng.randint(1, 3)}@example.org" if rng.random() < 0.3 else None for c in raw["cluster"]
    ]
    raw["identifier"] = [f"9{c:09d}" if rng.random() < 0.3 else None for c in raw["cluster"]]
    for position in rng.sample(range(size), 40):
        raw.loc[position, "first_name"] = rng.choice(["Zoë", "Siân", "Öykü", "Łucja"])
        raw.loc[position, "surname"] = rng.choice(["Ó Briain", "Müller", "Ødegård"])
    return raw


def _queries(raw: pd.DataFrame, count: int, seed: int) -> list[dict]:
    """Copies of index rows, mostly altered: typos, missing fields, unseen names, other years."""
    rng = random.Random(seed)
    queries = []
    for number, row in enumerate(raw.sample(count, random_state=seed).to_dict("records")):
        query = {name: None if isinstance(value, float) else value for name, value in row.items()}
        query["unique_id"] = f"q{number}"
        change = rng.random()
        if change < 0.25:
            query["surname"] = query["surname"][:-1]
        elif change < 0.35:
            query["first_name"] = "Quentavius"  # a name the index has never seen
        elif change < 0.45:
            query["dob"] = None
        elif change < 0.55:
            query["postcode"], query["city"] = None, None
        elif change < 0.6:
            query["dob"] = "1999" + (query["dob"] or "-01-01")[4:]
        queries.append(query)
    return queries


@pytest.fixture(scope="module")
def people():
    raw = _people(4000, seed=11)
    return raw, engine.normalise(raw)


@pytest.fixture(scope="module")
def model():
    return engine.load_model(matching.BASELINE)[0]


def test_index_search_finds_and_scores_exactly_what_the_full_scan_did(people, model):
    raw, index = people
    fast, scan = matching.Matcher(index, model), ScanMatcher(index, model)
    compared = likely = 0
    for query in _queries(raw, 120, seed=4):
        frame = matching.record_frame([query])
        # Threshold 0: every candidate the blocking keys found, not only the likely ones.
        new = fast.search(frame, threshold=0.0).set_index("unique_id_r").sort_index()
        old = scan.search(frame, threshold=0.0).set_index("unique_id_r").sort_index()
        assert list(new.index) == list(old.index), query["unique_id"]
        assert np.allclose(new["match_probability"], old["match_probability"], rtol=0, atol=1e-9)
        assert np.allclose(new["match_weight"], old["match_weight"], rtol=0, atol=1e-9)
        for column in [c for c in old.columns if c.startswith(("gamma_", "tf_"))]:
            assert np.allclose(
                new[column].astype(float), old[column].astype(float), rtol=0, atol=1e-12, equal_nan=True
            ), (query["unique_id"], column)
        above = new[new["match_probability"] >= rules.CANDIDATE].index
        assert set(above) == set(old[old["match_probability"] >= rules.CANDIDATE].index)
        compared += len(new)
        likely += len(above)
    # The comparison covered many candidates, likely and unlikely, not a handful.
    assert compared > 120 and likely > 60


def test_a_record_sharing_no_key_has_no_candidates(people, model):
    _raw, index = people
    query = {"first_name": "Nobody", "surname": "Atall", "dob": "1800-01-01", "unique_id": "q"}
    assert matching.Matcher(index, model).search(matching.record_frame([query])).empty


def _brute_force(index: pd.DataFrame, record: dict) -> set[int]:
    """The blocking rules as a pandas filter over every row (the slow, obvious way)."""
    hits = pd.Series(False, index=range(len(index)))
    for key in engine.BLOCKING_KEYS:
        mask = pd.Series(True, index=range(len(index)))
        for column, length in engine.key_parts(key):
            wanted = record.get(column)
            if wanted is None:
                mask[:] = False
                break
            values = index[column].reset_index(drop=True)
            if length is not None:
                values, wanted = values.str[:length], wanted[:length]
            mask &= (values == wanted).fillna(False).astype(bool)
        hits |= mask
    return set(np.flatnonzero(hits.to_numpy()))


def _found(blocks: BlockingIndex, frame: pd.DataFrame, record: dict) -> set[int]:
    """What search keeps: the hash hits, checked exactly."""
    hits = blocks.hits(record)
    table = pa.Table.from_pandas(frame.iloc[hits], preserve_index=False)
    return set(hits[blocks.matches(table, record)])


def test_the_index_finds_exactly_the_rows_the_blocking_rules_pair(people):
    raw, index = people
    blocks = BlockingIndex(index)
    total = 0
    for query in _queries(raw, 40, seed=2):
        record = matching.record_frame([query]).iloc[0].to_dict()
        expected = _brute_force(index, record)
        assert _found(blocks, index, record) == expected
        total += len(expected)
    assert total > 40


def test_a_hash_collision_never_adds_a_candidate(people, monkeypatch):
    raw, index = people
    small = index.head(500).reset_index(drop=True)
    # Every value hashes alike, so each key's lookup returns all its rows; the exact check must cut.
    monkeypatch.setattr(pd.util, "hash_array", lambda values, **kw: np.zeros(len(values), dtype=np.uint64))
    blocks = BlockingIndex(small)
    record = matching.record_frame(_queries(raw, 1, seed=1)).iloc[0].to_dict()
    assert len(blocks.hits(record)) > 400
    assert _found(blocks, small, record) == _brute_force(small, record)
    assert len(_found(blocks, small, record)) < 20
