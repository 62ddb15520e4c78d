"""Start and end figures of each exercise, drawn by the app as SVG (``data/figures.yaml``).

Front views are the body-map task's parametric trunk figure (:func:`yotsu_web.bodymap.figure.trunk_svg`);
side views are a stick figure of the same proportions and classes, posed by joint angles. Both use only
``line``, ``path`` (M/L/Z) and ``circle`` elements with classes (no style attribute: CSP-safe), so the
printable sheet can redraw them in the PDF (:mod:`yotsu_web.programme.sheet`).
"""

from __future__ import annotations

import math
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from yotsu.pathway.exercises import exercise_library
from yotsu_web.bodymap.figure import Stimulus, trunk_svg

_SHANK, _THIGH, _TRUNK, _NECK, _HEAD_R, _UPPER_ARM, _FOREARM, _FOOT = 46.0, 46.0, 62.0, 8.0, 13.0, 30.0, 28.0, 16.0


class SidePose(BaseModel):
    """Joint angles in degrees for the side view (the person faces right)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    trunk: float = Field(default=0, ge=-30, le=100)
    hip: float = Field(default=0, ge=-40, le=120)
    knee: float = Field(default=0, ge=0, le=140)
    hip2: float = Field(default=0, ge=-40, le=120)
    knee2: float = Field(default=0, ge=0, le=140)
    shoulder: float = Field(default=0, ge=-60, le=180)
    elbow: float = Field(default=0, ge=0, le=150)
    neck: float = Field(default=0, ge=-40, le=60)
    pelvis: float = Field(default=0, ge=-20, le=20)
    supine: bool = False
    chair: bool = False
    toes: bool = False
    heels: bool = False
    belly: float = Field(default=0, ge=0, le=1)
    touch: int = Field(default=0, ge=0, le=3)


class FrontPose(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    movement: Literal["rotation", "side_bend"]
    side: Literal["left", "right"]
    angle_deg: float = Field(ge=0, le=60)


class ExerciseFigure(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    view: Literal["side", "front"]
    start: SidePose | FrontPose
    end: SidePose | FrontPose


@cache
def figure_specs() -> dict[str, ExerciseFigure]:
    """Every exercise's figure, validated; every exercise in the library must have one."""
    text = (resources.files("yotsu_web.programme") / "data" / "figures.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    specs = {}
    for exercise_id, spec in raw.items():
        pose = SidePose if spec["view"] == "side" else FrontPose
        specs[exercise_id] = ExerciseFigure(
            view=spec["view"], start=pose.model_validate(spec["start"]), end=pose.model_validate(spec["end"])
        )
    missing = {e.id for e in exercise_library().exercises} - set(specs)
    if missing:
        raise ValueError(f"figures.yaml: no figure for {', '.join(sorted(missing))}")
    return specs


def _point(origin: tuple[float, float], length: float, angle_deg: float) -> tuple[float, float]:
    a = math.radians(angle_deg)
    return origin[0] + length * math.cos(a), origin[1] + length * math.sin(a)


def _leg(hip: tuple[float, float], hip_flex: float, knee_flex: float, pose: SidePose) -> list[tuple[float, float]]:
    thigh_dir = -90 + hip_flex
    knee = _point(hip, _THIGH, thigh_dir)
    ankle = _point(knee, _SHANK, thigh_dir - knee_flex)
    foot_dir = 25 if pose.heels else 0
    toe = _point(ankle, _FOOT, foot_dir)
    if pose.toes:  # heel raised: the foot pivots on the toes
        ankle = (ankle[0], ankle[1] + 8)
        toe = (ankle[0] + _FOOT * 0.9, ankle[1] - 8)
    return [hip, knee, ankle, toe]


def _side_parts(pose: SidePose) -> list[tuple[str, str, list[tuple[float, float]]]]:
    """(element kind, class, points) in body coordinates (y up, the hip at the origin)."""
    hip = (0.0, 0.0)
    trunk_dir = 90 - pose.trunk
    shoulder = _point(hip, _TRUNK, trunk_dir)
    low_back = _point(hip, _TRUNK * 0.3, trunk_dir)
    lumbar = _point(low_back, 6 * pose.pelvis / 10, trunk_dir - 90)  # pelvic tilt bows the low back
    neck_top = _point(shoulder, _NECK, trunk_dir - pose.neck)
    head = _point(neck_top, _HEAD_R, trunk_dir - pose.neck)
    arm_dir = trunk_dir - 180 + pose.shoulder
    elbow = _point(shoulder, _UPPER_ARM, arm_dir)
    hand = _point(elbow, _FOREARM, arm_dir + pose.elbow)
    parts: list[tuple[str, str, list[tuple[float, float]]]] = [
        ("line", "leg far", _leg(hip, pose.hip2, pose.knee2, pose)),
        ("line", "torso-line", [hip, lumbar, shoulder]),
        ("line", "neck", [shoulder, neck_top]),
        ("circle", "head", [head]),
        ("line", "arm near", [shoulder, elbow, hand]),
        ("line", "leg near", _leg(hip, pose.hip, pose.knee, pose)),
    ]
    if pose.belly > 0:
        centre = _point(_point(hip, _TRUNK * 0.35, trunk_dir), 4 + 6 * pose.belly, trunk_dir - 90)
        parts.append(("circle", "belly", [centre]))
    for i in range(pose.touch):
        mark = _point(_point(hip, _TRUNK * (0.25 + 0.12 * i), trunk_dir), 7, trunk_dir + 90)
        parts.append(("circle", "touch", [mark]))
    return parts


def _rotate(points: list[tuple[float, float]], degrees: float) -> list[tuple[float, float]]:
    a = math.radians(degrees)
    return [(x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a)) for x, y in points]


