from __future__ import annotations

import pytest

from yotsu.model import simulate


@pytest.fixture(scope="session")
def runs():
    """Cached simulations: (profile, plan, days, n, seed) -> result, so claims share runs."""
    cache: dict = {}

    def run(profile: str, plan: str, days: int = 365, n: int = 100, seed: int = 11):
        key = (profile, plan, days, n, seed)
        if key not in cache:
            cache[key] = simulate(profile, plan, days=days, n=n, seed=seed)
        return cache[key]

    return run
