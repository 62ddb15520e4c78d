"""The personal model's Kalman filter: the exact marginal likelihood of a diary's pain given the parameters.

State ``x = (slow, flare)``: the slow level is a random walk (the brain's general danger level, which moves
over weeks), the flare an AR(1) (ups and downs that fade over days). The observation is
``pain = slow + flare + mean_t + noise``, where ``mean_t`` (sleep, stress, massage relief, strong-session
escalation, active care) is computed outside and subtracted first. Missing days (NaN) skip the update.
Ratings are whole numbers: rounding adds ``rounding_var`` (1/12 point², Sheppard's correction) to the
observation variance.
Durbin & Koopman (2012), chapter 4 (``durbin2012``); compiled with Numba because a fit evaluates it
thousands of times.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from numpy.typing import NDArray

LOG_2PI = math.log(2.0 * math.pi)


@njit(cache=True)
def kalman_loglik(
    residual: NDArray[np.float64],
    slow_sd: float,
    persistence: float,
    flare_sd: float,
    report_sd: float,
    slow0: float,
    slow0_sd: float,
    rounding_var: float,
) -> tuple[float, float, float, float, float, float]:
    """Log-likelihood of ``residual`` (NaN = not recorded) and the filtered state after its last day.

    Returns ``(loglik, slow_mean, flare_mean, var_slow, cov_slow_flare, var_flare)``.
    """
    m0, m1 = slow0, 0.0
    p00 = slow0_sd * slow0_sd
    p01 = 0.0
    p11 = flare_sd * flare_sd / max(1.0 - persistence * persistence, 1e-6)
    q0, q1, r = slow_sd * slow_sd, flare_sd * flare_sd, report_sd * report_sd + rounding_var
    loglik = 0.0
    for t in range(residual.shape[0]):
        if t > 0:  # predict: slow is a random walk, the flare decays by `persistence`
            m1 = persistence * m1
            p00 = p00 + q0
            p01 = persistence * p01
            p11 = persistence * persistence * p11 + q1
        y = residual[t]
        if math.isnan(y):
            continue
        v = y - m0 - m1
        s = p00 + 2.0 * p01 + p11 + r
        k0 = (p00 + p01) / s
        k1 = (p01 + p11) / s
        loglik -= 0.5 * (LOG_2PI + math.log(s) + v * v / s)
        m0 += k0 * v
        m1 += k1 * v
        a = p00 + p01
        b = p01 + p11
        p00 = p00 - k0 * a
        p01 = p01 - k0 * b
        p11 = p11 - k1 * b
    return loglik, m0, m1, p00, p01, p11
