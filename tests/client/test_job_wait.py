"""``job.wait`` polls with a growing pause until the job has finished, raises the failure
with its line-numbered errors, and gives up at its timeout saying how far the job got."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accord.client import ImportFailed, JobTimeout
from accord.client.jobs import LONGEST_POLL, wait_for
from accord.wire.data import ImportJobOut

NOW = datetime(2026, 1, 2, tzinfo=UTC)


def _job(status: str, **fields) -> ImportJobOut:
    base = {
        "id": 7, "project": "prefs", "status": status, "created_by": "lead",
        "file_name": "items.jsonl", "file_bytes": 100,
        "options": {"file_format": "jsonl", "labelled": False, "source": None,
                    "skip_invalid": False, "update": False, "max_line_bytes": 1000},
        "progress": {"unit": "bytes", "done": 40, "total": 100, "items_written": 0},
        "errors": [], "error_total": 0, "failure": None, "report": None,
        "created_at": NOW, "started_at": None, "finished_at": None}
    return ImportJobOut.model_validate({**base, **fields})


class Clock:
    def __init__(self) -> None:
        self.now, self.pauses = 0.0, []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def test_wait_backs_off_until_the_job_is_done():
    clock = Clock()
    answers = iter([_job("checking")] * 12 + [_job("done")])
    done = wait_for(_job("queued"), lambda: next(answers), 600, clock.sleep, lambda: clock.now)
    assert done.status == "done" and len(clock.pauses) == 13
    assert clock.pauses == sorted(clock.pauses) and clock.pauses[-1] == LONGEST_POLL


def test_a_failed_import_raises_its_numbered_errors():
    errors = [{"unit": "line", "number": n, "reason": "is not valid JSON"} for n in (3, 9)]
    failed = _job("failed", errors=errors, error_total=2,
                  failure="2 invalid lines; nothing imported:")
    with pytest.raises(ImportFailed) as raised:
        wait_for(_job("checking"), lambda: failed, 60, lambda _: None, lambda: 0.0)
    assert str(raised.value).splitlines() == [
        'import job 7 of "prefs" (items.jsonl) failed: 2 invalid lines; nothing imported:',
        "  line 3: is not valid JSON", "  line 9: is not valid JSON"]
    assert [e.number for e in raised.value.errors] == [3, 9]


def test_wait_gives_up_at_its_timeout_saying_how_far_the_job_got():
    clock = Clock()
    with pytest.raises(JobTimeout) as raised:
        wait_for(_job("importing"), lambda: _job("importing"), 3, clock.sleep,
                 lambda: clock.now)
    assert clock.now == pytest.approx(3)
    assert str(raised.value) == ('import job 7 of "prefs" is still importing after 3 s '
                                 "(40 of 100 bytes); wait again, or pass a longer timeout")
