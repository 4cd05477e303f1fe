"""The same model on Splink's Spark backend (local mode): scores agree with DuckDB.

Needs Java (Debian's openjdk) and pyspark; skipped with the reason when either is absent.
"""

import importlib.util
import logging
import shutil

import pytest

from safehub.linkage import engine, matching, synth

pytestmark = [
    pytest.mark.skipif(
        shutil.which("java") is None, reason="Spark needs Java: apt-get install default-jre-headless"
    ),
    pytest.mark.skipif(importlib.util.find_spec("pyspark") is None, reason="pyspark is not installed"),
]


def test_spark_local_mode_scores_exactly_as_duckdb():
    logging.getLogger("py4j").setLevel(logging.ERROR)  # its shutdown chatter outlives pytest's streams
    model, _meta = engine.load_model(matching.BASELINE)
    frame = engine.normalise(synth.people(120, seed=4))
    spark = engine.spark_session()
    try:
        on_spark = engine.spark_predict(spark, frame, model, threshold=0.9)
    finally:
        spark.stop()
    linker = engine.linker_from_model([frame], model)
    on_duckdb = linker.inference.predict(threshold_match_probability=0.9).as_pandas_dataframe()
    assert len(on_spark) == len(on_duckdb) > 0
    both = on_spark.merge(on_duckdb, on=["unique_id_l", "unique_id_r"], suffixes=("_spark", "_duckdb"))
    assert len(both) == len(on_duckdb)
    assert (both["match_probability_spark"] - both["match_probability_duckdb"]).abs().max() < 1e-9
