"""The in-process backend with the bundled SmolLM2-135M-Instruct, offline, on the CPU."""

from __future__ import annotations

import json
import math

import pytest
from transformers import AutoTokenizer

from accord.core.errors import InvalidInput
from accord.llm.chat import ChatRequest, Sampling
from accord.llm.local_models import SMOLLM2, WEIGHTS, model_folder

pytestmark = pytest.mark.slow

QUESTION = [{"role": "user", "content": "Name one planet of the solar system."}]


def test_the_gguf_is_converted_once_into_the_cache(local_model_cache):
    folder = model_folder(SMOLLM2, local_model_cache)
    assert (folder / WEIGHTS).is_file()
    assert model_folder(SMOLLM2, local_model_cache) == folder
    assert [p.name for p in local_model_cache.iterdir()] == [folder.name]
    config = json.loads((folder / "config.json").read_text())
    assert "quantization_config" not in config


def test_an_answer_counts_its_tokens(smollm2, local_model_cache):
    result = smollm2.complete(ChatRequest(QUESTION, Sampling(temperature=0, max_tokens=6)))
    tokenizer = AutoTokenizer.from_pretrained(model_folder(SMOLLM2, local_model_cache))
    prompt = tokenizer.apply_chat_template(QUESTION, add_generation_prompt=True,
                                           return_dict=True)["input_ids"]
    assert result.model == SMOLLM2
    assert result.text
    assert result.prompt_tokens == len(prompt)
    assert 1 <= result.completion_tokens <= 6
    assert result.finish_reason in ("stop", "length")
    assert result.logprobs is None


def test_the_same_seed_samples_the_same_answer(smollm2):
    request = ChatRequest(QUESTION, Sampling(temperature=1.0, max_tokens=8, seed=5))
    assert smollm2.complete(request).text == smollm2.complete(request).text


def test_first_tokens_come_with_their_likeliest_alternatives(smollm2):
    request = ChatRequest([{"role": "user", "content": "Answer with one letter: A or B?"}],
                          Sampling(temperature=0, max_tokens=3), top_logprobs=4)
    result = smollm2.complete(request)
    first = result.logprobs[0]
    assert len(first) == 4
    assert [c.logprob for c in first] == sorted((c.logprob for c in first), reverse=True)
    assert all(c.logprob <= 0 for c in first)
    assert sum(math.exp(c.logprob) for c in first) <= 1 + 1e-6
    # Greedy decoding emits the likeliest first token.
    assert result.text.startswith(first[0].token.strip())
    assert len(result.logprobs) == result.completion_tokens


def test_an_unknown_local_model_is_named_in_the_error(tmp_path):
    with pytest.raises(InvalidInput, match='local model "nope-7b" is neither a bundled model'):
        model_folder("nope-7b", tmp_path)
