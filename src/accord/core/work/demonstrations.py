"""What a demonstration's writer did, computed on the server when they submit.

The annotation keeps the final assistant text in ``response_text`` (what the SFT export and
every reader of demonstrations take) and the way it was authored in ``details``, which the
review of demonstrations reads:

- ``mode``: ``write``, ``post_edit`` or ``multi_turn``;
- post-edit: ``draft_response_id``, ``draft_model`` (when known), ``edit_distance``
  (Levenshtein, in characters, from the stored draft to the submitted text), ``diff``
  (segments, see ``core.tasks.edits``) and ``unchanged`` (the draft was submitted as it
  was: allowed, and counted in the report);
- multi-turn: ``turns``, the ``{role, content}`` turns the writer wrote after the prompt.

The distance and the diff come from the draft as stored, never from the browser, so a
writer's page cannot misstate what they changed. A post-edit task with no draft to edit
(none of its responses matches the draft rule) is written from scratch and stored as
``write``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from accord.core.errors import InvalidInput
from accord.core.projects.project import Project
from accord.core.tasks import edits
from accord.core.tasks.authoring import MULTI_TURN, POST_EDIT, WRITE, Authoring, choose_draft
from accord.core.tasks.demonstration_setup import authoring_of_task, candidates_of
from accord.core.tasks.judgments import MAX_TEXT, Judgment
from accord.core.tasks.turns import check_turns, final_text


@dataclass(frozen=True)
class Authored:
    """The annotation's final assistant text and how it came about."""

    response_text: str
    details: dict


def authored(conn: Connection, project: Project, task_id: int,
             judgment: Judgment) -> Authored:
    """Check ``judgment`` against the task's authoring mode and say what the writer did."""
    authoring = authoring_of_task(conn, project, task_id)
    if authoring.mode == MULTI_TURN:
        return _multi_turn(authoring, judgment)
    if judgment.turns is not None:
        raise InvalidInput(f'turns is for multi-turn demonstrations; this task\'s mode is '
                           f'{authoring.mode}: send the response as "response"')
    response = judgment.response or ""
    if authoring.mode == POST_EDIT:
        draft = choose_draft(authoring.draft, candidates_of(conn, task_id))
        if draft is not None:
            return Authored(response, post_edit_details(draft.id, draft.model, draft.content,
                                                        response))
    return Authored(response, {"mode": WRITE})


def post_edit_details(draft_id: str, draft_model: str | None, draft: str,
                      final: str) -> dict:
    """What a post-edit stores: the draft, the distance and the diff from it to ``final``."""
    return {
        "mode": POST_EDIT,
        "draft_response_id": draft_id,
        "draft_model": draft_model,
        "edit_distance": edits.edit_distance(draft, final),
        "diff": edits.diff(draft, final),
        "unchanged": draft == final,
    }


def _multi_turn(authoring: Authoring, judgment: Judgment) -> Authored:
    if judgment.response is not None:
        raise InvalidInput('this task is a multi-turn demonstration: send "turns" (the '
                           'assistant\'s reply first, alternating with user turns), not '
                           '"response"')
    turns = check_turns(judgment.turns, authoring.user_turns, MAX_TEXT)
    return Authored(final_text(turns), {"mode": MULTI_TURN, "turns": turns})


def stored_echo(response_text: str | None, details: dict | None) -> dict:
    """A stored demonstration as a repeated submission answers it: what the writer sent
    (``response``, or ``turns`` for a multi-turn one) and ``authoring``, the details."""
    details = details or {}
    echo: dict = {"authoring": details} if details else {}
    if details.get("mode") == MULTI_TURN:
        echo["turns"] = details.get("turns", [])
    elif response_text is not None:
        echo["response"] = response_text
    return echo
