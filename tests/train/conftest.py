"""A project with a learnable signal, and a tiny offline model, for the training bridge.

Project ``polite`` (pairwise, overlap 3): in every comparison one response is polite and one
is rude, and the annotators prefer the polite one — unanimously on most tasks, 2-1 on every
fourth (so held-out pairs come at two agreement levels, 0.67 and 1.00, across the three
categories). Which of ``a`` and
``b`` is the polite one alternates, so nothing but the wording tells them apart. Ten
demonstration tasks give thirty SFT conversations.

The tiny model is a random two-layer Llama with a word-level tokenizer trained on the
project's own vocabulary, saved with ``save_pretrained`` like any local model, so that
``--model PATH`` is exercised exactly as a user would use it. Everything is SQLite: these
tests are about training, not the database.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # before datasets/transformers read it
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.engine import make_engine
from tests.demonstration_helpers import accept_every_demonstration
from tests.factories import add_comparison, make_project, make_user

TOPICS = ["rivers", "volcanoes", "bread", "chess", "tides", "comets", "bees", "glaciers",
          "printing", "bridges", "owls", "salt", "clocks", "maps", "coral", "wind"]
POLITE = [
    "thank you for asking ! here is a clear answer about {topic} .",
    "happy to help : {topic} explained kindly and carefully .",
    "great question , gladly : {topic} works like this , step by step .",
]
RUDE = [
    "no . look up {topic} yourself .",
    "whatever , {topic} is boring and so is this question .",
    "stop asking me about {topic} .",
]
CATEGORIES = ["qa", "coding", "creative"]
COMPARISONS = 96
DEMONSTRATIONS = 10
CHAT_TEMPLATE = (
    "{% for message in messages %}{{ message['role'] }} : {{ message['content'] }} <eos> "
    "{% endfor %}{% if add_generation_prompt %}assistant : {% endif %}"
)
START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def polite(i: int) -> str:
    return POLITE[i % len(POLITE)].format(topic=TOPICS[i % len(TOPICS)])


def rude(i: int) -> str:
    return RUDE[(i // 3) % len(RUDE)].format(topic=TOPICS[i % len(TOPICS)])


def build_polite_project(engine: Engine, comparisons: int = COMPARISONS,
                         demonstrations: int = DEMONSTRATIONS) -> None:
    """The ``polite`` project, annotated by three people through ``core``."""
    project = make_project(engine, "polite", overlap=3)
    people = [make_user(engine, f"rater{i}", project=project, roles=("annotator",)).user
              for i in range(3)]
    clock = START

    def annotate(external_id: str, judgments: list[Judgment], **task) -> None:
        nonlocal clock
        with engine.begin() as conn:
            add_comparison(conn, project, external_id, **task)
        for person, judgment in zip(people, judgments, strict=True):
            clock += timedelta(seconds=1)
            with engine.begin() as conn:
                claim = claims.claim_next(conn, project, person, clock)
                assert claim is not None and claim.task.id == external_id
                submissions.submit(conn, person, claim.assignment_id, judgment, clock)

    for i in range(comparisons):
        good, bad = ("a", "b") if i % 2 == 0 else ("b", "a")
        contents = {good: polite(i), bad: rude(i)}
        preferred = Judgment(ranking=[[good], [bad]], strength=1 + i % 3)
        dissent = Judgment(ranking=[[bad], [good]], strength=1)
        votes = [preferred, preferred, dissent if i % 4 == 1 else preferred]
        annotate(f"{TOPICS[i % len(TOPICS)]}-{i}", votes, contents=dict(sorted(contents.items())),
                 category=CATEGORIES[i % len(CATEGORIES)])
    for i in range(demonstrations):
        annotate(f"explain-{i}", [Judgment(response=polite(i + n)) for n in range(3)],
                 contents={}, kind="demonstration", category="qa")
    # the SFT export holds accepted demonstrations only: a reviewer accepts every one
    reviewer = make_user(engine, "editor", project=project, roles=("reviewer",)).user
    accept_every_demonstration(engine, project, reviewer)


def vocabulary() -> list[str]:
    """Every text the project and the chat template can produce, to train the tokenizer on."""
    texts = ["user assistant : question -", " ".join(str(n) for n in range(10)),
             " ".join(f"{t}-{i}" for i, t in enumerate(TOPICS)), "explain"]
    texts += [t.format(topic=topic) for t in POLITE + RUDE for topic in TOPICS]
    return texts


def save_tiny_llama(folder: Path, hidden: int = 32, layers: int = 2) -> Path:
    """A random Llama and a word-level tokenizer with a chat template, saved to ``folder``."""
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast, set_seed

    words = Tokenizer(models.WordLevel(unk_token="<unk>"))
    words.pre_tokenizer = pre_tokenizers.Whitespace()
    words.train_from_iterator(
        vocabulary(), trainers.WordLevelTrainer(special_tokens=["<unk>", "<pad>", "<eos>"]))
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=words, unk_token="<unk>",
                                        pad_token="<pad>", eos_token="<eos>")
    tokenizer.chat_template = CHAT_TEMPLATE
    set_seed(0)
    model = LlamaForCausalLM(LlamaConfig(
        hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=4,
        num_key_value_heads=4, intermediate_size=2 * hidden, vocab_size=len(tokenizer),
        max_position_embeddings=256, pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id, bos_token_id=None,
    ))
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory) -> Path:
    return save_tiny_llama(tmp_path_factory.mktemp("tiny-llama"))


@pytest.fixture
def sqlite_engine(sqlite_template, tmp_path) -> Iterator[Engine]:
    """An empty, migrated SQLite database of this test's own."""
    path = tmp_path / "accord.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def polite_project(sqlite_engine) -> Engine:
    """The engine, holding the ``polite`` project."""
    build_polite_project(sqlite_engine)
    return sqlite_engine
