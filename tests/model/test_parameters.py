from __future__ import annotations

import numpy as np
import pytest

from yotsu.evidence import registry
from yotsu.model import ParameterRangeError, PersonParams, UnknownParameterError, parameter_table


@pytest.mark.parametrize("name", list(parameter_table()))
def test_every_parameter_has_default_range_unit_meaning_and_resolving_evidence(name):
    spec = parameter_table()[name]
    lo, hi = spec.range
    assert lo <= spec.default <= hi and lo < hi
    assert spec.unit and spec.meaning.en and spec.meaning.ja
    assert spec.evidence and all(k in registry() for k in spec.evidence)


def test_out_of_range_value_names_parameter_value_and_range():
    with pytest.raises(ParameterRangeError) as err:
        PersonParams.from_values({"body_map_precision_init": 1.7})
    msg = str(err.value)
    assert "body_map_precision_init" in msg and "1.7" in msg and "[0.05, 1]" in msg


def test_out_of_range_in_a_cohort_names_the_person():
    with pytest.raises(ParameterRangeError, match=r"gain_init = 0.5 \(person 2\)"):
        PersonParams.from_values({"gain_init": [1.0, 2.0, 0.5]})


def test_nan_is_out_of_range():
    with pytest.raises(ParameterRangeError, match="tissue_drive"):
        PersonParams.from_values({"tissue_drive": float("nan")})


def test_unknown_parameter_is_named():
    with pytest.raises(UnknownParameterError, match="pianness"):
        PersonParams.from_values({"pianness": 1.0})


def test_scalars_broadcast_and_arrays_are_per_person():
    p = PersonParams.from_values({"gain_init": [1.0, 1.5, 2.0], "tissue_drive": 2.0})
    assert p.n == 3
    np.testing.assert_array_equal(p["tissue_drive"], [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(p.take(slice(1, 3))["gain_init"], [1.5, 2.0])
    assert p.replace(gain_init=3.0)["gain_init"].tolist() == [3.0, 3.0, 3.0]


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError, match="different lengths"):
        PersonParams.from_values({"gain_init": [1.0, 2.0], "tissue_drive": [1.0, 2.0, 3.0]})
