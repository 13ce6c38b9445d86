"""Training sets: split by prompt without leaks, KTO labels from decided pairs, accuracy sums.

These need ``datasets`` but not torch, so they run with the fast tests.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core.errors import InvalidInput
from accord.core.exporting.streams import snapshot
from accord.core.projects.project import get_project
from accord.exports.hygiene import prompt_key, side_of
from accord.exports.kto import kto_from_pairs
from accord.exports.preference import PREFERENCE_SCHEMA
from accord.train.accuracy import accuracy_from_scores
from accord.train.data import _split, build_split, is_eval, load_split
from tests.train.conftest import COMPARISONS, DEMONSTRATIONS, build_polite_project


def user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def answer(text: str) -> list[dict]:
    return [{"role": "assistant", "content": text}]


def pair(task: str, prompt: str, chosen: str, rejected: str, **extra) -> dict:
    return {"prompt": user(prompt), "chosen": answer(chosen), "rejected": answer(rejected),
            "margin": 1.0, "agreement": 1.0, "n_annotators": 3, "task_id": task,
            "category": "qa", "chosen_model": None, "rejected_model": None, **extra}


def digests(dataset, column: str = "prompt") -> set[str]:
    return {prompt_key(messages) for messages in dataset[column]}


@pytest.fixture
def polite_split(polite_project):
    def split(name: str, eval_share: float = 0.25):
        with snapshot(polite_project) as conn:
            return build_split(conn, get_project(conn, "polite"), name, eval_share)
    return split


def test_preference_rows_split_by_prompt_with_nothing_on_both_sides(polite_split):
    split = polite_split("preference")
    assert split.train.num_rows + split.eval_rows == COMPARISONS
    assert 0 < split.eval_rows < COMPARISONS
    assert not digests(split.train) & digests(split.eval)
    assert (split.train_prompts, split.eval_prompts) == (split.train.num_rows, split.eval_rows)
    assert {"prompt", "chosen", "rejected", "margin", "agreement", "category"} <= set(
        split.train.column_names)


def test_the_side_is_the_prompts_alone_and_the_same_every_time(polite_split):
    first, again = polite_split("preference"), polite_split("preference")
    assert first.eval["task_id"] == again.eval["task_id"]
    for messages in first.eval["prompt"]:
        assert is_eval(messages, 0.25)
        assert side_of(messages, 0.25) == "test"  # what `accord export --test-fraction` does
    for messages in first.train["prompt"]:
        assert not is_eval(messages, 0.25)
        assert side_of(messages, 0.25) == "train"
    # A larger share only moves prompts from train to eval, never back.
    wider = polite_split("preference", 0.5)
    assert digests(first.eval) <= digests(wider.eval)


def test_near_duplicate_prompts_land_on_one_side():
    texts = [f"What is {i}+{i}?" for i in range(40)]
    rows = [pair(f"t{i}", text, "a", "b") for i, text in enumerate(texts)]
    rows += [pair(f"d{i}", text.lower().replace("+", " + "), "a", "b")
             for i, text in enumerate(texts)]
    split = _split("preference", rows, PREFERENCE_SCHEMA, lambda r: r["prompt"], 0.5)
    assert split.train_prompts + split.eval_prompts == 40
    held_out = set(split.eval["task_id"])
    assert all((f"t{i}" in held_out) == (f"d{i}" in held_out) for i in range(40))


def test_every_row_of_one_prompt_lands_on_one_side():
    rows = [pair(f"t{i}", f"prompt {i % 7}", f"good {i}", f"bad {i}") for i in range(70)]
    split = _split("preference", rows, PREFERENCE_SCHEMA, lambda r: r["prompt"], 0.3)
    assert split.train_prompts + split.eval_prompts == 7
    assert not digests(split.train) & digests(split.eval)
    assert split.train.num_rows + split.eval_rows == 70


@settings(max_examples=50, deadline=None)
@given(
    prompts=st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=40),
    share=st.floats(min_value=0.0, max_value=0.95),
)
def test_splits_never_leak(prompts, share):
    rows = [pair(f"t{i}", text, "yes", "no") for i, text in enumerate(prompts)]
    split = _split("preference", rows, PREFERENCE_SCHEMA, lambda r: r["prompt"], share)
    held_out = digests(split.eval) if split.eval is not None else set()
    assert not digests(split.train) & held_out
    assert split.train.num_rows + split.eval_rows == len(rows)


def test_kto_labels_by_net_wins_as_the_export_does_and_leaves_out_an_even_middle():
    rows = [
        pair("duel", "q1", "kind", "curt"),
        pair("k3", "q2", "best", "middle"),
        pair("k3", "q2", "best", "worst"),
        pair("k3", "q2", "middle", "worst"),
    ]
    labelled = [(r["task_id"], r["completion"][0]["content"], r["label"])
                for r in kto_from_pairs(rows)]
    assert labelled == [("duel", "kind", True), ("duel", "curt", False),
                        ("k3", "best", True), ("k3", "worst", False)]
    four = [pair("k4", "q3", a, b) for a, b in
            (("w", "x"), ("w", "y"), ("w", "z"), ("x", "y"), ("x", "z"), ("y", "z"))]
    # second place wins one more pair than it loses: desirable, as in `accord export --format kto`
    assert [(r["completion"][0]["content"], r["label"]) for r in kto_from_pairs(four)] == [
        ("w", True), ("x", True), ("y", False), ("z", False)]


def test_kto_split_keeps_both_answers_to_a_prompt_on_one_side(polite_split):
    split = polite_split("kto")
    assert split.train.num_rows + split.eval_rows == 2 * COMPARISONS
    assert sum(split.train["label"]) * 2 == split.train.num_rows
    assert not digests(split.train) & digests(split.eval)


def test_sft_splits_on_the_messages_before_the_answer(polite_split):
    split = polite_split("sft", 0.5)
    assert split.train.num_rows + split.eval_rows == 3 * DEMONSTRATIONS
    assert split.train_prompts + split.eval_prompts == DEMONSTRATIONS
    train_prompts = {prompt_key(m[:-1]) for m in split.train["messages"]}
    held_out = {prompt_key(m[:-1]) for m in split.eval["messages"]}
    assert not train_prompts & held_out


def test_grpo_prompts_are_distinct(polite_split):
    split = polite_split("prompts")
    assert split.train.column_names == ["prompt", "category"]
    assert len(digests(split.train)) == split.train.num_rows == split.train_prompts


def test_a_project_without_pairs_is_one_clear_error(sqlite_engine):
    build_polite_project(sqlite_engine, comparisons=0, demonstrations=1)
    with pytest.raises(InvalidInput, match='project "polite" has no decided preference pairs'):
        load_split(sqlite_engine, "polite", "preference", 0.1)
    with pytest.raises(InvalidInput, match="eval share"):
        load_split(sqlite_engine, "polite", "sft", 1.0)


def test_accuracy_counts_ties_as_wrong_and_groups_by_category_and_agreement():
    report = accuracy_from_scores(
        chosen=[2.0, 1.0, 0.5, 3.0], rejected=[1.0, 1.0, 0.9, -1.0],
        categories=["qa", "qa", "coding", "coding"], agreements=[1.0, 2 / 3, 2 / 3, 1.0],
    )
    assert (report.eval_pairs, report.accuracy) == (4, 0.5)
    assert report.human_agreement == pytest.approx(5 / 6)
    assert {k: (v.pairs, v.accuracy) for k, v in report.by_category.items()} == {
        "coding": (2, 0.5), "qa": (2, 0.5)}
    assert {k: (v.pairs, v.accuracy) for k, v in report.by_agreement.items()} == {
        "0.67": (2, 0.0), "1.00": (2, 1.0)}
    assert accuracy_from_scores([], [], [], []).as_dict() == {
        "eval_pairs": 0, "accuracy": None, "human_agreement": None, "by_category": {},
        "by_agreement": {}}


def test_accord_and_its_train_command_load_without_torch():
    """The core package and the CLI must work where the train extra is not installed."""
    probe = ("import sys, accord.cli.main, accord.train.data, accord.train.models; "
             "print(sorted(m for m in ('torch', 'trl', 'transformers') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                           check=True)
    assert found.stdout.strip() == "[]"
