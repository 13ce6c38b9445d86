"""Properties: an export imported again (``--labelled``) exports the same pairs, and a split
by prompt never puts a prompt, or a near-duplicate of it, on both sides."""

from __future__ import annotations

from collections import Counter
from itertools import count
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.core.importing import import_file
from accord.exports import export
from accord.exports.hygiene import prompt_key
from tests.exports.conftest import read_rows
from tests.factories import make_project

_names = count()
# Few letters, spaces and punctuation, so that exact and near-duplicate prompts are common.
PROMPT = st.text(alphabet="abAB ?!.", min_size=1, max_size=8).filter(lambda t: t.strip())
ANSWER = st.text(alphabet="xyz01 ", min_size=1, max_size=6).filter(lambda t: t.strip())
ROW = st.tuples(PROMPT, ANSWER, ANSWER).filter(lambda r: r[1] != r[2])
ROWS = st.lists(ROW, min_size=1, max_size=12, unique=True)


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))
    return path


def _content(rows: list[dict]) -> Counter:
    return Counter(orjson.dumps([r["prompt"], r["chosen"], r["rejected"]]) for r in rows)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ROWS, test_fraction=st.sampled_from([0.1, 0.3, 0.5, 0.9]))
def test_export_then_import_is_the_identity_and_splits_never_leak(
        engine, tmp_path, rows, test_fraction):
    run = next(_names)
    first = make_project(engine, f"first-{run}", overlap=1)
    second = make_project(engine, f"second-{run}", overlap=1)
    source = _write(tmp_path / f"in-{run}.jsonl",
                    [{"prompt": p, "chosen": c, "rejected": r} for p, c, r in rows])

    import_file(engine, first, source, labelled=True)
    exported = tmp_path / f"first-{run}.jsonl"
    export(engine, first, "preference", exported)
    import_file(engine, second, exported, labelled=True)
    again = tmp_path / f"second-{run}.parquet"
    export(engine, second, "preference", again)

    expected = [{"prompt": [{"role": "user", "content": p}],
                 "chosen": [{"role": "assistant", "content": c}],
                 "rejected": [{"role": "assistant", "content": r}]} for p, c, r in rows]
    assert _content(read_rows(exported)) == _content(expected)
    assert _content(read_rows(again)) == _content(expected)

    export(engine, second, "preference", tmp_path / f"split-{run}.jsonl", split=test_fraction)
    train = read_rows(tmp_path / f"split-{run}.train.jsonl")
    test = read_rows(tmp_path / f"split-{run}.test.jsonl")
    assert _content(train) + _content(test) == _content(expected)
    train_keys = {prompt_key(r["prompt"]) for r in train}
    assert not train_keys & {prompt_key(r["prompt"]) for r in test}
