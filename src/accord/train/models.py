"""Finding the model and tokenizer that ``--model PATH`` names, offline.

``PATH`` is a local directory written by ``save_pretrained`` (a model and its tokenizer).
Accord never downloads: a path that is not such a directory is one clear error, raised before
TRL would try to read it as a Hub model id.

Every Accord export is conversational, and TRL renders conversations through the tokenizer's
chat template. A tokenizer without one (an encoder such as MiniLM, or a base model) gets
:data:`PLAIN_CHAT_TEMPLATE`: ``role: content`` turns, framed by the tokenizer's own
``[CLS]``/``[SEP]`` (encoders) or ending in its end-of-sequence token (decoders), because
``apply_chat_template`` adds no special tokens of its own. The template is saved with the
trained model, so scoring and GRPO later render text exactly as training did.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from accord.core.errors import InvalidInput

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

PLAIN_CHAT_TEMPLATE = (
    "{% if cls_token %}{{ cls_token }}{% endif %}"
    "{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}"
    "{% if sep_token %} {{ sep_token }}{% elif eos_token %}{{ eos_token }}{% endif %}\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}assistant: {% endif %}"
)


def model_dir(path: Path, option: str = "--model") -> Path:
    """``path`` if it holds a saved model (``config.json``); otherwise one clear error."""
    path = Path(path)
    if not path.is_dir():
        raise InvalidInput(f'{option} "{path}" is not a directory (Accord loads models offline, '
                           "from a folder written by save_pretrained)")
    if not (path / "config.json").is_file():
        raise InvalidInput(f'{option} "{path}" holds no config.json: not a model saved by '
                           "save_pretrained")
    return path


def load_tokenizer(path: Path) -> PreTrainedTokenizerBase:
    """The tokenizer saved beside the model at ``path``, with a chat template and a pad token.

    The pad token falls back to the end-of-sequence token (what TRL does too); a tokenizer
    with neither cannot batch and is refused.
    """
    from transformers import AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(str(path))
    except (OSError, ValueError) as error:
        raise InvalidInput(f'no tokenizer could be loaded from "{path}": '
                           f"{str(error).splitlines()[0]}") from error
    if tokenizer.chat_template is None:
        tokenizer.chat_template = PLAIN_CHAT_TEMPLATE
    if tokenizer.pad_token is None:
        if tokenizer.eos_token is None:
            raise InvalidInput(f'the tokenizer at "{path}" has neither a pad token nor an '
                               "end-of-sequence token to pad with")
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer
