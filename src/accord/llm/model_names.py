"""Model ids as servers know them, and the names people read in tasks, exports and reports.

A server names its model however it was started: vLLM and OpenAI by a hub or product name
(``meta-llama/Llama-3.1-8B-Instruct``, ``gpt-4o``), llama.cpp by the path of the file it
loaded (``/models/SmolLM2-135M-Instruct.Q4_1.gguf``). The exact id is what reproduces a run,
so it is kept (``responses.model_id``, ``model_calls.model_id``); the name written where
people read (``responses.model``, the export's ``chosen_model``, the default judge's user
name) is ``--model-name``, or else the id made readable by :func:`readable_name`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from accord.core.errors import InvalidInput

MAX_NAME = 255  # responses.model and model_calls.model
MODEL_FILES = (".gguf", ".ggml", ".bin", ".safetensors", ".pt", ".pth")
# llama.cpp's quantisation tags (Q4_1, Q4_K_M, IQ2_XS, Q8_0) and plain float widths, after
# a dot or a dash at the end of a file's stem.
_QUANTISATION = re.compile(r"[.\-_](?:I?Q\d+(?:_[0-9A-Z]+)*|[BF]F?16|F32)$", re.IGNORECASE)
# A model split over several files: "-00001-of-00003".
_SHARD = re.compile(r"-\d{5}-of-\d{5}$")
_PATH_START = re.compile(r"^(?:/|~|\.{1,2}[/\\]|[A-Za-z]:[/\\])")


@dataclass(frozen=True, slots=True)
class NamedModel:
    """A model as a run uses it: ``id`` is sent to the server, ``name`` is written for
    people."""

    id: str
    name: str


def looks_like_path(model_id: str) -> bool:
    """Whether the id is a file or folder path rather than a name a server was given: it
    starts like a path (``/``, ``~``, ``./``, ``C:\\``) or ends in a model file's extension.
    A hub id (``org/model``) is a name, read as it is."""
    return bool(_PATH_START.match(model_id)) or model_id.lower().endswith(MODEL_FILES)


def readable_name(model_id: str) -> str:
    """The name of a model whose id is a path: the file or folder name without its
    directories, its extension, a shard number or a quantisation tag
    (``/models/SmolLM2-135M-Instruct.Q4_1.gguf`` → ``SmolLM2-135M-Instruct``). Any other id
    is already a name and is returned as it is."""
    if not looks_like_path(model_id):
        return model_id[:MAX_NAME]
    stem = re.split(r"[/\\]", model_id.rstrip("/\\"))[-1]
    lowered = stem.lower()
    for extension in MODEL_FILES:
        if lowered.endswith(extension):
            stem = stem[:-len(extension)]
            break
    stem = _SHARD.sub("", stem)
    stem = _QUANTISATION.sub("", stem) or stem
    return (stem or model_id)[:MAX_NAME]


def name_models(model_ids: Sequence[str], names: Sequence[str] | None = None,
                ) -> list[NamedModel]:
    """Each ``--model`` with its ``--model-name`` (the i-th name for the i-th model), or its
    readable name where none is given.

    Two different models may not share a name in one run: their responses would read as one
    model's in tasks and exports (two quantisations of one file do, once the tag is gone).
    """
    names = list(names or [])
    if len(names) > len(model_ids):
        raise InvalidInput(f"{len(names)} --model-name given for {len(model_ids)} --model: "
                           "give at most one name per model, in the same order")
    named: list[NamedModel] = []
    for index, model_id in enumerate(model_ids):
        name = names[index].strip() if index < len(names) else readable_name(model_id)
        if not name:
            raise InvalidInput("--model-name must not be empty")
        if len(name) > MAX_NAME:
            raise InvalidInput(f"--model-name is {len(name)} characters long; at most "
                               f"{MAX_NAME}")
        named.append(NamedModel(model_id, name))
    by_name: dict[str, str] = {}
    for model in named:
        other = by_name.setdefault(model.name, model.id)
        if other != model.id:
            raise InvalidInput(f'models "{other}" and "{model.id}" would both be named '
                               f'"{model.name}": give each its own --model-name')
    return named


def unlisted_warning(model_id: str, listed: Sequence[str] | None) -> str | None:
    """One line for stderr when the server lists its models and ``model_id`` is not among
    them (a server such as llama.cpp answers any name with the model it loaded, so a typo
    would pass unseen); None when it is listed or the server lists none."""
    if not listed or model_id in listed:
        return None
    shown = ", ".join(listed[:5]) + (f" and {len(listed) - 5} more" if len(listed) > 5 else "")
    return (f'warning: the server does not list model "{model_id}" (it lists {shown}); '
            "it may answer with another model")
