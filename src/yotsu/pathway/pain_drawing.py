"""The pain drawing: where it hurts, on a front and a back body outline, and how far it spreads.

Regions are data (``data/pain_drawing.yaml``): a parametric shape per region (for drawing), its share
of the body surface (Lund & Browder chart, lund1944) and the region of the 2016 generalized-pain rule
it belongs to (wolfe2016). From the regions marked the extent is computed:

- ``body_share``: the share of the body surface marked (0-1), the template form of "pain extent"
  (pixel counts in barbero2015; region templates in margolis1986);
- ``n_regions``: how many regions are marked;
- ``widespread``: pain in at least 4 of the 5 regions (left upper, right upper, left lower, right
  lower, axial) - the *pattern* of the wolfe2016 rule, not a diagnosis (the criteria also ask for
  duration and symptom severity).

A widespread pattern goes with signs of sensitisation in people with back pain (gerhardt2016;
nijs2015, level ``reported``); the pathway offers it as such a sign, and the body share as a profile
input (``pain_drawing.body_share``, mapping ``clinical_impression``).

>>> extent = pain_extent(["low_back_left", "low_back_right"])
>>> round(extent.body_share, 4), extent.n_regions, extent.widespread
(0.065, 2, False)
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from enum import StrEnum
from functools import cache
from typing import Any, Literal

from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.observation import Observation, ObservationComponent
from fhir.resources.R4B.quantity import Quantity
from fhir.resources.R4B.reference import Reference
from pydantic import BaseModel, ConfigDict, Field, model_validator

from yotsu.i18n import LocalText, gettext
from yotsu.pathway._common import Evidence, Identifier, PathwayError, load_model, package_data

VIEW_WIDTH = 200.0
VIEW_HEIGHT = 440.0
WOLFE_REGIONS = ("left_upper", "right_upper", "left_lower", "right_lower", "axial")


class View(StrEnum):
    FRONT = "front"
    BACK = "back"


class PainDrawingError(PathwayError, ValueError):
    """Marked regions that are not regions of the pain drawing."""

    template = "pain drawing: {detail}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RegionSpec(_Frozen):
    """One region as written in the data file (a paired region is given for the viewer's left half)."""

    id: Identifier
    view: View
    paired: bool
    area_percent: float = Field(gt=0, le=20)
    wolfe_region: Literal["upper", "lower", "axial"] | None = None
    name: LocalText
    ellipse: tuple[float, float, float, float] | None = None
    polygon: tuple[tuple[float, float], ...] | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> RegionSpec:
        if (self.ellipse is None) == (self.polygon is None):
            raise ValueError(f"region {self.id}: give exactly one of ellipse or polygon")
        if self.polygon is not None and len(self.polygon) < 3:
            raise ValueError(f"region {self.id}: a polygon needs at least 3 points")
        return self


class Region(_Frozen):
    """A region as drawn and counted: its side is the person's own (``None`` on the midline)."""

    id: str
    view: View
    side: Literal["left", "right"] | None
    area_percent: float
    wolfe_region: str | None  # one of WOLFE_REGIONS, or None when the rule does not count it
    name: LocalText
    svg_path: str  # an SVG path "d" in the view's 200 x 440 frame

    def label(self, lang: str = "en") -> str:
        """The region's name with its side, for a person."""
        if self.side is None:
            return self.name(lang)
        side = gettext("left", lang) if self.side == "left" else gettext("right", lang)
        return f"{side} {self.name(lang)}" if lang == "en" else f"{side}{self.name(lang)}"


class DrawingEvidence(_Frozen):
    area: Evidence
    widespread: Evidence
    sensitisation: Evidence
    extent: Evidence


class PainDrawingData(_Frozen):
    evidence: DrawingEvidence
    widespread_min_regions: int = Field(ge=1, le=5)
    regions: tuple[RegionSpec, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _whole_body(self) -> PainDrawingData:
        ids = [r.id for r in self.regions]
        if len(ids) != len(set(ids)):
            raise ValueError("region ids must be unique")
        total = sum(r.area_percent * (2 if r.paired else 1) for r in self.regions)
        if abs(total - 100) > 1e-6:
            raise ValueError(f"region areas add up to {total:g}%, not 100%")
        return self


def _ellipse_path(cx: float, cy: float, rx: float, ry: float) -> str:
    return f"M {cx - rx:g} {cy:g} a {rx:g} {ry:g} 0 1 0 {2 * rx:g} 0 a {rx:g} {ry:g} 0 1 0 {-2 * rx:g} 0 Z"


def _polygon_path(points: Iterable[tuple[float, float]]) -> str:
    return "M " + " L ".join(f"{x:g} {y:g}" for x, y in points) + " Z"


def _path(spec: RegionSpec, mirror: bool) -> str:
    def mx(x: float) -> float:
        return VIEW_WIDTH - x if mirror else x

    if spec.ellipse is not None:
        cx, cy, rx, ry = spec.ellipse
        return _ellipse_path(mx(cx), cy, rx, ry)
    assert spec.polygon is not None
    return _polygon_path((mx(x), y) for x, y in spec.polygon)


def _expand(spec: RegionSpec) -> list[Region]:
    if not spec.paired:
        axial = spec.wolfe_region if spec.wolfe_region == "axial" else None
        return [Region(id=spec.id, view=spec.view, side=None, area_percent=spec.area_percent, wolfe_region=axial,
                       name=spec.name, svg_path=_path(spec, False))]  # fmt: skip
    # The viewer's left half is the person's right on the front view and the person's left on the back.
    out = []
    sides: tuple[tuple[Literal["left", "right"], bool], ...] = (
        (("right", False), ("left", True)) if spec.view is View.FRONT else (("left", False), ("right", True))
    )
    for side, mirror in sides:
        wolfe: str | None = None
        if spec.wolfe_region == "axial":
            wolfe = "axial"
        elif spec.wolfe_region is not None:
            wolfe = f"{side}_{spec.wolfe_region}"
        out.append(
            Region(
                id=f"{spec.id}_{side}",
                view=spec.view,
                side=side,
                area_percent=spec.area_percent,
                wolfe_region=wolfe,
                name=spec.name,
                svg_path=_path(spec, mirror),
            )
        )
    return out


@cache
def pain_drawing_data() -> PainDrawingData:
    """The shipped regions and evidence (``data/pain_drawing.yaml``), validated on load."""
    return load_model(package_data("yotsu.pathway", "pain_drawing.yaml"), PainDrawingData)


@cache
def body_regions() -> tuple[Region, ...]:
    """Every region of both views, paired regions as a left and a right region."""
    return tuple(r for spec in pain_drawing_data().regions for r in _expand(spec))


def region_ids() -> tuple[str, ...]:
    return tuple(r.id for r in body_regions())


class PainExtent(_Frozen):
    """How far the marked pain spreads (module docstring), with the evidence behind each figure."""

    regions: tuple[str, ...]
    body_share: float = Field(ge=0, le=1)
    n_regions: int = Field(ge=0)
    wolfe_regions: tuple[str, ...]
    widespread: bool
    extent_evidence: Evidence
    widespread_evidence: Evidence

    def sensitisation_sign(self) -> SpreadSign | None:
        """The sign offered to the pathway when the pattern is widespread; ``None`` otherwise."""
        if not self.widespread:
            return None
        msgid = (
            "The pain drawing shows pain in most regions of the body (a widespread pattern). This goes with "
            "sensitised pain circuits in some people with back pain; it is a sign to consider, not a diagnosis."
        )
        return SpreadSign(
            message=LocalText(en=gettext(msgid, "en"), ja=gettext(msgid, "ja")),
            evidence=pain_drawing_data().evidence.sensitisation,
        )


class SpreadSign(_Frozen):
    """A sign of spread and sensitisation from the pain drawing, with its evidence."""

    message: LocalText
    evidence: Evidence


def pain_extent(marked: Iterable[str]) -> PainExtent:
    """The extent of the pain marked in ``marked`` (region ids, see :func:`region_ids`).

    Unknown ids are an error naming them; a region marked twice counts once.
    """
    by_id = {r.id: r for r in body_regions()}
    chosen = list(dict.fromkeys(marked))
    unknown = [m for m in chosen if m not in by_id]
    if unknown:
        raise PainDrawingError(
            detail=f"unknown region(s) {', '.join(map(repr, unknown))}; the regions are: {', '.join(by_id)}"
        )
    regions = [by_id[m] for m in chosen]
    wolfe = tuple(w for w in WOLFE_REGIONS if any(r.wolfe_region == w for r in regions))
    data = pain_drawing_data()
    return PainExtent(
        regions=tuple(sorted(chosen, key=list(by_id).index)),
        body_share=min(1.0, sum(r.area_percent for r in regions) / 100),
        n_regions=len(regions),
        wolfe_regions=wolfe,
        widespread=len(wolfe) >= data.widespread_min_regions,
        extent_evidence=Evidence(
            citations=tuple(dict.fromkeys(data.evidence.extent.citations + data.evidence.area.citations)),
            level=data.evidence.extent.level,
        ),
        widespread_evidence=data.evidence.widespread,
    )


PAIN_DRAWING_SYSTEM = "urn:yotsu:pain-drawing"
REGION_SYSTEM = "urn:yotsu:body-region"


def to_fhir_observation(extent: PainExtent, subject: str, when: dt.datetime) -> dict[str, Any]:
    """The drawing as a FHIR R4B ``Observation`` (JSON-ready dict): one component per marked region
    and one each for the body share (%), the number of regions and the widespread pattern."""

    def code(system: str, value: str, display: str) -> CodeableConcept:
        return CodeableConcept(coding=[Coding(system=system, code=value, display=display)])

    labels = {r.id: r.label("en") for r in body_regions()}
    components = [
        ObservationComponent(code=code(PAIN_DRAWING_SYSTEM, "body_share", "share of body surface marked"),
                             valueQuantity=Quantity(value=round(extent.body_share * 100, 4), unit="%",
                                                    system="http://unitsofmeasure.org", code="%")),
        ObservationComponent(code=code(PAIN_DRAWING_SYSTEM, "n_regions", "number of regions marked"),
                             valueInteger=extent.n_regions),
        ObservationComponent(code=code(PAIN_DRAWING_SYSTEM, "widespread", "widespread pattern (4 of 5 regions)"),
                             valueBoolean=extent.widespread),
    ] + [
        ObservationComponent(code=code(PAIN_DRAWING_SYSTEM, "region", "region marked"),
                             valueCodeableConcept=code(REGION_SYSTEM, rid, labels[rid]))
        for rid in extent.regions
    ]  # fmt: skip
    observation = Observation(
        status="final",
        code=code(PAIN_DRAWING_SYSTEM, "pain_drawing", "pain drawing"),
        subject=Reference(reference=subject),
        effectiveDateTime=when,
        component=components,
    )
    result: dict[str, Any] = json.loads(observation.model_dump_json(exclude_none=True))
    return result


def from_fhir_observation(data: dict[str, Any]) -> PainExtent:
    """Read back an Observation made by :func:`to_fhir_observation`; the extent is recomputed from the
    regions (never taken from the stored figures)."""
    try:
        observation = Observation.model_validate(data)
    except ValueError as exc:
        raise PainDrawingError(detail=f"not a valid FHIR Observation: {exc}") from exc
    codes = [c.system == PAIN_DRAWING_SYSTEM and c.code == "pain_drawing" for c in observation.code.coding or []]
    if not any(codes):
        raise PainDrawingError(
            detail=f"the Observation is not a pain drawing (code {PAIN_DRAWING_SYSTEM}#pain_drawing)"
        )
    regions = []
    for component in observation.component or []:
        if any(c.code == "region" for c in component.code.coding or []) and component.valueCodeableConcept:
            regions += [c.code for c in component.valueCodeableConcept.coding or [] if c.system == REGION_SYSTEM]
    return pain_extent(str(r) for r in regions)


__all__ = [
    "PainDrawingError",
    "PainExtent",
    "Region",
    "SpreadSign",
    "View",
    "body_regions",
    "from_fhir_observation",
    "pain_drawing_data",
    "pain_extent",
    "region_ids",
    "to_fhir_observation",
]