def side_svg(pose: SidePose) -> str:
    """The side-view figure in ``pose`` as an SVG element (260 x 210 view box, floor at the bottom)."""
    parts = _side_parts(pose)
    if pose.supine:  # lying on the back: head to the left, face up
        parts = [(kind, cls, _rotate(pts, 90)) for kind, cls, pts in parts]
    xs = [x for _, _, pts in parts for x, _ in pts]
    ys = [y for kind, _, pts in parts for _, y in pts]
    head_y = [pts[0][1] for kind, cls, pts in parts if cls == "head"]
    floor = min([*ys, *(y - _HEAD_R for y in head_y)])
    if pose.supine:
        floor = min(floor, min(y for kind, cls, pts in parts if cls == "torso-line" for _, y in pts) - 9)
    shift_x = 150 - (min(xs) + max(xs)) / 2

    def svg_xy(p: tuple[float, float]) -> tuple[float, float]:
        return p[0] + shift_x, 270 - (p[1] - floor)

    out = ['<line class="floor" x1="10" y1="272" x2="290" y2="272"/>']
    if pose.chair and not pose.supine:
        hx, hy = svg_xy((0.0, 0.0))
        out.append(
            f'<path class="chair" d="M {hx - 24:.1f} {hy + 9:.1f} L {hx + 18:.1f} {hy + 9:.1f} '
            f"L {hx + 18:.1f} 272 L {hx + 12:.1f} 272 L {hx + 12:.1f} {hy + 15:.1f} L {hx - 18:.1f} "
            f'{hy + 15:.1f} L {hx - 18:.1f} 272 L {hx - 24:.1f} 272 Z"/>'
        )
    for kind, cls, pts in parts:
        coords = [svg_xy(p) for p in pts]
        if kind == "circle":
            radius = {"head": _HEAD_R, "belly": 6 + 8 * pose.belly, "touch": 4}[cls]
            out.append(f'<circle class="{cls}" cx="{coords[0][0]:.1f}" cy="{coords[0][1]:.1f}" r="{radius:.1f}"/>')
        else:
            for (x1, y1), (x2, y2) in pairwise(coords):
                out.append(f'<line class="{cls}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/>')
    body = "".join(out)
    return f'<svg class="exercise-figure side" viewBox="20 70 260 210" role="img" xmlns="http://www.w3.org/2000/svg">{body}</svg>'


def pose_svg(pose: SidePose | FrontPose) -> str:
    if isinstance(pose, FrontPose):
        return trunk_svg(Stimulus(pose.movement, pose.side, pose.angle_deg))
    return side_svg(pose)


@cache
def exercise_svgs(exercise_id: str) -> tuple[str, str]:
    """(start, end) SVG of ``exercise_id``."""
    spec = figure_specs()[exercise_id]
    return pose_svg(spec.start), pose_svg(spec.end)
