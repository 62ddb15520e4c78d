"""The printable weekly sheet: a print-ready page and a PDF (ReportLab) with the figures, doses and a
tick-box log. Japanese is set in IPAex Gothic, the font file matplotlib-fontja ships (TrueType, embedded)."""

from __future__ import annotations

import datetime as dt
import io
import re
from functools import cache
from pathlib import Path

import matplotlib_fontja
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from yotsu.pathway.progression import week_start
from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.clinics.access import clinic_patient, own_record
from yotsu_web.clinics.lang import current_lang
from yotsu_web.clinics.models import Membership
from yotsu_web.programme.figures import exercise_svgs
from yotsu_web.programme.models import Programme, ProgrammeExercise
from yotsu_web.programme.templatetags.programme_tags import dose_text

FONT = "IPAexGothic"
# stroke colour, stroke width, fill (None = none) for each figure class, as in programme.css / site.css
STYLES: dict[str, tuple[str | None, float, str | None]] = {
    "floor": ("#c9ced6", 3, None),
    "chair": ("#8a6a45", 2, "#d8cbb8"),
    "leg far": ("#9aa3b0", 13, None),
    "arm far": ("#9aa3b0", 13, None),
    "leg near": ("#6b7380", 14, None),
    "arm near": ("#3d4653", 10, None),
    "torso-line": ("#e3c9a8", 26, None),
    "neck": ("#e3c9a8", 9, None),
    "head": ("#8a6a45", 2, "#e3c9a8"),
    "belly": ("#1f6f5c", 2, "#a5c9bf"),
    "touch": (None, 0, "#b23a48"),
    "leg": ("#6b7380", 20, None),
    "pelvis": ("#6b7380", 2, "#c9ced6"),
    "torso": ("#8a6a45", 2, "#e3c9a8"),
    "shoulders": ("#1f6f5c", 3, "#a5c9bf"),
    "spine": ("#8a6a45", 3, None),
    "nose": (None, 0, "#b23a48"),
    "eye": (None, 0, "#1d2430"),
}
_ELEMENT = re.compile(r'<(line|path|circle) class="([^"]+)" ([^>]*)/>')
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_VIEWBOX = re.compile(r'viewBox="([\d.\s-]+)"')


@cache
def _font() -> str:
    path = Path(matplotlib_fontja.__file__).parent / "fonts" / "ipaexg.ttf"
    pdfmetrics.registerFont(TTFont(FONT, str(path)))
    return FONT


