"""Diversity monitor: annotations over consented profile attributes."""

from __future__ import annotations

import numpy as np
import pytest

from accord.quality.monitors import NOT_SHARED, diversity


def test_annotations_of_people_who_did_not_consent_count_as_not_shared():
    # annotator 0 (eu, consented) 2 annotations, 1 (asia, consented) 1, 2 (eu, no consent) 1
    result = diversity([0, 0, 1, 2], {"region": ["eu", "asia", "eu"]}, [True, True, False])
    region = result.attributes["region"]
    assert region.values == ("asia", "eu", NOT_SHARED)
    assert region.counts.tolist() == [1, 2, 1]
    assert region.shares.tolist() == [0.25, 0.5, 0.25]
    assert region.shared == 3
    entropy = -(2 / 3 * np.log(2 / 3) + 1 / 3 * np.log(1 / 3))
    assert region.effective_groups == pytest.approx(np.exp(entropy))
    assert region.evenness == pytest.approx(entropy / np.log(2))
    (alert,) = result.alerts  # eu: 2 of the 3 shared annotations
    assert (alert.severity, alert.annotator) == ("info", None)
    assert alert.statistic == pytest.approx(2 / 3)


def test_blank_values_are_not_shared_and_an_even_split_raises_nothing():
    result = diversity([0, 1, 2, 3], {"age": ["18-29", "30-44", None, ""]}, [True] * 4,
                       max_not_shared=0.6)
    age = result.attributes["age"]
    assert age.counts.tolist() == [1, 1, 2]
    assert age.effective_groups == pytest.approx(2.0)
    assert age.evenness == pytest.approx(1.0)
    assert result.alerts == []


def test_mostly_undisclosed_annotations_raise_an_informational_alert():
    result = diversity([0, 1, 2], {"region": ["eu", "asia", "africa"]}, [True, False, False])
    messages = [a.message for a in result.alerts]
    assert any("did not share their region" in m for m in messages)
    assert result.attributes["region"].evenness != result.attributes["region"].evenness  # NaN


def test_attribute_values_must_cover_the_pool():
    with pytest.raises(ValueError, match="attribute 'region' has 2 values, expected 3"):
        diversity([0], {"region": ["eu", "asia"]}, [True, True, True])
