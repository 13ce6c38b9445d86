"""Which pool prompts a generation run takes: a sample matching target shares per category.

The sample is a pure function of the pool, the mix, the limit and a seed: the same command
picks the same prompts again, which is what lets a rerun resume instead of starting over.
Within a category prompts are taken in the order of a seeded hash of their ids, so adding
prompts to the pool moves few of the earlier picks.

    choose(pool, parse_mix("coding=0.3,qa=0.7"), limit=100, seed=0)
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from accord.core.errors import InvalidInput
from accord.core.judging.generated import PoolPrompt
from accord.core.projects.categories import category_key


@dataclass(frozen=True)
class Selection:
    prompts: list[PoolPrompt]
    wanted: dict[str, int]
    # Categories that hold fewer prompts than their share of --limit asks for.
    short: dict[str, int] = field(default_factory=dict)


def parse_mix(spec: str | None) -> dict[str, float] | None:
    """``coding=0.3,qa=0.7`` → {"coding": 0.3, "qa": 0.7}; weights need not sum to 1."""
    if spec is None or not spec.strip():
        return None
    mix: dict[str, float] = {}
    for part in spec.split(","):
        name, sep, value = part.strip().partition("=")
        name = category_key(name)
        if not sep or not name:
            raise InvalidInput(f'--mix: "{part.strip()}" must look like category=share')
        try:
            share = float(value)
        except ValueError:
            raise InvalidInput(f'--mix: the share of {name} must be a number, not "{value}"'
                               ) from None
        if not math.isfinite(share) or share < 0:
            raise InvalidInput(f"--mix: the share of {name} must be zero or more, not {value}")
        if name in mix:
            raise InvalidInput(f"--mix names {name} twice")
        mix[name] = share
    if sum(mix.values()) <= 0:
        raise InvalidInput("--mix: at least one share must be above zero")
    return mix


def gap_mix(targets: dict[str, float], generated: dict[str, int],
            pool: Sequence[PoolPrompt], limit: int | None) -> dict[str, float] | None:
    """Weights that sample toward a project's mix targets, from the gap as it stands.

    Each category's weight is what it lacks of its target share once the sample is added:
    ``target * (generated + sample) - generated``, never below zero, where ``generated`` is
    the category's prompts that already have generated candidates and the sample is
    ``limit`` (the whole pool without one). Categories without a target share the rest
    (``1 - sum of targets``) the same way, each in proportion to its prompts in the pool. Only
    categories the pool holds are weighed. When no category lacks anything, the targets
    themselves are the weights; None when the pool is empty.
    """
    in_pool: dict[str, int] = defaultdict(int)
    for prompt in pool:
        in_pool[prompt.category] += 1
    if not in_pool:
        return None
    after = sum(generated.values()) + (limit if limit is not None else len(pool))
    rest = max(0.0, 1.0 - sum(targets.values()))
    free = [name for name in in_pool if name not in targets]
    free_pool = sum(in_pool[name] for name in free)
    free_have = sum(count for name, count in generated.items() if name not in targets)
    wanted: dict[str, float] = {}
    fallback: dict[str, float] = {}
    for name in sorted(in_pool):
        if name in targets:
            fallback[name] = targets[name]
            wanted[name] = targets[name] * after - generated.get(name, 0)
        elif free_pool:
            part = in_pool[name] / free_pool
            fallback[name] = rest * part
            wanted[name] = (rest * after - free_have) * part
    weights = {name: w for name, w in wanted.items() if w > 0}
    chosen = weights or {name: w for name, w in fallback.items() if w > 0}
    return chosen or None


def choose(pool: Sequence[PoolPrompt], mix: dict[str, float] | None, limit: int | None,
           seed: int = 0) -> Selection:
    """The prompts to generate for, in pool order.

    Without ``mix`` the shares are the pool's own. Without ``limit`` (or without ``mix`` and
    with a limit beyond the pool) the sample is as large as the mix allows: the whole pool,
    or with a mix the most prompts for which every category has its share.
    """
    by_category: dict[str, list[PoolPrompt]] = defaultdict(list)
    for prompt in pool:
        by_category[prompt.category].append(prompt)
    if limit is not None and limit < 1:
        raise InvalidInput(f"--limit must be at least 1, not {limit}")
    if mix is None:
        weights = {name: float(len(prompts)) for name, prompts in by_category.items()}
    else:
        missing = [name for name, share in mix.items() if share > 0 and name not in by_category]
        if missing:
            have = ", ".join(sorted(by_category)) or "none"
            raise InvalidInput(f"--mix: the pool has no prompts in {', '.join(missing)} "
                               f"(its categories: {have})")
        weights = {name: share for name, share in mix.items() if share > 0}
    total_weight = sum(weights.values())
    if total_weight == 0:
        return Selection([], {})
    shares = {name: weight / total_weight for name, weight in weights.items()}
    size = _largest_fitting(shares, by_category)
    if limit is not None:
        # The pool's own shares always fit, so a limit beyond the pool takes the pool; a
        # mix asks for what it asks, and categories that cannot follow are reported short.
        size = limit if mix is not None else min(limit, size)
    wanted = _apportion(size, shares)
    picked: list[PoolPrompt] = []
    short: dict[str, int] = {}
    for name, count in wanted.items():
        candidates = sorted(by_category[name], key=lambda p: _draw(seed, p.external_id))
        if count > len(candidates):
            short[name] = count - len(candidates)
        picked.extend(candidates[:count])
    picked.sort(key=lambda p: p.id)
    return Selection(picked, wanted, short)


def _largest_fitting(shares: dict[str, float], by_category: dict[str, list]) -> int:
    """The largest sample whose every category's share fits in what the pool holds."""
    return min(math.floor(len(by_category[name]) / share + 1e-9)
               for name, share in shares.items())


def _apportion(size: int, shares: dict[str, float]) -> dict[str, int]:
    """Split ``size`` by ``shares`` in whole prompts (largest remainders; ties by name)."""
    exact = {name: size * share for name, share in shares.items()}
    counts = {name: math.floor(value) for name, value in exact.items()}
    rest = size - sum(counts.values())
    for name in sorted(exact, key=lambda n: (-(exact[n] - counts[n]), n))[:rest]:
        counts[name] += 1
    return counts


def _draw(seed: int, external_id: str) -> bytes:
    return hashlib.sha256(f"{seed}\0{external_id}".encode()).digest()
