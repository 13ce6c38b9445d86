"""The audit trail page shows what was recorded as a person reads it: yes/no rather than
``True``/``False``, a mapping as ``name: value`` lines rather than ``{'method': …}``,
timestamps to the second, nothing as a dash. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from accord.core.review import audit
from accord.db.types import utcnow
from tests.factories import make_project, make_user
from tests.web.conftest import log_in


def _details_cell(page: str) -> str:
    found = re.search(r'<dl class="audit-details">(.*?)</dl>', page, re.S)
    assert found, page
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))))


def test_recorded_values_read_as_text_never_as_python(api, engine):
    project = make_project(engine)
    boss = make_user(engine, "boss", project=project, roles=("manager",), password="pw")
    with engine.begin() as conn:
        audit.record(conn, project_id=project.id, actor_id=boss.user.id,
                     action="escalation.moved", subject="escalation 7",
                     details={"resolved": False, "notify_lead": True, "note": None,
                              "judged_by": {"method": "majority", "min_agreement": 0.5},
                              "flags": ["unsafe", "pii"],
                              "due_at": datetime(2026, 3, 2, 9, 30, 5, tzinfo=UTC).isoformat()},
                     now=utcnow())
    log_in(api, "boss", "pw")
    page = api.get("/projects/prefs/audit")
    assert page.status_code == 200
    cell = _details_cell(page.text)
    assert "resolved no" in cell and "notify lead yes" in cell
    assert "note —" in cell
    assert "judged by method: majority min agreement: 0.5" in cell
    assert "flags unsafe, pii" in cell
    assert "due at 2026-03-02 09:30:05" in cell
    for python in ("False", "True", "None", "{'", "['"):
        assert python not in cell, cell
