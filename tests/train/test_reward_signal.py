"""A reward model trained by ``accord train reward`` as the signal of ``accord suspects`` and
``accord prioritize --by reward-model``."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from sqlalchemy import select

from accord.core.curation.priorities import prioritize
from accord.core.curation.suspects import find_suspects
from accord.core.errors import InvalidInput
from accord.core.projects.project import get_project
from accord.core.report import build_report
from accord.db.tables import tasks
from accord.db.types import utcnow
from accord.quality.selection import indifference
from accord.train.reward_scores import RewardModelSignal
from accord.train.run import TrainSettings, train
from tests.factories import add_comparison
from tests.train.conftest import polite, rude

pytestmark = pytest.mark.slow

FAST = TrainSettings(batch_size=8, logging_steps=1, eval_share=0.25, seed=0,
                     activation_checkpointing=False)


@pytest.fixture
def reward_model(polite_project, tiny_model, tmp_path):
    out = tmp_path / "rm"
    train(polite_project, "polite", "reward", tiny_model, out,
          replace(FAST, steps=30, learning_rate=1e-3))
    return out


def test_the_reward_model_prefers_the_polite_answers_and_doubts_few(polite_project,
                                                                    reward_model):
    with polite_project.begin() as conn:
        build_report(conn, get_project(conn, "polite"), utcnow())
    signal = RewardModelSignal(reward_model)
    with polite_project.begin() as conn:
        run = find_suspects(conn, None, "polite", signal, 100, now=utcnow())
    assert run.signal == f"reward-model:{reward_model}"
    assert run.settled_pairs == run.signalled_pairs == 96
    # The consensus is always the polite answer, and the model learnt to prefer it: it
    # doubts far fewer labels than it keeps.
    assert run.issues < run.settled_pairs / 4
    assert all(0 <= s.signal_probability < 0.5 for s in run.suspects)


def test_reward_model_priorities_put_the_smallest_margin_first(polite_project, reward_model):
    with polite_project.begin() as conn:
        project = get_project(conn, "polite")
        add_comparison(conn, project, "open-clear",
                       contents={"a": polite(1), "b": rude(2)})
        add_comparison(conn, project, "open-close",
                       contents={"a": polite(3), "b": polite(4)})
    signal = RewardModelSignal(reward_model)
    with polite_project.begin() as conn:
        run = prioritize(conn, None, "polite", "reward-model", signal, now=utcnow())
        stored = dict(conn.execute(select(tasks.c.external_id, tasks.c.priority)
                                   .where(tasks.c.status == "open")).all())
    rewards = signal.rewards([
        [{"role": "user", "content": f"question {name}"}, {"role": "assistant", "content": t}]
        for name, pair in (("open-clear", (polite(1), rude(2))),
                           ("open-close", (polite(3), polite(4))))
        for t in pair])
    margins = rewards[0::2] - rewards[1::2]
    wanted = np.rint(indifference(1 / (1 + np.exp(-margins))) * 1000).astype(int).tolist()
    assert [stored["open-clear"], stored["open-close"]] == wanted
    assert run.changed == sum(1 for w in wanted if w != 0)


def test_a_folder_without_a_model_is_one_clear_error(tmp_path):
    with pytest.raises(InvalidInput, match=r'reward-model ".*none" is not a directory'):
        RewardModelSignal(tmp_path / "none")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InvalidInput, match=r"holds no config\.json"):
        RewardModelSignal(tmp_path / "empty")