def draw_svg(canvas: Canvas, svg: str, x: float, y: float, width: float) -> float:
    """Draw one of the app's figures (line/path/circle with classes) with its top-left at (x, y); returns the height."""
    vx, vy, vw, vh = (float(v) for v in _VIEWBOX.search(svg).group(1).split())  # type: ignore[union-attr]
    scale = width / vw
    height = vh * scale
    canvas.saveState()
    canvas.translate(x - vx * scale, y + vy * scale)
    canvas.scale(scale, -scale)
    canvas.setLineCap(1)
    for kind, cls, attrs in _ELEMENT.findall(svg):
        a = dict(_ATTR.findall(attrs))
        stroke, stroke_width, fill = STYLES.get(cls, ("#333333", 2, None))
        canvas.setLineWidth(stroke_width)
        if stroke:
            canvas.setStrokeColor(HexColor(stroke))
        if fill:
            canvas.setFillColor(HexColor(fill))
        if kind == "line":
            canvas.line(float(a["x1"]), float(a["y1"]), float(a["x2"]), float(a["y2"]))
        elif kind == "circle":
            canvas.circle(float(a["cx"]), float(a["cy"]), float(a["r"]), stroke=int(bool(stroke)), fill=int(bool(fill)))
        else:
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", a["d"])]
            path = canvas.beginPath()
            path.moveTo(numbers[0], numbers[1])
            for i in range(2, len(numbers) - 1, 2):
                path.lineTo(numbers[i], numbers[i + 1])
            path.close()
            canvas.drawPath(path, stroke=int(bool(stroke)), fill=int(bool(fill)))
    canvas.restoreState()
    return height


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of at most ``width`` points; breaks anywhere for Japanese, at spaces otherwise."""
    lines, line = [], ""
    for char in text:
        trial = line + char
        if pdfmetrics.stringWidth(trial, font, size) > width:
            cut = line.rfind(" ")
            if cut > len(line) * 0.6:
                lines.append(line[:cut])
                line = line[cut + 1 :] + char
            else:
                lines.append(line)
                line = char
        else:
            line = trial
    return [*lines, line] if line else lines


def week_days(today: dt.date) -> list[dt.date]:
    first = week_start(today)
    return [first + dt.timedelta(days=i) for i in range(7)]


def sheet_pdf(patient: Membership, entries: list[ProgrammeExercise], today: dt.date) -> bytes:
    """The week's sheet as PDF bytes, in the active language."""
    font, lang = _font(), current_lang()
    buffer = io.BytesIO()
    page_w, page_h = A4
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(_("Weekly exercise sheet"))
    margin, y = 40.0, page_h - 50
    days = week_days(today)

    def header() -> float:
        canvas.setFont(font, 16)
        canvas.drawString(margin, page_h - 50, _("Weekly exercise sheet") + f" — {patient.clinic.name}")
        canvas.setFont(font, 10)
        canvas.drawString(margin, page_h - 66, _("Week of %(date)s") % {"date": days[0].isoformat()})
        return page_h - 84

    y = header()
    for entry in entries:
        needed = 190
        if y - needed < 40:
            canvas.showPage()
            y = header()
        ex = entry.exercise
        canvas.setFont(font, 12)
        level = _("level")
        canvas.drawString(margin, y - 12, f"{ex.name(lang)} ({level} {entry.level})")
        canvas.setFont(font, 10)
        canvas.drawString(margin, y - 28, dose_text(entry.dose))
        start, end = exercise_svgs(entry.exercise_id)
        fig_w = 95.0
        h1 = draw_svg(canvas, start, margin, y - 34, fig_w)
        draw_svg(canvas, end, margin + fig_w + 6, y - 34, fig_w)
        text_x = margin + 2 * fig_w + 16
        text_y = y - 44
        canvas.setFont(font, 9)
        for line in _wrap(ex.instructions(lang), font, 9, page_w - margin - text_x)[:7]:
            canvas.drawString(text_x, text_y, line)
            text_y -= 12
        # tick boxes: one per day of the week, and a space for the pain during
        box_y = min(y - 40 - h1, text_y) - 8
        canvas.setFont(font, 8)
        for i, day in enumerate(days):
            bx = margin + i * 70
            canvas.drawString(bx, box_y, f"{day:%m/%d} {date_format(day, 'D')}")
            canvas.rect(bx, box_y - 18, 12, 12)
            canvas.drawString(bx + 16, box_y - 15, _("pain") + " ___")
        y = box_y - 34
    canvas.setFont(font, 8)
    canvas.drawString(margin, 30, _("Tick each session you did and write the pain during it (0-10)."))
    canvas.save()
    return buffer.getvalue()


def _entries(programme: Programme) -> list[ProgrammeExercise]:
    return list(programme.exercises.filter(active=True))


def _pdf_response(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="yotsu-weekly-sheet.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def my_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    programme = get_object_or_404(Programme, patient=patient)
    record(request, patient.clinic, Action.VIEW, programme)
    today = timezone.localdate()
    context = {"clinic": patient.clinic, "entries": _entries(programme), "days": week_days(today)}
    return render(request, "programme/sheet.html", context)


@login_required
def my_sheet_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    programme = get_object_or_404(Programme, patient=patient)
    record(request, patient.clinic, Action.VIEW, programme)
    return _pdf_response(sheet_pdf(patient, _entries(programme), timezone.localdate()))


@login_required
def patient_sheet_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    staff, patient = clinic_patient(request, slug, pk)
    programme = get_object_or_404(Programme, patient=patient)
    record(request, staff.clinic, Action.VIEW, programme)
    return _pdf_response(sheet_pdf(patient, _entries(programme), timezone.localdate()))
