"""Constitutions: the shipped one, files that are wrong, and the seeded draw of a principle."""

from __future__ import annotations

import pytest

from accord.core.errors import InvalidInput
from accord.llm import constitution


def test_the_shipped_constitution_is_versioned_and_credits_its_sources():
    shipped = constitution.load()

    assert (shipped.name, shipped.version, shipped.label) == (
        "helpful-harmless", 1, "helpful-harmless-v1")
    assert "Constitutional AI" in shipped.credits and "MT-Bench" in shipped.credits
    assert len(shipped.principles) >= 5
    assert len({p.id for p in shipped.principles}) == len(shipped.principles)


def test_a_principle_is_drawn_per_task_and_seed_whatever_the_order_of_the_draws():
    shipped = constitution.load()
    keys = [f"task-{i}" for i in range(300)]

    forwards = [shipped.principle_for(key, 3) for key in keys]
    backwards = [shipped.principle_for(key, 3) for key in reversed(keys)][::-1]
    other_seed = [shipped.principle_for(key, 4) for key in keys]

    assert forwards == backwards
    assert {p.id for p in forwards} == {p.id for p in shipped.principles}
    assert forwards != other_seed


def _write(tmp_path, text: str):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    return path


GOOD = 'name = "mine"\nversion = 2\n[[principles]]\nid = "p1"\ntext = "Prefer the kinder one."\n'


def test_a_constitution_file_of_ones_own_loads(tmp_path):
    mine = constitution.load(_write(tmp_path, GOOD))

    assert mine.label == "mine-v2"
    assert [p.id for p in mine.principles] == ["p1"]


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace("version = 2", 'version = "two"'), "version must be a whole number"),
    (GOOD.replace("version = 2\n", ""), "version must be a whole number"),
    (GOOD.replace('name = "mine"', 'name = "Mine Own"'), 'name "Mine Own" must be'),
    ('name = "mine"\nversion = 1\n', "principles must be a non-empty list"),
    (GOOD + '[[principles]]\nid = "p1"\ntext = "Again."\n', 'principle 2: id "p1" is used twice'),
    (GOOD + '[[principles]]\nid = "p2"\n', "principle 2: text must be a non-empty string"),
    ("name = [", "not valid TOML"),
])
def test_a_wrong_constitution_is_refused_naming_the_file_and_the_field(tmp_path, text, message):
    path = _write(tmp_path, text)

    with pytest.raises(InvalidInput) as refused:
        constitution.load(path)

    assert str(path) in refused.value.message
    assert message in refused.value.message


def test_a_missing_constitution_file_is_named(tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        constitution.load(tmp_path / "absent.toml")
