"""Dawid-Skene and majority vote on real crowd labels, against crowd-kit and ground truth.

The data sets are those of ``../shared/data/README.md``; each test computes crowd-kit's
figure on the same labels and asserts that Accord's estimate is at least as accurate.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from crowdkit.aggregation import DawidSkene

from accord.quality.reliability import dawid_skene, majority_vote

# crowd-kit 1.4.2 uses pandas keywords that pandas 3 deprecates; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::pandas.errors.Pandas4Warning")

# data set -> (reader, published majority-vote accuracy, published crowd-kit DS accuracy)
REFERENCES = {
    "d_jn-product": ("crowd_truth_infer", 0.8966, 0.9397),
    "s4_Dog_data": ("crowd_truth_infer", 0.8178, 0.8426),
    "d_Duck_Identification": ("crowd_truth_infer", 0.7593, 0.8889),
    "rte": ("mace", 0.9188, 0.9275),
}


def read_crowd_truth_infer(folder: Path) -> tuple[pd.DataFrame, pd.Series]:
    """``answer.csv`` (question, worker, answer) and ``truth.csv`` (question, truth)."""
    answers = pd.read_csv(folder / "answer.csv")
    truth = pd.read_csv(folder / "truth.csv").set_index("question")["truth"]
    return answers.rename(columns={"question": "task", "answer": "label"}), truth


def read_mace(folder: Path, name: str) -> tuple[pd.DataFrame, pd.Series]:
    """``NAME.csv``: a row per item, a column per worker, empty cells for no label;
    ``NAME.key``: the gold label of each row."""
    grid = pd.read_csv(folder / f"{name}.csv", header=None, dtype="Int64")
    long = grid.stack().dropna().reset_index()
    long.columns = ["task", "worker", "label"]
    truth = pd.read_csv(folder / f"{name}.key", header=None)[0]
    return long.astype({"label": "int64"}), truth


def load(shared_data: Path, name: str) -> tuple[pd.DataFrame, pd.Series]:
    source = REFERENCES[name][0]
    if source == "mace":
        return read_mace(shared_data / "mace", name)
    return read_crowd_truth_infer(shared_data / source / name)


def accord_labels(answers: pd.DataFrame, fit) -> pd.Series:
    """Fit Accord's estimator on dense codes of the answers; labels indexed by task name."""
    items, tasks = pd.factorize(answers["task"])
    workers, _ = pd.factorize(answers["worker"])
    labels, classes = pd.factorize(answers["label"], sort=True)
    result = fit(items, workers, labels)
    return pd.Series(classes[result.labels], index=tasks)


def accuracy(predicted: pd.Series, truth: pd.Series) -> float:
    return float((predicted.reindex(truth.index) == truth).mean())


@pytest.mark.parametrize("name", list(REFERENCES))
def test_dawid_skene_is_at_least_as_accurate_as_crowd_kit(shared_data, name):
    answers, truth = load(shared_data, name)
    theirs = accuracy(DawidSkene(n_iter=100).fit_predict(answers), truth)
    ours = accuracy(accord_labels(answers, dawid_skene), truth)
    assert theirs == pytest.approx(REFERENCES[name][2], abs=5e-5)
    assert ours >= theirs - 1e-9


@pytest.mark.parametrize("name", list(REFERENCES))
def test_majority_vote_matches_the_published_accuracy(shared_data, name):
    answers, truth = load(shared_data, name)
    ours = accuracy(accord_labels(answers, majority_vote), truth)
    assert ours == pytest.approx(REFERENCES[name][1], abs=1e-4)


@pytest.mark.parametrize("name", list(REFERENCES))
def test_dawid_skene_beats_majority_vote_on_real_crowds(shared_data, name):
    answers, truth = load(shared_data, name)
    assert (accuracy(accord_labels(answers, dawid_skene), truth)
            > accuracy(accord_labels(answers, majority_vote), truth))


def test_crowd_kit_and_accord_agree_when_run_the_same_number_of_steps(shared_data):
    """With crowd-kit's iteration count and a vanishing pseudo-count, the fits coincide."""
    answers, truth = load(shared_data, "s4_Dog_data")
    reference = DawidSkene(n_iter=100)
    theirs = reference.fit_predict(answers)
    steps = len(reference.loss_history_)
    ours = accord_labels(answers, lambda i, w, y: dawid_skene(
        i, w, y, max_iter=steps, tol=0.0, smoothing=1e-10))
    assert (ours.reindex(theirs.index) == theirs).all()
    assert np.isclose(accuracy(ours, truth), accuracy(theirs, truth))
