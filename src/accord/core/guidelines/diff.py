"""What changed between two guideline versions, for annotators coming back to work.

The text is compared line by line (``difflib``, the unified format's hunks, a little
context); the structured parts by name: dimensions added, removed or redefined (scale or
definition), the priority order when it moved, edge cases and escalation rules by title,
worked examples by title. The base is the version the annotator last worked under (the
version recorded with their newest annotation in the project); if that is the current one,
or they never worked, the version before the current one.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from accord.core.errors import InvalidInput
from accord.core.guidelines.drafts import GuidelineVersion, all_versions, stored_version
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import Project, project_for_member
from accord.db.tables import annotations, guideline_versions

CONTEXT_LINES = 2


@dataclass(frozen=True)
class TextLine:
    kind: str
    """``hunk`` (a ``@@`` header), ``added``, ``removed`` or ``context``."""
    text: str


@dataclass(frozen=True)
class Changed:
    """One named part whose content changed: what it said, what it says now."""

    name: str
    before: str
    after: str


@dataclass(frozen=True)
class PartChanges:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class GuidelineDiff:
    base: int | None
    """The older version's number (None: compared with nothing, the first version)."""
    target: int
    why: str
    """Why this base: ``last worked under``, ``previous version`` or ``requested``."""
    text: list[TextLine]
    dimensions: PartChanges
    priority: tuple[list[str], list[str]] | None
    """(before, after) when the order of the dimensions that exist in both changed."""
    edge_cases: PartChanges
    escalation_rules: PartChanges
    examples: PartChanges
    change_note: str
    requires_recalibration: bool

    @property
    def unchanged(self) -> bool:
        return not (self.text or self.dimensions.any or self.priority or self.edge_cases.any
                    or self.escalation_rules.any or self.examples.any)


def text_diff(before: str, after: str) -> list[TextLine]:
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="",
                                 n=CONTEXT_LINES)
    result = []
    for line in lines:
        if line.startswith(("---", "+++")):
            continue
        kind = {"@": "hunk", "+": "added", "-": "removed"}.get(line[:1], "context")
        result.append(TextLine(kind, line if kind == "hunk" else line[1:]))
    return result


def _by_name(items: list[dict[str, Any]], key: str, render) -> dict[str, str]:
    named: dict[str, str] = {}
    for i, item in enumerate(items):
        name = str(item.get(key) or "") or f"untitled {i + 1}"
        named[name] = render(item)
    return named


def _compare(before: dict[str, str], after: dict[str, str]) -> PartChanges:
    return PartChanges(
        added=[n for n in after if n not in before],
        removed=[n for n in before if n not in after],
        changed=[Changed(n, before[n], after[n]) for n in after
                 if n in before and before[n] != after[n]],
    )


def _dimension(d: dict[str, Any]) -> str:
    scale = f"scale {d['min']} to {d['max']}"
    return f"{scale}: {d['definition']}" if d.get("definition") else scale


def _example(e: dict[str, Any]) -> str:
    task = f"task {e['task']}, " if e.get("task") else ""
    return f"{task}better {e.get('better_response') or '?'}: {e.get('explanation', '')}"


def diff(base: GuidelineVersion | None, target: GuidelineVersion, why: str) -> GuidelineDiff:
    old = base.document if base else None
    new = target.document
    before_dims = old.dimensions if old else []
    common_before = [n for n in (old.priority if old else []) if n in new.priority]
    common_after = [n for n in new.priority if n in common_before]
    return GuidelineDiff(
        base=base.version if base else None, target=target.version, why=why,
        text=text_diff(old.text if old else "", new.text),
        dimensions=_compare(_by_name(before_dims, "name", _dimension),
                            _by_name(new.dimensions, "name", _dimension)),
        priority=(common_before, common_after) if common_before != common_after else None,
        edge_cases=_compare(_by_name(old.edge_cases if old else [], "title", _text),
                            _by_name(new.edge_cases, "title", _text)),
        escalation_rules=_compare(_by_name(old.escalation_rules if old else [], "title", _text),
                                  _by_name(new.escalation_rules, "title", _text)),
        examples=_compare(_by_name(old.examples if old else [], "title", _example),
                          _by_name(new.examples, "title", _example)),
        change_note=new.change_note, requires_recalibration=new.requires_recalibration,
    )


def _text(entry: dict[str, Any]) -> str:
    return str(entry.get("text", ""))


def last_worked_version(conn: Connection, project_id: int, user_id: int) -> int | None:
    """The guideline version recorded with the person's newest annotation in the project."""
    return conn.execute(
        select(guideline_versions.c.version)
        .join(annotations, annotations.c.guideline_version_id == guideline_versions.c.id)
        .where(annotations.c.project_id == project_id, annotations.c.annotator_id == user_id)
        .order_by(annotations.c.id.desc()).limit(1)
    ).scalar_one_or_none()


def changes(conn: Connection, user: User, project_name: str, *, since: int | None = None,
            target: int | None = None) -> GuidelineDiff | None:
    """What changed from ``since`` (default: as the module docstring says) to ``target``
    (default: the current version); None when nothing is published and no target is named.
    Drafts may be compared only by managers."""
    project, roles = project_for_member(conn, project_name, user)
    return between(conn, project, since=since, target=target,
                   drafts=access.can_manage(user, roles),
                   worked=last_worked_version(conn, project.id, user.id))


def between(conn: Connection, project: Project, *, since: int | None, target: int | None,
            drafts: bool, worked: int | None = None) -> GuidelineDiff | None:
    """The diff for ``project`` (``worked``: the caller's last version, if any)."""
    published = [v.version for v in all_versions(conn, project, drafts=False)]
    if not published and target is None:
        return None
    new = stored_version(conn, project, target if target is not None else published[0],
                         drafts=drafts)
    if since is not None:
        if since == new.version:
            raise InvalidInput(f"compare two different versions, not {since} with itself")
        return diff(stored_version(conn, project, since, drafts=drafts), new, "requested")
    if worked is not None and worked < new.version and worked in published:
        return diff(stored_version(conn, project, worked, drafts=False), new, "last worked under")
    older = [v for v in published if v < new.version]
    base = stored_version(conn, project, older[0], drafts=False) if older else None
    return diff(base, new, "previous version")


def as_dict(changes: GuidelineDiff) -> dict[str, Any]:
    """The diff as JSON for the API and ``accord guideline diff --json``."""
    def part(p: PartChanges) -> dict[str, Any]:
        return {"added": p.added, "removed": p.removed,
                "changed": [{"name": c.name, "before": c.before, "after": c.after}
                            for c in p.changed]}

    return {
        "from": changes.base, "to": changes.target, "why": changes.why,
        "text": [{"kind": line.kind, "text": line.text} for line in changes.text],
        "dimensions": part(changes.dimensions),
        "priority": None if changes.priority is None else
        {"before": changes.priority[0], "after": changes.priority[1]},
        "edge_cases": part(changes.edge_cases),
        "escalation_rules": part(changes.escalation_rules),
        "examples": part(changes.examples),
        "change_note": changes.change_note,
        "requires_recalibration": changes.requires_recalibration,
    }
