"""The SFT export of multi-turn demonstrations: the prompt's conversation followed by every
turn its writer wrote, in TRL's conversational format; single-turn ones as before."""

from __future__ import annotations

import pytest
from trl.data_utils import is_conversational

from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.types import utcnow
from accord.exports import export
from tests.demonstration_helpers import accept_every_demonstration
from tests.exports.conftest import read_rows
from tests.factories import import_lines, make_project, make_user

PROMPT = [{"role": "user", "content": "Hi!"},
          {"role": "assistant", "content": "Hello."},
          {"role": "user", "content": "Weather in Oslo?"}]
TURNS = [{"role": "assistant", "content": "Mild."},
         {"role": "user", "content": "And in winter?"},
         {"role": "assistant", "content": "Cold."}]


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_a_multi_turn_demonstration_exports_the_whole_conversation(engine, tmp_path, suffix):
    project = make_project(engine, overlap=1)
    import_lines(engine, project,
                 {"id": "m-1", "kind": "demonstration", "messages": PROMPT, "priority": 1,
                  "demonstration": {"mode": "multi_turn", "user_turns": ["And in winter?"]}},
                 {"id": "w-1", "kind": "demonstration", "prompt": "Say hi."})
    writer = make_user(engine, "wri", project=project, roles=("annotator",)).user
    for judgment in (Judgment(turns=TURNS), Judgment(response="Hi.")):
        with engine.begin() as conn:
            claim = claims.claim_next(conn, project, writer, utcnow())
            assert claim is not None
            submissions.submit(conn, writer, claim.assignment_id, judgment, utcnow())
    editor = make_user(engine, "editor", project=project, roles=("reviewer",)).user
    accept_every_demonstration(engine, project, editor)
    out = tmp_path / f"sft{suffix}"
    export(engine, "prefs", "sft", out)
    rows = read_rows(out)
    assert [row["reviewers"] for row in rows] == [["editor"], ["editor"]]
    assert [{k: row[k] for k in ("messages", "task_id", "annotator")} for row in rows] == [
        {"messages": PROMPT + TURNS, "task_id": "m-1", "annotator": "wri"},
        {"messages": [{"role": "user", "content": "Say hi."},
                      {"role": "assistant", "content": "Hi."}],
         "task_id": "w-1", "annotator": "wri"},
    ]
    assert all(is_conversational(row) for row in rows)
