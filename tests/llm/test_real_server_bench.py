"""``bench/real_server.py`` runs end to end: here against the fake server, with a few prompts
(against a real server it is run by hand; see docs/generation.md)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from tests.llm.fake_openai import FakeOpenAI, default_reply, serving
from tests.llm.judge_replies import longer_with

BENCH = Path(__file__).resolve().parents[2] / "bench" / "real_server.py"
NUMBER = r"\d+\.\d+"


def answers_as_writer_and_judge():
    """Candidates for generation requests, verdicts for the judge's."""
    judge = longer_with(0.9, 0.05)

    def reply(body: dict):
        asked = body["messages"][-1]["content"]
        return judge(body) if "[Response A]" in asked else default_reply(body)

    return reply


def load_bench(monkeypatch):
    """The script as a module (``bench/`` is no package); registered while the test runs,
    as its dataclasses need."""
    spec = importlib.util.spec_from_file_location("real_server", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "real_server", module)
    spec.loader.exec_module(module)
    return module


def test_the_real_server_bench_prints_accord_beside_the_bare_client(capsys, monkeypatch):
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    bench = load_bench(monkeypatch)
    with serving(FakeOpenAI(reply=answers_as_writer_and_judge())) as base_url:
        bench.main([base_url, "fake-model", "--prompts", "3", "--concurrency", "2"])

    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == (f"{base_url}, model fake-model: 3 prompts, concurrency 2, at most "
                          "64 tokens a reply")
    for phase, unit in (("generate", "prompts"), ("judge", "pairs")):
        for client in ("bare openai before", "accord", "bare openai after"):
            line = f"{phase}, {client}: 6 calls in {NUMBER} s: {NUMBER} calls/s, {NUMBER} " \
                   f"{unit}/s, {NUMBER} tokens/s"
            assert any(re.fullmatch(line, p) for p in printed), (line, printed)
        ratio = (f"{phase}: accord takes {NUMBER}x the bare client's time per call \\(the "
                 f"mean of its two runs\\), at {NUMBER}x its tokens/s")
        assert any(re.fullmatch(ratio, p) for p in printed), (ratio, printed)
