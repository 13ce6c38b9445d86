"""The ChatBackend that runs a Hugging Face ``transformers`` model in this process.

For candidates and judgments without a server or a key: the bundled SmolLM2-135M-Instruct
(see ``accord.llm.local_models``) answers on a CPU in a second or two, or any model folder
saved by ``transformers``. It needs the ``local`` extra (torch, transformers, gguf).

One model object serves every thread of a run, one generation at a time: sampling draws from
torch's global generator, so a seeded request is reproducible only if nothing else samples
between its seeding and its end. torch uses the machine's cores inside each generation.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from accord.core.errors import InvalidInput
from accord.llm.chat import (
    LOGPROB_POSITIONS,
    BackendError,
    ChatRequest,
    ChatResult,
    TokenChoice,
)
from accord.llm.local_models import BUNDLED, SMOLLM2, model_folder, stay_offline


class LocalBackend:
    """A local model answering chat requests through its chat template."""

    def __init__(self, model: str = SMOLLM2, *, cache_dir: Path | None = None) -> None:
        folder = model_folder(model, cache_dir)
        stay_offline()
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
            from transformers.utils import logging as transformers_logging
        except ImportError as missing:
            raise InvalidInput(
                f"the local backend needs torch and transformers ({missing.name} is missing): "
                "pip install 'accord[local]'"
            ) from None
        transformers_logging.disable_progress_bar()
        self._torch = torch
        # The id as given (a bundled name or a folder's path) is what the run records;
        # messages name the folder, as people read it (see accord.llm.model_names).
        self._model_id = model
        self._name = model if model in BUNDLED else folder.name
        self._tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
        if not self._tokenizer.chat_template:
            raise InvalidInput(f"local model {self._name} has no chat template")
        self._model = AutoModelForCausalLM.from_pretrained(folder, local_files_only=True)
        self._model.eval()
        self._stop_ids = _stop_ids(self._tokenizer, self._model)
        self._lock = threading.Lock()

    @property
    def model(self) -> str:
        return self._model_id

    def close(self) -> None:
        """Nothing to release: the weights go with the object."""

    def complete(self, request: ChatRequest) -> ChatResult:
        sampling = request.sampling
        if sampling.max_tokens < 1:
            raise BackendError(f"{self._name}: max_tokens must be at least 1")
        try:
            inputs = self._tokenizer.apply_chat_template(
                request.messages, add_generation_prompt=True, return_tensors="pt",
                return_dict=True)
        except Exception as error:  # a template that rejects these messages
            raise BackendError(f"{self._name}: the chat template failed: {error}") from error
        options: dict = {
            "max_new_tokens": sampling.max_tokens, "return_dict_in_generate": True,
            "output_logits": request.top_logprobs > 0,
            "pad_token_id": self._tokenizer.pad_token_id or self._stop_ids[0],
        }
        if sampling.temperature > 0:
            options.update(do_sample=True, temperature=sampling.temperature,
                           top_p=sampling.top_p)
        else:
            options.update(do_sample=False, temperature=None, top_p=None, top_k=None)
        prompt_length = inputs["input_ids"].shape[1]
        with self._lock:
            started = time.perf_counter()
            if sampling.seed is not None:
                self._torch.manual_seed(sampling.seed)
            with self._torch.inference_mode():
                # transformers' own types: the model from_pretrained returns fails the self
                # type of its generate()
                output = self._model.generate(  # pyright: ignore[reportAttributeAccessIssue]
                    **inputs, **options)
            latency_ms = round((time.perf_counter() - started) * 1000)
        generated = output.sequences[0, prompt_length:].tolist()
        length, stopped = _until_stop(generated, self._stop_ids)
        return ChatResult(
            text=self._tokenizer.decode(generated[:length], skip_special_tokens=True).strip(),
            model=self._model_id,
            prompt_tokens=prompt_length,
            completion_tokens=length,
            latency_ms=latency_ms,
            logprobs=self._logprobs(output.logits, request.top_logprobs, length)
            if request.top_logprobs else None,
            finish_reason="stop" if stopped else "length",
        )

    def _logprobs(self, logits, top: int, length: int) -> list[list[TokenChoice]]:
        """The model's own distribution (before temperature and top-p) at the first
        positions: the ``top`` likeliest tokens with their log-probabilities."""
        positions = []
        for scores in logits[:min(length, LOGPROB_POSITIONS)]:
            logprobs = self._torch.log_softmax(scores[0].float(), dim=-1)
            values, ids = self._torch.topk(logprobs, min(top, logprobs.shape[-1]))
            positions.append([TokenChoice(self._tokenizer.decode([i]), float(v))
                              for v, i in zip(values.tolist(), ids.tolist(), strict=True)])
        return positions


def _stop_ids(tokenizer, model) -> list[int]:
    configured = model.generation_config.eos_token_id
    ids = configured if isinstance(configured, list) else [configured]
    ids = [i for i in ids if i is not None]
    if tokenizer.eos_token_id is not None and tokenizer.eos_token_id not in ids:
        ids.append(tokenizer.eos_token_id)
    return ids


def _until_stop(generated: list[int], stop_ids: list[int]) -> tuple[int, bool]:
    """Tokens up to and including the first stop token (it was generated, so it counts),
    and whether one was reached."""
    for index, token in enumerate(generated):
        if token in stop_ids:
            return index + 1, True
    return len(generated), False
