"""The Splink model: settings, training, prediction and evaluation (no Django here).

Records are plain dicts or pandas frames with the columns in `FIELDS` (any absent column is left
out of the model). Splink does the matching (ADR 0014): we choose comparisons, blocking rules and
thresholds, and read its output.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

# The fields the model can compare, in the order an explanation lists them.
FIELDS = ("first_name", "surname", "dob", "postcode", "address", "city", "email", "sex", "identifier")
FIELD_LABELS = {
    "first_name": "First name",
    "surname": "Last name",
    "dob": "Date of birth",
    "postcode": "Postcode",
    "address": "Address",
    "city": "Town",
    "email": "Email",
    "sex": "Sex",
    "identifier": "Identifier",
}
REQUIRED = ("first_name", "surname", "dob")
SPLINK_LOG_LEVEL = logging.ERROR
logger = logging.getLogger(__name__)
MIN_LABELS_FOR_M = 50


def _comparisons(columns: Iterable[str]) -> list[Any]:
    import splink.comparison_library as cl

    present = set(columns)
    made = [
        cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
        cl.NameComparison("surname").configure(term_frequency_adjustments=True),
        cl.DateOfBirthComparison("dob", input_is_string=True),
    ]
    optional = {
        "postcode": lambda: cl.LevenshteinAtThresholds("postcode", [1, 2]),
        "address": lambda: cl.JaroWinklerAtThresholds("address", [0.95, 0.85]),
        "city": lambda: cl.ExactMatch("city").configure(term_frequency_adjustments=True),
        "email": lambda: cl.EmailComparison("email"),
        "sex": lambda: cl.ExactMatch("sex"),
        "identifier": lambda: cl.ExactMatch("identifier"),
    }
    made += [build() for name, build in optional.items() if name in present]
    return made


# The blocking rules, as data: a pair of records is scored when they agree on every part of at
# least one key. A part is a column, or (column, n) for its first n characters (dob is ISO, so
# ("dob", 4) is the year and ("dob", 7) the year and month). A key is used when the model has all
# its columns. Candidate search reads the same keys (safehub.linkage.index), so a search finds
# exactly the index rows these rules would pair it with, and `linker_from_model` scores with these
# keys whatever a saved model says.
#
# Chosen on 1,000,000 synthetic people (bench/linkage/RESULTS.md): the keys before 2026-12-02
# ("first_name", "surname") and ("city", "first_name", ("surname", 1)) paired every common name
# with every other (190 million comparisons, 94.5% of true pairs blocked together); these make
# about 17 million and block 96% of true pairs together (dedupe of 1 M: 303 s before, ~25 s after).
BLOCKING_KEYS: tuple[tuple[str | tuple[str, int], ...], ...] = (
    ("first_name", "surname", ("dob", 4)),
    ("first_name", "surname", "city"),
    ("surname", "dob"),
    ("first_name", "dob"),
    (("first_name", 2), ("surname", 2), ("dob", 4)),
    ("dob", ("surname", 1), ("first_name", 1)),
    ("email",),
    ("city", "first_name", ("surname", 1), ("dob", 4)),
    ("postcode", "first_name"),
    ("postcode", "surname"),
    ("postcode", ("dob", 4)),
    ("identifier",),
)


def key_parts(key: tuple[str | tuple[str, int], ...]) -> list[tuple[str, int | None]]:
    """A blocking key's parts as (column, length), length None for the whole value."""
    return [(part, None) if isinstance(part, str) else part for part in key]


def _blocking_rules(columns: Iterable[str]) -> list[Any]:
    from splink import block_on

    present = set(columns) | set(REQUIRED)
    rules = []
    for key in BLOCKING_KEYS:
        parts = key_parts(key)
        if all(column in present for column, _length in parts):
            rules.append(
                block_on(
                    *(
                        column if length is None else f"substr({column}, 1, {length})"
                        for column, length in parts
                    )
                )
            )
    return rules


def settings_for(columns: Iterable[str], *, link_type: str = "dedupe_only") -> Any:
    from splink import SettingsCreator

    columns = list(columns)
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="unique_id",
        comparisons=_comparisons(columns),
        blocking_rules_to_generate_predictions=_blocking_rules(columns),
        retain_intermediate_calculation_columns=True,
        retain_matching_columns=True,
    )


