"""A generation plan: the K candidates every prompt gets, each a model and its sampling.

Ids come from the plan, not from the run: a response's id from its model, sampling and
position, a task's from its prompt and the plan. The same plan run again therefore names
the same rows, which is how a rerun knows what is already there. Ids are neutral hashes, so
an annotator cannot tell which model wrote a response from its id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import product

from accord.core.errors import InvalidInput
from accord.core.importing.items import MAX_RESPONSES, MIN_RESPONSES, canonical_hash
from accord.llm.chat import Sampling
from accord.llm.model_names import name_models, readable_name

MAX_EXTERNAL_ID = 255


@dataclass(frozen=True, slots=True)
class Slot:
    """One candidate of every prompt: which model (``model``, its id on the server, and
    ``name``, what people read; by default the id's readable form), how sampled, which
    position."""

    index: int
    model: str
    sampling: Sampling
    name: str = ""
    response_id: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            object.__setattr__(self, "name", readable_name(self.model))
        # Neutral (annotators must not learn the model from it) and stable across runs. The
        # id, not the name, says which model answered: renaming a model names the same rows.
        digest = canonical_hash([self.model, self.sampling.as_record(), self.index])
        object.__setattr__(self, "response_id", "g" + digest[:12])


COMPARISON, DEMONSTRATION = "comparison", "demonstration"
"""What a plan's tasks are: comparisons of its candidates, or demonstrations whose
candidates are drafts for writers to post-edit."""
MIN_DRAFTS = 1


@dataclass(frozen=True)
class Plan:
    slots: tuple[Slot, ...]
    kind: str = COMPARISON

    @property
    def purpose(self) -> str:
        """The ledger's word for the plan's calls: ``generate`` candidates or ``draft``s."""
        return "draft" if self.kind == DEMONSTRATION else "generate"

    @property
    def min_responses(self) -> int:
        """Fewest candidates a task is made of: a pair to compare, or one draft."""
        return MIN_DRAFTS if self.kind == DEMONSTRATION else MIN_RESPONSES

    @property
    def response_ids(self) -> list[str]:
        return [slot.response_id for slot in self.slots]

    @property
    def models(self) -> list[str]:
        return list(dict.fromkeys(slot.model for slot in self.slots))

    @cached_property
    def digest(self) -> str:
        return canonical_hash(self.response_ids)

    def task_id(self, prompt_external_id: str) -> str:
        """The task of a prompt under this plan: the prompt's id and the plan's digest (a
        drafts plan's tasks say ``draft`` where a comparison's say ``gen``, so the same
        models may give a prompt both)."""
        digest = self.digest
        tag = "draft" if self.kind == DEMONSTRATION else "gen"
        task_id = f"{prompt_external_id}~{tag}-{digest[:10]}"
        if len(task_id) > MAX_EXTERNAL_ID:
            task_id = f"{tag}-{canonical_hash([prompt_external_id, digest])[:40]}"
        return task_id

    def task_metadata(self, prompt_external_id: str) -> dict:
        """Kept with the task (never shown to annotators): where its candidates came from."""
        return {"generated": {"prompt": prompt_external_id, "models": self.models}}


def make_plan(models: Sequence[str], n: int, *, temperatures: Sequence[float] = (0.7,),
              top_p: float = 1.0, max_tokens: int = 256, seed: int | None = None,
              names: Sequence[str] | None = None, kind: str = COMPARISON) -> Plan:
    """``n`` slots cycling through every (model, temperature) pair; with ``seed``, slot i
    samples with seed + i, so repeated settings still give different candidates. ``names``
    are the models' ``--model-name``s, in the order of ``models`` (see ``model_names``).
    ``kind`` ``demonstration``: the candidates are drafts to post-edit, one or more."""
    if not models:
        raise InvalidInput("name at least one --model")
    named = name_models(models, names)
    fewest = MIN_DRAFTS if kind == DEMONSTRATION else MIN_RESPONSES
    if not fewest <= n <= MAX_RESPONSES:
        what = "drafts" if kind == DEMONSTRATION else "candidates"
        raise InvalidInput(f"-n must be between {fewest} and {MAX_RESPONSES} "
                           f"{what} per prompt, not {n}")
    for temperature in temperatures:
        if not 0 <= temperature <= 2:
            raise InvalidInput(f"--temperature must be between 0 and 2, not {temperature}")
    if not 0 < top_p <= 1:
        raise InvalidInput(f"--top-p must be above 0 and at most 1, not {top_p}")
    if max_tokens < 1:
        raise InvalidInput(f"--max-tokens must be at least 1, not {max_tokens}")
    settings = [(model, temperature) for temperature, model in product(temperatures, named)]
    slots = tuple(
        Slot(i, settings[i % len(settings)][0].id,
             Sampling(temperature=settings[i % len(settings)][1], top_p=top_p,
                      max_tokens=max_tokens, seed=None if seed is None else seed + i),
             name=settings[i % len(settings)][0].name)
        for i in range(n)
    )
    return Plan(slots, kind)
