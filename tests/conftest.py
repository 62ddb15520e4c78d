"""Settings for the whole suite: property-based tests run the same examples on every run (CI must not flake);
``HYPOTHESIS_PROFILE=explore`` searches new examples each run."""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


# --- fuzz counts ----------------------------------------------------------------------------------------
# Property-based fuzz tests (tests/test_fuzz_parsers.py, tests/web/test_fuzz_forms.py) count the cases they
# ran per target with the ``fuzz_counts`` fixture; the totals are printed at the end of the run.

_FUZZ_COUNTS: Counter[str] = Counter()


@pytest.fixture(scope="session")
def fuzz_counts() -> Counter[str]:
    return _FUZZ_COUNTS


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _FUZZ_COUNTS:
        return
    terminalreporter.section("fuzz cases per target")
    for target, n in sorted(_FUZZ_COUNTS.items()):
        terminalreporter.write_line(f"{target:<40} {n:>6}")
    terminalreporter.write_line(f"{'total':<40} {sum(_FUZZ_COUNTS.values()):>6}")
