"""A parametric trunk figure drawn as SVG for the left/right judgement task (bray2011, moseley2008).

A standing figure seen from the front and a little above, so trunk rotation shows as depth: the
shoulder ring turns against the fixed pelvis ring and the face turns with it. Side-bending tilts the
upper body about the lumbar pivot. "Left" is always the person's own left (on the viewer's right).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

Movement = Literal["rotation", "side_bend"]
Side = Literal["left", "right"]
_ELEVATION = math.radians(22)  # the viewer looks slightly down on the figure
_PIVOT_Y = 20.0  # lumbar pivot height above the pelvis centre


@dataclass(frozen=True)
class Stimulus:
    movement: Movement
    side: Side
    angle_deg: float


STIMULI: tuple[Stimulus, ...] = tuple(
    Stimulus(movement, side, angle)
    for movement, angles in (("rotation", (30.0, 45.0)), ("side_bend", (15.0, 25.0)))
    for side in ("left", "right")
    for angle in angles
)


def _trunk(points: np.ndarray, stim: Stimulus) -> np.ndarray:
    """Move upper-body points (x: person's left, y: up, z: towards the viewer) by the stimulus."""
    p = points.astype(float).copy()
    sign = 1.0 if stim.side == "left" else -1.0
    a = math.radians(stim.angle_deg) * sign
    if stim.movement == "rotation":  # about the vertical axis: the left shoulder goes back
        x, z = p[:, 0].copy(), p[:, 2].copy()
        p[:, 0], p[:, 2] = x * math.cos(a) + z * math.sin(a), -x * math.sin(a) + z * math.cos(a)
    else:  # about the front-back axis through the lumbar pivot: the head goes to the person's left
        x, y = p[:, 0].copy(), p[:, 1].copy() - _PIVOT_Y
        p[:, 0] = x * math.cos(a) + y * math.sin(a)
        p[:, 1] = -x * math.sin(a) + y * math.cos(a) + _PIVOT_Y
    return p


def _project(points: np.ndarray) -> np.ndarray:
    """Orthographic view from slightly above; SVG coordinates (y down), figure centred at x=150."""
    x = points[:, 0]
    y_up = points[:, 1] * math.cos(_ELEVATION) - points[:, 2] * math.sin(_ELEVATION)
    return np.column_stack([150 + x, 250 - y_up])


def _ring(y: float, rx: float, rz: float, n: int = 36) -> np.ndarray:
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    return np.column_stack([rx * np.cos(t), np.full(n, y), rz * np.sin(t)])


def _path(points: np.ndarray, closed: bool = True) -> str:
    coords = " L ".join(f"{x:.1f} {y:.1f}" for x, y in points)
    return f"M {coords}{' Z' if closed else ''}"


def trunk_svg(stim: Stimulus) -> str:
    """The figure for ``stim`` as an SVG element (no script, no style attribute: CSP-safe)."""
    pelvis = _ring(0.0, 42, 22)
    shoulders = _trunk(_ring(150.0, 68, 26), stim)
    hips = np.array([[-30, 0, 0], [30, 0, 0]], dtype=float)
    feet = np.array([[-34, -170, 0], [34, -170, 0]], dtype=float)
    joints = _trunk(np.array([[68, 150, 0], [-68, 150, 0], [0, 150, 0], [0, 182, 0]], dtype=float), stim)
    hands = _trunk(np.array([[74, 30, 6], [-74, 30, 6]], dtype=float), stim)
    face = _trunk(np.array([[0, 186, 22], [-9, 192, 17], [9, 192, 17]], dtype=float), stim)
    head_centre = _trunk(np.array([[0, 190, 0]], dtype=float), stim)
    torso = np.array([joints[1], joints[0], [30, 0, 0], [-30, 0, 0]], dtype=float)

    def seg(a: np.ndarray, b: np.ndarray, cls: str) -> str:
        (x1, y1), (x2, y2) = _project(np.array([a, b]))
        return f'<line class="{cls}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>'

    # draw the limb further from the viewer first, so the nearer one overlaps it
    arms = sorted([(joints[0], hands[0]), (joints[1], hands[1])], key=lambda ab: ab[0][2])
    parts = [seg(hips[i], feet[i], "leg") for i in range(2)]
    parts.append(f'<path class="pelvis" d="{_path(_project(pelvis))}"/>')
    parts.append(f'<path class="torso" d="{_path(_project(torso))}"/>')
    parts.append(seg(np.array([0, _PIVOT_Y, 0]), joints[2], "spine"))
    parts.append(seg(*arms[0], "arm far"))
    parts.append(f'<path class="shoulders" d="{_path(_project(shoulders))}"/>')
    parts.append(seg(*arms[1], "arm near"))
    hx, hy = _project(head_centre)[0]
    parts.append(f'<circle class="head" cx="{hx:.1f}" cy="{hy:.1f}" r="24"/>')
    if face[0][2] > 0:  # the face is drawn only while it looks towards the viewer
        (nx, ny), (ex1, ey1), (ex2, ey2) = _project(face)
        parts.append(f'<circle class="nose" cx="{nx:.1f}" cy="{ny:.1f}" r="4"/>')
        parts += [f'<circle class="eye" cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>' for x, y in ((ex1, ey1), (ex2, ey2))]
    body = "".join(parts)
    return f'<svg class="trunk" viewBox="0 0 300 460" role="img" xmlns="http://www.w3.org/2000/svg">{body}</svg>'


def trial_order(rng: np.random.Generator, n_trials: int) -> list[int]:
    """``n_trials`` stimulus indices, each stimulus as often as possible, in random order."""
    repeats = -(-n_trials // len(STIMULI))
    return [int(i) for i in rng.permutation(np.tile(np.arange(len(STIMULI)), repeats))[:n_trials]]
