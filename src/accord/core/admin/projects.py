"""Projects created, their settings changed, archived and brought back: one function each,
called by ``POST/PATCH /api/v1/projects…`` and by ``accord project create/set/archive``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text, update

from accord.core.admin import conflicts
from accord.core.admin import settings as project_settings
from accord.core.admin.authority import Actor, managed_project, record, require_admin
from accord.core.errors import Conflict, InvalidInput
from accord.core.projects import project as project_rules
from accord.core.projects.mix import with_mix
from accord.core.projects.project import Project, get_project
from accord.core.tasks.queue import queue_after
from accord.core.work import prelabel
from accord.core.work import rules as work_rules
from accord.core.work.overlap_rule import SECTION as OVERLAP_SECTION
from accord.db.tables import projects, tasks

CREATE_DEFAULTS: dict[str, Any] = {
    "description": "", "overlap": 3, "lease_seconds": 900, "ranking_mode": "pairwise",
    "allow_ties": False, "require_rationale": False, "dimensions": [],
    "agreement_threshold": 0.5, "gold_rate": 0.0, "budget": None, "harm_categories": None,
    "rules": {}, "demonstration": None, "prelabel": None, "mix": {}, "agreement_target": None,
}
"""The defaults of ``accord project create`` and ``POST /api/v1/projects`` alike."""


def rules_in_force(project: Project) -> dict:
    """The project's work rules as their JSON sections (rules that are off left out)."""
    return work_rules.as_settings(work_rules.rules_of(project))


def create(conn: Connection, actor: Actor, name: str, given: dict[str, Any],
           now: datetime) -> Project:
    """A new project with ``given`` settings over the defaults (administrators only)."""
    require_admin(actor, "creating a project")
    if "overlap" in given and (given.get("rules") or {}).get(OVERLAP_SECTION) is not None:
        raise InvalidInput("overlap and rules.overlap cannot both be given: under adaptive "
                           "overlap the rule's min is the project's overlap")
    values = project_settings.check({**CREATE_DEFAULTS, **given})
    project = project_rules.create_project(
        conn, name, **{k: values[k] for k in project_settings.COLUMNS},
        dimensions=values["dimensions"])
    stored = {k: values[k] for k in project_settings.IN_SETTINGS if values[k] is not None}
    if stored or values["mix"]:
        conn.execute(update(projects).where(projects.c.id == project.id).values(
            settings=with_mix({**project.settings, **stored}, values["mix"])))
    if values["rules"]:
        work_rules.update_rules(conn, name, changes=values["rules"])
    if values["prelabel"] is not None:
        _set_prelabel(conn, get_project(conn, name), values["prelabel"])
    project = get_project(conn, name)
    record(conn, actor, "project.created", name, now, project=project,
           settings={k: project_settings.current(project, k)
                     for k in project_settings.EDITABLE})
    return project


def change(conn: Connection, actor: Actor, name: str, changes: dict[str, Any],
           now: datetime) -> Project:
    """Change the settings named in ``changes`` (managers and administrators); the others
    keep their value. Checked whole against the stored work before anything is written."""
    project = managed_project(conn, actor, name, "changing the settings")
    values = project_settings.check(changes)
    conflicts.check(conn, project, values)
    columns = {k: v for k, v in values.items() if k in project_settings.COLUMNS}
    if "dimensions" in values:
        columns["dimensions"] = [d.as_dict() for d in values["dimensions"]]
    in_settings = [k for k in project_settings.IN_SETTINGS if k in values]
    if in_settings:
        kept = {k: v for k, v in project.settings.items() if k not in in_settings}
        chosen = {k: values[k] for k in in_settings if values[k] is not None}
        columns["settings"] = {**kept, **chosen}
    if "mix" in values:
        columns["settings"] = with_mix(columns.get("settings", project.settings),
                                       values["mix"])
    if columns:
        conn.execute(update(projects).where(projects.c.id == project.id).values(**columns))
    if "rules" in values:
        work_rules.update_rules(conn, name, changes=values["rules"])
    if "prelabel" in values:
        _set_prelabel(conn, get_project(conn, name), values["prelabel"])
    if values.get("overlap", project.overlap) > project.overlap:
        _widen_open_tasks(conn, project, values["overlap"])
    changed = get_project(conn, name)
    record(conn, actor, "project.settings_changed", name, now, project=changed,
           before={k: project_settings.current(project, k) for k in values},
           after={k: project_settings.current(changed, k) for k in values})
    return changed


def _set_prelabel(conn: Connection, project: Project, setting: dict | None) -> None:
    """Store the pre-labelling setting (None turns it off); its judge must judge here."""
    prelabel.check_judge(conn, project, setting)
    kept = {k: v for k, v in project.settings.items() if k != prelabel.SETTING}
    conn.execute(update(projects).where(projects.c.id == project.id).values(
        settings=kept if setting is None else {**kept, prelabel.SETTING: setting}))


def _widen_open_tasks(conn: Connection, project: Project, overlap: int) -> None:
    """Open tasks want the new overlap too; a full one goes back to the queue. A task that
    adaptive overlap already took past it keeps its larger target."""
    conn.execute(
        update(tasks)
        .where(tasks.c.project_id == project.id, tasks.c.status == "open",
               tasks.c.is_gold.is_(False), tasks.c.overlap < overlap)
        .values(overlap=overlap)
    )
    conn.execute(text(f"UPDATE tasks SET queue = {queue_after('taken')} "
                      "WHERE project_id = :project_id AND status = 'open' AND NOT is_gold"),
                 {"project_id": project.id})


def archive(conn: Connection, actor: Actor, name: str, now: datetime) -> Project:
    """Archive a project: its data and exports stay, it hands out no new work, and lists
    leave it out unless asked. Managers and administrators; an archived one answers 409."""
    project = managed_project(conn, actor, name, "archiving")
    if project.archived_at is not None:
        raise Conflict(f'project "{name}" is already archived')
    conn.execute(update(projects).where(projects.c.id == project.id).values(archived_at=now))
    record(conn, actor, "project.archived", name, now, project=project)
    return get_project(conn, name)


def unarchive(conn: Connection, actor: Actor, name: str, now: datetime) -> Project:
    """Bring an archived project back into work."""
    project = managed_project(conn, actor, name, "unarchiving")
    if project.archived_at is None:
        raise Conflict(f'project "{name}" is not archived')
    conn.execute(update(projects).where(projects.c.id == project.id).values(archived_at=None))
    record(conn, actor, "project.unarchived", name, now, project=project)
    return get_project(conn, name)
