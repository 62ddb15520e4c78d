"""Yotsu: chronic low back pain as the brain's danger judgment.

The public API of the model is re-exported here (the care pathway is ``yotsu.pathway``, the
citation registry ``yotsu.evidence``); see the README for the contracts.
"""

from yotsu.model import (
    PersonParams,
    Plan,
    SimulationResult,
    get_plan,
    get_profile,
    named_plans,
    named_profiles,
    parameter_table,
    simulate,
)

__version__ = "0.1.0"

__all__ = [
    "PersonParams",
    "Plan",
    "SimulationResult",
    "__version__",
    "get_plan",
    "get_profile",
    "named_plans",
    "named_profiles",
    "parameter_table",
    "simulate",
]
