"""Settings for the whole suite: property-based tests run the same examples on every run (CI must not flake);
``HYPOTHESIS_PROFILE=explore`` searches new examples each run."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("repeatable", derandomize=True, print_blob=True)
settings.register_profile("explore", derandomize=False, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))