def model_columns(frame: pd.DataFrame) -> list[str]:
    """The FIELDS a frame has with at least one value (required fields always)."""
    present = []
    for name in FIELDS:
        if name in REQUIRED or (name in frame.columns and frame[name].notna().any()):
            present.append(name)
    return present


# Frames up to this many rows (a search, a small batch) are cleaned in one pass over all their
# text columns together: the same pandas string operations, without their per-column cost.
_ONE_PASS_ROWS = 1000


def _clean(values: pd.Series, postcode: bool | np.ndarray) -> np.ndarray:
    """Trimmed, lower-case strings (postcodes without spaces), None for a missing or empty one."""
    values = values.astype("string").str.strip().str.lower()
    if postcode is True:
        values = values.str.replace(" ", "", regex=False)
    elif postcode is not False and postcode.any():
        values = values.where(~postcode, values.str.replace(" ", "", regex=False))
    keep = (values.notna() & (values != "")).fillna(False).to_numpy(dtype=bool)
    column = values.astype(object).to_numpy(copy=True)
    column[~keep] = None
    return column


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """Lower-case, trimmed strings; empty strings as nulls; only the model's columns and ids."""
    out = pd.DataFrame({"unique_id": frame["unique_id"].astype(str)})
    if "source_dataset" in frame.columns:
        out["source_dataset"] = frame["source_dataset"].astype(str)
    cleaned: dict[str, np.ndarray] = {}
    if len(frame) <= _ONE_PASS_ROWS:
        # Text columns only: their values convert to strings alike whichever column they are in.
        text = [
            name
            for name in FIELDS
            if name in frame.columns
            and (frame[name].dtype == object or isinstance(frame[name].dtype, pd.StringDtype))
        ]
        if text:
            values = pd.Series([value for name in text for value in frame[name].tolist()], dtype=object)
            postcode = np.repeat([name == "postcode" for name in text], len(frame))
            together = _clean(values, postcode)
            cleaned = {name: together[i * len(frame) : (i + 1) * len(frame)] for i, name in enumerate(text)}
    for name in FIELDS:
        if name not in frame.columns:
            out[name] = None
        elif name in cleaned:
            out[name] = cleaned[name]
        else:
            out[name] = _clean(frame[name], name == "postcode")
    return out


def _linker(frames: list[pd.DataFrame], settings: Any, db_api: Any = None) -> Any:
    from splink import DuckDBAPI, Linker

    db_api = db_api or DuckDBAPI()
    registered = [
        db_api.register(frame, dataset_display_name=f"input_{index}") for index, frame in enumerate(frames)
    ]
    return Linker(registered if len(registered) > 1 else registered[0], settings, log_level=SPLINK_LOG_LEVEL)


