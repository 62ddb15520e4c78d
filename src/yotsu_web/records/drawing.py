"""The pain drawing as the desk and the patient see it: the pathway's regions grouped by view."""

from __future__ import annotations

from dataclasses import dataclass

from yotsu.pathway.pain_drawing import VIEW_HEIGHT, VIEW_WIDTH, Region, View, body_regions
from yotsu_web.clinics.lang import current_lang


@dataclass(frozen=True)
class DrawnRegion:
    id: str
    label: str
    path: str
    marked: bool


@dataclass(frozen=True)
class DrawnView:
    view: str
    regions: list[DrawnRegion]
    width: float = VIEW_WIDTH
    height: float = VIEW_HEIGHT


def drawing_views(marked: list[str] | tuple[str, ...] = ()) -> list[DrawnView]:
    lang = current_lang()

    def drawn(r: Region) -> DrawnRegion:
        return DrawnRegion(r.id, r.label(lang), r.svg_path, r.id in marked)

    return [DrawnView(v.value, [drawn(r) for r in body_regions() if r.view is v]) for v in View]
