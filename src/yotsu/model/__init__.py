"""The article's mechanism as an executable model (ARCHITECTURE.md section 2)."""

from yotsu.model._step import DayInput, Outputs, Params, State, perceive, step
from yotsu.model.parameters import (
    ParameterError,
    ParameterRangeError,
    ParamSpec,
    PersonParams,
    UnknownParameterError,
    parameter_table,
)
from yotsu.model.plans import (
    SESSION_KINDS,
    Plan,
    PlanError,
    SessionSpec,
    get_plan,
    load_plan_file,
    named_plans,
)
from yotsu.model.profiles import Profile, ProfileError, get_profile, named_profiles
from yotsu.model.simulate import MAIN_SERIES, SERIES, SimulationError, SimulationResult, simulate
from yotsu.model.studies import StudyError, StudyResult, StudySpec, get_study, named_studies, run_study

__all__ = [
    "MAIN_SERIES",
    "SERIES",
    "SESSION_KINDS",
    "DayInput",
    "Outputs",
    "ParamSpec",
    "ParameterError",
    "ParameterRangeError",
    "Params",
    "PersonParams",
    "Plan",
    "PlanError",
    "Profile",
    "ProfileError",
    "SessionSpec",
    "SimulationError",
    "SimulationResult",
    "State",
    "StudyError",
    "StudyResult",
    "StudySpec",
    "UnknownParameterError",
    "get_plan",
    "get_profile",
    "get_study",
    "load_plan_file",
    "named_plans",
    "named_profiles",
    "named_studies",
    "parameter_table",
    "perceive",
    "run_study",
    "simulate",
    "step",
]