def train(
    frames: list[pd.DataFrame],
    *,
    db_api: Any = None,
    max_pairs: float = 2e6,
    seed: int = 42,
    labels: pd.DataFrame | None = None,
) -> tuple[Any, dict[str, Any]]:
    """Train a model: u by random sampling, m by EM on two blocking passes, and m from confirmed
    labels (`unique_id_l`, `unique_id_r` in frames[0]) when there are at least MIN_LABELS_FOR_M.

    Returns the linker and the model as a dict (Splink's JSON, ready to save).
    """
    from splink import block_on

    columns = model_columns(pd.concat(frames))
    link_type = "dedupe_only" if len(frames) == 1 else "link_only"
    linker = _linker(frames, settings_for(columns, link_type=link_type), db_api)
    deterministic = [block_on("first_name", "surname", "dob")]
    if "identifier" in columns:
        deterministic.append(block_on("identifier"))
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for rule in (block_on("dob"), block_on("first_name", "surname")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(rule)
        except ValueError as exc:
            # EM can drive an unobserved level's m to zero on a small or odd index; Splink then
            # refuses the value. Keep the other pass's estimates rather than fail the training.
            logger.warning("An EM pass was skipped: %s", exc)
    if labels is not None and len(labels) >= MIN_LABELS_FOR_M:
        # Reviewers' confirmed pairs (ids in frames[0]) replace EM's m estimates.
        table = linker.table_management.register_table(
            labels.assign(source_dataset_l="input_0", source_dataset_r="input_0"), "__labels", overwrite=True
        )
        linker.training.estimate_m_from_pairwise_labels(table)
    return linker, linker.misc.save_model_to_json()


def linker_from_model(frames: list[pd.DataFrame], model: dict[str, Any], *, db_api: Any = None) -> Any:
    """A linker scoring with a saved model's parameters and today's BLOCKING_KEYS (the keys the
    candidate search index reads), whatever blocking rules the model was saved with."""
    return _linker(frames, with_current_blocking(model), db_api)


def with_current_blocking(model: dict[str, Any]) -> dict[str, Any]:
    """A copy of `model` whose blocking rules for predictions are BLOCKING_KEYS' for its columns."""
    copy = json.loads(json.dumps(model))
    columns = [c["output_column_name"] for c in copy["comparisons"]]
    dialect = copy.get("sql_dialect", "duckdb")
    rules = settings_for(columns).get_settings(dialect).as_dict()["blocking_rules_to_generate_predictions"]
    copy["blocking_rules_to_generate_predictions"] = rules
    return copy


def model_for_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """The same trained model with its SQL written for another backend (e.g. "spark").

    The comparisons are rebuilt from `settings_for` for that dialect and the trained m and u
    values and prior are copied across level by level, so DuckDB and Spark score alike.
    """
    columns = [c["output_column_name"] for c in model["comparisons"]]
    rebuilt = (
        settings_for(columns, link_type=model.get("link_type", "dedupe_only")).get_settings(dialect).as_dict()
    )
    trained = {c["output_column_name"]: c["comparison_levels"] for c in model["comparisons"]}
    for comparison in rebuilt["comparisons"]:
        levels = trained[comparison["output_column_name"]]
        if len(levels) != len(comparison["comparison_levels"]):
            raise ValueError(
                f"The model's {comparison['output_column_name']} levels do not match this version"
            )
        for level, source in zip(comparison["comparison_levels"], levels, strict=True):
            for key in ("m_probability", "u_probability"):
                if key in source:
                    level[key] = source[key]
    rebuilt["probability_two_random_records_match"] = model["probability_two_random_records_match"]
    return rebuilt


def spark_session(*, cores: int = 1, memory: str = "1g") -> Any:
    """A local-mode Spark session with Splink's similarity functions (the jar ships in Splink).

    For a national-scale extract, point `SparkSession.builder.master` at a cluster instead; the
    model and the code below are the same.
    """
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master(f"local[{cores}]")
        .appName("safehub-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.driver.memory", memory)
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.default.parallelism", str(cores))
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.adaptive.enabled", "false")
        .getOrCreate()
    )


def spark_predict(
    spark: Any, frame: pd.DataFrame, model: dict[str, Any], *, threshold: float
) -> pd.DataFrame:
    """Dedupe `frame` with a trained model on Splink's Spark backend; scored pairs as pandas."""
    from splink import Linker, SparkAPI

    db_api = SparkAPI(spark_session=spark, break_lineage_method="persist")
    clean = frame.astype(object).where(frame.notna(), None)
    registered = db_api.register(spark.createDataFrame(clean), dataset_display_name="people")
    linker = Linker(registered, model_for_dialect(model, "spark"), log_level=SPLINK_LOG_LEVEL)
    return linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()


def save_model(model: dict[str, Any], path: Path, *, meta: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"safehub": meta, "splink": model}, indent=1))
    tmp.replace(path)
    return path


