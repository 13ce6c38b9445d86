"""A constitution: the versioned list of principles the AI judge compares responses by.

Following Constitutional AI (Bai et al. 2022, arXiv:2212.08073), each judgment is made by
one principle drawn at random from a short written list rather than by one long rubric, so
that the preference data covers every principle and a judgment names the principle it used.
A constitution is a TOML file with a ``name``, a positive integer ``version``, a ``title``,
``credits`` and ``[[principles]]`` tables of ``id`` and ``text``; Accord ships one
(``constitutions/helpful-harmless-v1.toml``). The draw is seeded per task, so a rerun, or a
run in another order or with other concurrency, picks the same principle for the same task.
"""

from __future__ import annotations

import hashlib
import random
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from accord.core.errors import InvalidInput

DEFAULT = "helpful-harmless-v1.toml"
NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
MAX_PRINCIPLE_CHARS = 2000


@dataclass(frozen=True)
class Principle:
    id: str
    text: str


@dataclass(frozen=True)
class Constitution:
    name: str
    version: int
    title: str
    credits: str
    principles: tuple[Principle, ...]

    @property
    def label(self) -> str:
        """``name-vN``: how stored judgments and a judge's settings name this text."""
        return f"{self.name}-v{self.version}"

    def principle_for(self, task_key: str, seed: int) -> Principle:
        """The principle for one task: a draw from a generator seeded by ``seed`` and the
        task, so it does not depend on which tasks were judged before or alongside."""
        digest = hashlib.sha256(f"{seed}\x1f{task_key}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big")).choice(self.principles)


def default_path() -> Path:
    """The constitution shipped inside the package."""
    return Path(str(resources.files("accord.llm") / "constitutions" / DEFAULT))


def load(path: Path | None = None) -> Constitution:
    """Read and check a constitution file (the shipped one when ``path`` is None).

    Every error names the file and the field, and nothing is judged with a half-read file.
    """
    source = default_path() if path is None else Path(path)
    try:
        document = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"constitution {source}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInput(f"constitution {source}: cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"constitution {source}: not valid TOML ({error})") from None
    return parse(document, str(source))


def _text(document: dict, key: str, where: str, *, required: bool = True) -> str:
    value = document.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidInput(f"{where}: {key} must be a non-empty string")
    return value.strip()


def parse(document: dict, where: str) -> Constitution:
    """A constitution from its parsed TOML; ``where`` names it in errors."""
    where = f"constitution {where}"
    name = _text(document, "name", where)
    if not NAME.match(name):
        raise InvalidInput(f'{where}: name "{name}" must be lower-case letters, digits, . _ -')
    version = document.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidInput(f"{where}: version must be a whole number of at least 1, "
                           f"not {version!r}")
    entries = document.get("principles")
    if not isinstance(entries, list) or not entries:
        raise InvalidInput(f"{where}: principles must be a non-empty list of [[principles]]")
    principles = []
    for index, entry in enumerate(entries):
        place = f"{where}: principle {index + 1}"
        if not isinstance(entry, dict):
            raise InvalidInput(f"{place} must be a table with id and text")
        principle = Principle(_text(entry, "id", place), _text(entry, "text", place))
        if len(principle.text) > MAX_PRINCIPLE_CHARS:
            raise InvalidInput(f"{place}: text is longer than {MAX_PRINCIPLE_CHARS} characters")
        if any(p.id == principle.id for p in principles):
            raise InvalidInput(f'{place}: id "{principle.id}" is used twice')
        principles.append(principle)
    return Constitution(
        name=name, version=version, title=_text(document, "title", where, required=False),
        credits=_text(document, "credits", where, required=False),
        principles=tuple(principles),
    )
