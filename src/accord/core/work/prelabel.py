"""Pre-labelling with a control arm: an AI judge's ranking offered as a suggestion on a
seeded random share of assignments, and what people did with it.

```json
{"prelabel": {"judge": "judge-gpt", "show_rate": 0.5, "seed": 7}}
```

Showing people a model's answer saves time and anchors them to it (Tversky & Kahneman 1974;
for annotation, e.g. the "automation bias" of pre-annotation studies): agreement with the
model rises whether or not the model is right. Only a randomised control arm tells the two
apart, so each claim of a comparison task draws its arm before anything is shown:

- the draw is ``u = sha256(seed, task id, annotator id)`` read as a number in [0, 1), so it
  is reproducible and auditable (anyone with the seed recomputes every arm) and no claim's
  arm depends on the order of claims;
- the judge's ranking of the task is read; if the judge has not judged the task the arm is
  ``unavailable`` (neither arm: counting it as control would mix "no judgment yet" tasks,
  which may be harder, into the baseline); else ``shown`` when ``u < show_rate``, else
  ``control``, where the ranking is kept but withheld, so agreement with the AI is measured
  in both arms against the same rankings.

At submit the submitted ranking is compared with the judge's (``matches_suggestion``), and
on the shown arm ``accepted`` records that the one-key accept took the suggestion and the
annotator submitted it unchanged. Gold and calibration tasks draw nothing: they measure the
person alone. The report's ``prelabel`` section reads these rows (``core.report.prelabel``).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from accord.core.errors import InvalidInput
from accord.core.people.users import NAME_PATTERN
from accord.core.projects.project import Project
from accord.core.tasks.view import Suggestion
from accord.db import raw
from accord.db.raw import Statement

SETTING = "prelabel"
FIELDS = ("judge", "show_rate", "seed")
MAX_SEED = 2**63 - 1


@dataclass(frozen=True)
class PrelabelRule:
    """Which judge's rankings are suggested, on what share of assignments, drawn how."""

    judge: str
    show_rate: float
    seed: int = 0

    def as_setting(self) -> dict:
        return {"judge": self.judge, "show_rate": self.show_rate, "seed": self.seed}


def check_setting(value: Any) -> dict | None:
    """The ``prelabel`` setting checked and normalised; None turns pre-labelling off."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InvalidInput(f"prelabel must be an object with judge, show_rate and seed "
                           f"(or null), not {value!r}")
    unknown = sorted(set(value) - set(FIELDS))
    if unknown:
        raise InvalidInput(f"prelabel.{unknown[0]} is not a field; the fields are "
                           + ", ".join(FIELDS))
    judge = value.get("judge")
    if not isinstance(judge, str) or not NAME_PATTERN.match(judge):
        raise InvalidInput(f"prelabel.judge must name an AI judge (letters, digits and "
                           f". _ @ -), not {judge!r}")
    rate = value.get("show_rate")
    if (not isinstance(rate, int | float) or isinstance(rate, bool)
            or not math.isfinite(rate) or not 0 <= rate <= 1):
        raise InvalidInput(f"prelabel.show_rate must be a number from 0 to 1, not {rate!r}")
    seed = value.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
        raise InvalidInput(f"prelabel.seed must be a whole number from 0 to {MAX_SEED}, "
                           f"not {seed!r}")
    return PrelabelRule(judge, float(rate), seed).as_setting()


def rule_of(project: Project) -> PrelabelRule | None:
    """The project's rule, or None when pre-labelling is off (or hand-edited into nonsense:
    then nothing is shown rather than a guess)."""
    stored = project.settings.get(SETTING)
    if not stored:
        return None
    try:
        checked = check_setting(stored)
    except InvalidInput:
        return None
    return None if checked is None else PrelabelRule(**checked)


_JUDGE = Statement("SELECT id FROM users WHERE name = :judge AND kind = 'ai'")


def check_judge(conn: Connection, project: Project, setting: dict | None) -> None:
    """Refuse a setting whose judge is not an AI judge of the project."""
    if setting is None:
        return
    found = raw.execute(conn, _JUDGE, {"judge": setting["judge"]}).fetchone()
    member = found is not None and raw.execute(conn, _MEMBER, {
        "project_id": project.id, "user_id": found[0]}).fetchone() is not None
    if not member:
        raise InvalidInput(f'prelabel.judge: project "{project.name}" has no AI judge '
                           f'"{setting["judge"]}"; run accord judge {project.name} --judge '
                           f'{setting["judge"]} first')


_MEMBER = Statement("SELECT 1 FROM memberships WHERE project_id = :project_id "
                    "AND user_id = :user_id AND role = 'annotator'")


def draw(seed: int, task_external_id: str, annotator_id: int) -> float:
    """The assignment's uniform draw in [0, 1): 53 bits of a SHA-256, as ``random`` makes a
    float, so every arm can be recomputed from the seed."""
    digest = hashlib.sha256(f"prelabel\x1f{seed}\x1f{task_external_id}\x1f{annotator_id}"
                            .encode()).digest()
    return (int.from_bytes(digest[:8], "big") >> 11) / float(1 << 53)


_JUDGMENT = Statement(
    "SELECT u.id, an.ranking FROM users u LEFT JOIN annotations an "
    "ON an.annotator_id = u.id AND an.task_id = :task_id "
    "WHERE u.name = :judge AND u.kind = 'ai'"
)
_INSERT = Statement(
    "INSERT INTO prelabel_draws (assignment_id, project_id, judge_id, draw, arm, suggestion) "
    "VALUES (:assignment_id, :project_id, :judge_id, :draw, :arm, :suggestion)"
)


def on_claim(conn: Connection, project: Project, rule: PrelabelRule, assignment_id: int,
             task_id: int, task_external_id: str, annotator_id: int) -> Suggestion | None:
    """Draw and record the new assignment's arm; the suggestion to show, if any."""
    found = raw.execute(conn, _JUDGMENT, {"task_id": task_id, "judge": rule.judge}).fetchone()
    if found is None:
        return None  # the judge was removed since the setting was written: nothing to draw
    judge_id, stored = found
    ranking = raw.read_json(stored) if stored is not None else None
    u = draw(rule.seed, task_external_id, annotator_id)
    arm = "unavailable" if ranking is None else "shown" if u < rule.show_rate else "control"
    raw.execute(conn, _INSERT, {
        "assignment_id": assignment_id, "project_id": project.id, "judge_id": judge_id,
        "draw": u, "arm": arm, "suggestion": raw.json_param(ranking)})
    return Suggestion(rule.judge, ranking) if arm == "shown" and ranking else None


_SHOWN = Statement(
    "SELECT u.name, d.suggestion FROM prelabel_draws d JOIN users u ON u.id = d.judge_id "
    "WHERE d.assignment_id = :assignment_id AND d.arm = 'shown'"
)


def shown_suggestion(conn: Connection, assignment_id: int) -> Suggestion | None:
    """The suggestion an assignment was drawn to show (when its lease is resumed)."""
    row = raw.execute(conn, _SHOWN, {"assignment_id": assignment_id}).fetchone()
    return None if row is None else Suggestion(row[0], raw.read_json(row[1]))


def same_ranking(one: list[list[str]] | None, other: list[list[str]] | None) -> bool:
    """Whether two rankings say the same: the same tie groups in the same order."""
    if one is None or other is None:
        return False
    return [sorted(group) for group in one] == [sorted(group) for group in other]


_DRAWN = Statement(
    "SELECT arm, suggestion FROM prelabel_draws WHERE assignment_id = :assignment_id")
_SUBMITTED = Statement(
    "UPDATE prelabel_draws SET matches_suggestion = :matches, accepted = :accepted "
    "WHERE assignment_id = :assignment_id"
)


def on_submit(conn: Connection, assignment_id: int, ranking: list[list[str]] | None,
              accepted_by_key: bool) -> None:
    """Record whether the submitted ranking equals the judge's, and whether it was the
    suggestion accepted by its key (and not changed after)."""
    row = raw.execute(conn, _DRAWN, {"assignment_id": assignment_id}).fetchone()
    if row is None or row[1] is None:
        return
    matches = same_ranking(ranking, raw.read_json(row[1]))
    raw.execute(conn, _SUBMITTED, {
        "assignment_id": assignment_id, "matches": matches,
        "accepted": row[0] == "shown" and accepted_by_key and matches})
