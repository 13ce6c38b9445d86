"""Agreement on public data sets equals the published values and the reference libraries.

The reference values are those of ``../shared/data/README.md``; each test also computes the
figure with the library that defines it (``krippendorff``, statsmodels, scikit-learn) from
the same data, and requires Accord's value to match it to 1e-9.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss_kappa

from accord.quality.agreement import (
    Judgments,
    category_counts,
    fleiss_kappa,
    krippendorff_alpha,
    pairwise_cohen,
    percent_agreement,
)

NMM_ALPHA = {"nominal": 0.7434, "ordinal": 0.8154, "interval": 0.8491, "ratio": 0.7974}
DIAGNOSES_FLEISS_KAPPA = 0.4302


def long_from_table(table: np.ndarray, n_categories: int | None = None) -> Judgments:
    """Judgments from an items x annotators table, NaN where an annotator gave none."""
    item, annotator = np.nonzero(~np.isnan(table))
    values = table[item, annotator]
    if n_categories is not None:
        values = values.astype(np.int64)
    return Judgments.from_arrays(item, annotator, values, n_items=table.shape[0],
                                 n_annotators=table.shape[1], n_categories=n_categories)


def long_from_answers(path: Path, numeric: bool) -> tuple[Judgments, np.ndarray]:
    """Judgments from a (question, worker, answer) CSV, and its annotators x items matrix
    (for the ``krippendorff`` package, which needs it)."""
    answers = pd.read_csv(path)
    _, item = np.unique(answers["question"], return_inverse=True)
    _, annotator = np.unique(answers["worker"].astype(str), return_inverse=True)
    if numeric:
        values = answers["answer"].to_numpy(dtype=np.float64)
    else:
        _, values = np.unique(answers["answer"], return_inverse=True)
    judgments = Judgments.from_arrays(item, annotator, values)
    matrix = np.full((judgments.n_annotators, judgments.n_items), np.nan)
    matrix[annotator, item] = values
    return judgments, matrix


@pytest.fixture
def nmm(shared_data: Path) -> np.ndarray:
    """Krippendorff's example: 12 units (rows) x 4 observers, with missing values."""
    return pd.read_csv(shared_data / "irr_classics" / "nmm.csv", index_col=0).to_numpy()


@pytest.fixture
def diagnoses(shared_data: Path) -> np.ndarray:
    """Fleiss' 30 patients x 6 psychiatrists, diagnoses as category indices."""
    table = pd.read_csv(shared_data / "irr_classics" / "diagnoses.csv", index_col=0)
    _, codes = np.unique(table.to_numpy().astype(str), return_inverse=True)
    return codes.reshape(table.shape)


@pytest.mark.parametrize("level", list(NMM_ALPHA))
def test_krippendorff_alpha_on_the_nmm_example_is_the_published_value(nmm, level):
    alpha = krippendorff_alpha(long_from_table(nmm), level)
    assert round(alpha, 4) == NMM_ALPHA[level]
    reference = krippendorff.alpha(reliability_data=nmm.T, level_of_measurement=level)
    assert abs(alpha - reference) < 1e-9


def test_fleiss_kappa_on_the_diagnoses_table_is_the_published_value(diagnoses):
    counts, _ = aggregate_raters(diagnoses)
    kappa = fleiss_kappa(counts)
    assert round(kappa, 4) == DIAGNOSES_FLEISS_KAPPA
    assert abs(kappa - statsmodels_fleiss_kappa(counts)) < 1e-9


def test_fleiss_kappa_from_long_judgments_equals_the_count_table(diagnoses):
    judgments = long_from_table(diagnoses.astype(np.float64), n_categories=5)
    counts, _ = aggregate_raters(diagnoses)
    assert np.array_equal(category_counts(judgments), counts)
    assert abs(fleiss_kappa(judgments) - statsmodels_fleiss_kappa(counts)) < 1e-9


def test_fleiss_kappa_and_alpha_on_crowdsourced_dog_labels_equal_the_references(shared_data):
    judgments, matrix = long_from_answers(
        shared_data / "crowd_truth_infer" / "s4_Dog_data" / "answer.csv", numeric=False)
    counts = category_counts(judgments)
    assert abs(fleiss_kappa(counts) - statsmodels_fleiss_kappa(counts)) < 1e-9
    reference = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert abs(krippendorff_alpha(judgments, "nominal") - reference) < 1e-9


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_alpha_on_numeric_emotion_ratings_equals_the_krippendorff_package(shared_data, level):
    judgments, matrix = long_from_answers(
        shared_data / "crowd_truth_infer" / "f201_Emotion_FULL" / "answer.csv", numeric=True)
    reference = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level)
    assert abs(krippendorff_alpha(judgments, level) - reference) < 1e-9


def test_alpha_on_sparse_rte_labels_equals_the_krippendorff_package(shared_data):
    """Snow et al.'s RTE set: 800 items, 164 workers, each item labelled by 10 of them."""
    table = pd.read_csv(shared_data / "mace" / "rte.csv", header=None).to_numpy(np.float64)
    judgments = long_from_table(table, n_categories=2)
    reference = krippendorff.alpha(reliability_data=table.T, level_of_measurement="nominal")
    assert abs(krippendorff_alpha(judgments) - reference) < 1e-9


def test_pairwise_cohen_on_rte_equals_scikit_learn_pair_by_pair(shared_data):
    table = pd.read_csv(shared_data / "mace" / "rte.csv", header=None).to_numpy(np.float64)
    judgments = long_from_table(table, n_categories=2)
    result = pairwise_cohen(judgments, min_overlap=20)
    assert len(result) > 10
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pairs without chance disagreement: NaN, as ours
        for a, b, shared, kappa in zip(result.annotator_a, result.annotator_b,
                                       result.n_shared, result.kappa, strict=True):
            both = ~np.isnan(table[:, a]) & ~np.isnan(table[:, b])
            assert both.sum() == shared
            expected = cohen_kappa_score(table[both, a], table[both, b], labels=[0, 1])
            assert kappa == pytest.approx(expected, abs=1e-12, nan_ok=True)


def test_percent_agreement_on_rte_counts_every_pair_of_labels_on_an_item(shared_data):
    table = pd.read_csv(shared_data / "mace" / "rte.csv", header=None).to_numpy(np.float64)
    agreeing = pairs = 0
    for row in table:
        labels = row[~np.isnan(row)]
        same = labels[:, None] == labels[None, :]
        agreeing += same.sum() - len(labels)
        pairs += len(labels) * (len(labels) - 1)
    judgments = long_from_table(table, n_categories=2)
    assert percent_agreement(judgments) == pytest.approx(agreeing / pairs, abs=1e-12)
