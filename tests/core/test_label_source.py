"""Where each task's label comes from: AI and human labels are never counted together."""

from __future__ import annotations

import pytest

from accord.core.exporting.label_source import label_source


@pytest.mark.parametrize(("kinds", "method", "adjudicated", "source"), [
    ({"human"}, None, False, "human"),
    ({"human", "ai"}, "bradley_terry_weighted", False, "human"),
    ({"ai"}, None, False, "ai"),
    ({"ai"}, "ai_judge", False, "ai_judge"),
    ({"human", "ai"}, "ai_judge", False, "ai_judge"),
    ({"human"}, "adjudicated", False, "adjudicated"),
    ({"human"}, None, True, "adjudicated"),
    ({"imported", "ai"}, None, False, "imported"),
    ({"imported", "human"}, None, False, "mixed"),
    (set(), None, False, None),
])
def test_the_label_source_of_a_task(kinds, method, adjudicated, source):
    assert label_source(kinds, method, adjudicated) == source