def load_model(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    data = json.loads(Path(path).read_text())
    return data["splink"], data.get("safehub", {})


# --- explanation ---------------------------------------------------------------------------------


@dataclass
class FieldEvidence:
    field: str
    label: str
    level: str
    weight: float  # log2 Bayes factor: > 0 for, < 0 against


@dataclass
class Explanation:
    probability: float
    match_weight: float
    fields: list[FieldEvidence] = field(default_factory=list)


def explain_row(row: dict[str, Any], model: dict[str, Any]) -> Explanation:
    """Per-field evidence for one prediction row (retain_intermediate_calculation_columns)."""
    import math

    levels = {
        comparison["output_column_name"]: {
            level.get("comparison_vector_value"): level.get("label_for_charts", "")
            for level in _levels_with_values(comparison)
        }
        for comparison in model.get("comparisons", [])
    }
    fields = []
    for name in FIELDS:
        gamma = row.get(f"gamma_{name}")
        if gamma is None or (isinstance(gamma, float) and math.isnan(gamma)):
            continue
        weight = _number(row.get(f"mw_{name}")) + _number(row.get(f"mw_tf_adj_{name}"))
        fields.append(
            FieldEvidence(name, FIELD_LABELS[name], levels.get(name, {}).get(int(gamma), str(gamma)), weight)
        )
    return Explanation(float(row["match_probability"]), float(row["match_weight"]), fields)


def _number(value: Any) -> float:
    import math

    try:
        value = float(value)
    except (TypeError, ValueError):
        return 0.0
    return 0.0 if math.isnan(value) else value


def _levels_with_values(comparison: dict[str, Any]) -> list[dict[str, Any]]:
    levels = comparison.get("comparison_levels", [])
    out = []
    value = len([lv for lv in levels if not lv.get("is_null_level")]) - 1
    for level in levels:
        level = dict(level)
        if level.get("is_null_level"):
            level["comparison_vector_value"] = -1
        else:
            level["comparison_vector_value"] = value
            value -= 1
        out.append(level)
    return out


# --- evaluation ----------------------------------------------------------------------------------


def true_pair_count(frames: list[pd.DataFrame], truth: str) -> int:
    if len(frames) == 1:
        sizes = frames[0][truth].value_counts()
        return int((sizes * (sizes - 1) // 2).sum())
    left, right = frames[0][truth].value_counts(), frames[1][truth].value_counts()
    both = left.index.intersection(right.index)
    return int((left[both] * right[both]).sum())


def evaluate(
    frames: list[pd.DataFrame], *, truth: str, threshold: float, model: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Train (unless a model is given) and score; pairwise precision, recall and F1 at threshold."""
    started = time.perf_counter()
    prepared = []
    for index, frame in enumerate(frames):
        if truth not in frame.columns:
            raise ValueError(f"The truth column {truth!r} is missing")
        normal = normalise(frame)
        normal["truth_value"] = frame[truth].astype(str).values
        if len(frames) > 1:
            normal["source_dataset"] = f"input_{index}"
        prepared.append(normal)
    inputs = [f.drop(columns=["truth_value"]) for f in prepared]
    if model is None:
        linker, model = train(inputs)
    else:
        linker = linker_from_model(inputs, model)
    scored = linker.inference.predict(threshold_match_probability=threshold).as_pandas_dataframe()
    truths = {}
    for index, frame in enumerate(prepared):
        key = f"input_{index}" if len(frames) > 1 else None
        pairs = zip(frame["unique_id"], frame["truth_value"], strict=True)
        truths.update({(key, uid): value for uid, value in pairs})

    def side(suffix: str) -> list[str]:
        ids = scored[f"unique_id_{suffix}"].astype(str)
        sources = scored[f"source_dataset_{suffix}"] if len(frames) > 1 else [None] * len(scored)
        return [truths[(source, uid)] for source, uid in zip(sources, ids, strict=True)]

    left, right = side("l"), side("r")
    true_positive = sum(1 for a, b in zip(left, right, strict=True) if a == b)
    predicted = len(scored)
    actual = true_pair_count([p.rename(columns={"truth_value": "_t"}) for p in prepared], "_t")
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    result = {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "threshold": threshold,
        "seconds": round(time.perf_counter() - started, 2),
        "records": sum(len(f) for f in frames),
        "true_pairs": actual,
        "predicted_pairs": predicted,
        "true_positives": true_positive,
    }
    if len(frames) == 1:
        result["clustered"] = _clustered_metrics(scored, prepared[0], actual)
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


def _clustered_metrics(scored: pd.DataFrame, frame: pd.DataFrame, actual: int) -> dict[str, float]:
    """Pairwise metrics after joining predicted pairs into clusters (connected components)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for left, right in zip(scored["unique_id_l"].astype(str), scored["unique_id_r"].astype(str), strict=True):
        parent[find(left)] = find(right)
    clusters = pd.DataFrame({"uid": frame["unique_id"], "truth": frame["truth_value"]})
    clusters["cluster"] = [find(uid) for uid in clusters["uid"]]
    sizes = clusters.groupby("cluster").size()
    predicted = int((sizes * (sizes - 1) // 2).sum())
    both = clusters.groupby(["cluster", "truth"]).size()
    true_positive = int((both * (both - 1) // 2).sum())
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
