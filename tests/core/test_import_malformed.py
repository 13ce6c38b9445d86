"""Malformed files: every bad line is reported with its number and reason, and nothing is
written unless the caller skips invalid lines."""

from __future__ import annotations

import pytest

from accord.core.errors import ImportRejected
from accord.core.importing import import_file
from tests.core.import_helpers import comparison, row_counts, write_jsonl
from tests.core.malformed.corpus import CASES, Case, good, lines
from tests.factories import make_project


def assert_reported(details: list[tuple[int, str]], expected: tuple[tuple[int, str], ...]):
    """Each expected ``(line, words)`` is among the reported errors (line 0: any line)."""
    for line, words in expected:
        matches = [reason for number, reason in details
                   if (line == 0 or number == line) and words in reason]
        assert matches, f"no error on line {line} saying {words!r}; got {details}"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_malformed_file_is_rejected_whole_with_line_numbers(engine, tmp_path, case: Case):
    project = make_project(engine)
    import_file(engine, project, write_jsonl(tmp_path / "before.jsonl", [comparison("old")]))
    before = row_counts(engine)

    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, case.write(tmp_path))

    assert_reported(rejected.value.details, case.expected)
    assert rejected.value.message.startswith(f"{len(rejected.value.details)} invalid line")
    assert "nothing imported" in rejected.value.message
    assert row_counts(engine) == before


def test_every_invalid_line_is_reported_not_just_the_first(engine, tmp_path):
    project = make_project(engine)
    content = lines(good("q-1"), b"{", good("q-3"), b"[]", b'{"id": 1}', good("q-6"))
    path = tmp_path / "items.jsonl"
    path.write_bytes(content)

    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, path)

    assert [line for line, _ in rejected.value.details] == [2, 4, 5]
    assert rejected.value.message.splitlines()[0] == "3 invalid lines; nothing imported:"
    assert rejected.value.message.splitlines()[1].startswith("line 2: is not valid JSON")


def test_the_report_lists_the_first_hundred_invalid_lines_and_counts_the_rest(engine, tmp_path):
    project = make_project(engine)
    path = tmp_path / "items.jsonl"
    path.write_bytes(lines(*[b"[]"] * 250))

    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, path)

    assert [line for line, _ in rejected.value.details] == list(range(1, 101))
    assert rejected.value.message.startswith("250 invalid lines; nothing imported:")
    assert rejected.value.message.endswith("… and 150 more")


def test_skip_invalid_imports_the_good_lines_only(engine, tmp_path):
    project = make_project(engine)
    path = tmp_path / "items.jsonl"
    path.write_bytes(lines(good("q-1"), b"{broken", good("q-3"), good("q-1"),
                           b'{"id": "q-5", "prompt": "caf\xe9"}', good("q-6")))

    report = import_file(engine, project, path, skip_invalid=True)

    assert (report.new, report.invalid) == (3, 3)
    assert [line for line, _ in report.errors] == [2, 4, 5]
    assert report.summary() == "3 new, 0 unchanged, 3 invalid lines skipped"
    assert row_counts(engine)["tasks"] == 3


def test_a_line_may_be_as_long_as_the_limit_given(engine, tmp_path):
    project = make_project(engine)
    line = good("q-1")
    path = tmp_path / "items.jsonl"
    path.write_bytes(lines(line))

    with pytest.raises(ImportRejected, match=f"is {len(line)} bytes long"):
        import_file(engine, project, path, max_line_bytes=len(line) - 1)
    assert import_file(engine, project, path, max_line_bytes=len(line)).new == 1


def test_the_last_line_needs_no_newline_and_windows_line_ends_are_fine(engine, tmp_path):
    project = make_project(engine)
    path = tmp_path / "items.jsonl"
    path.write_bytes(good("q-1") + b"\r\n" + good("q-2"))
    assert import_file(engine, project, path).new == 2
