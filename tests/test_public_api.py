"""The public API is pinned: changing it must be deliberate (and documented in the README)."""

import yotsu
import yotsu.evidence
import yotsu.model


def test_package_root_exports():
    assert sorted(yotsu.__all__) == sorted(
        [
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
    )


def test_model_exports():
    assert sorted(yotsu.model.__all__) == sorted(
        [
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
    )


def test_evidence_exports():
    assert sorted(yotsu.evidence.__all__) == sorted(
        [
            "Citation",
            "EvidenceLevel",
            "RegistryFileError",
            "UnknownCitationError",
            "check_keys",
            "cite",
            "registry",
        ]
    )


def test_exported_names_exist():
    for module in (yotsu, yotsu.model, yotsu.evidence):
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"
