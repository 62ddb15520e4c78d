from __future__ import annotations

import json

import numpy as np
import pydantic
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yotsu.pathway.bodymap import precision_from_left_right
from yotsu_web.audit.log import record
from yotsu_web.audit.models import Action
from yotsu_web.bodymap.charts import progress_charts, progress_figure
from yotsu_web.bodymap.figure import STIMULI, trial_order, trunk_svg
from yotsu_web.bodymap.models import LeftRightSession
from yotsu_web.bodymap.scoring import TrialDataError, judgement, parse_trials
from yotsu_web.clinics.access import own_record
from yotsu_web.clinics.figures import svg_response

N_TRIALS = 20


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def training(request: HttpRequest, slug: str) -> HttpResponse:
    """The left/right trunk judgement task; the browser times each answer and posts the trials."""
    patient = own_record(request, slug)
    if request.method == "POST":
        try:
            trials = parse_trials(request.POST.get("trials", ""), max_trials=N_TRIALS)
            result = judgement(trials)
        except (TrialDataError, pydantic.ValidationError) as exc:
            return HttpResponseBadRequest(str(exc).splitlines()[0], content_type="text/plain; charset=utf-8")
        session = LeftRightSession.objects.create(
            patient=patient,
            n_trials=result.n_trials,
            accuracy=result.accuracy,
            median_rt_ms=result.median_rt_ms,
            trials=[{"s": t.stimulus, "r": t.response, "rt": t.rt_ms} for t in trials],
        )
        record(request, patient.clinic, Action.CREATE, session)
        messages.success(request, _("Saved: your body-map result."))
        return redirect("bodymap:training", slug)
    sessions = list(LeftRightSession.objects.filter(patient=patient))
    latest = sessions[-1] if sessions else None
    context = {
        "clinic": patient.clinic,
        # the figures are built here from numbers only; nothing user-supplied goes into them
        "stimuli": [mark_safe(trunk_svg(s)) for s in STIMULI],
        "order": json.dumps(trial_order(np.random.default_rng(), N_TRIALS)),
        "n_trials": N_TRIALS,
        "sessions": sessions,
        "latest": latest,
        # numbers with their meaning: "18 of 20 right", "1.2 seconds" (not "accuracy 0.90", "1180 ms")
        "latest_correct": round(latest.accuracy * latest.n_trials) if latest else None,
        "latest_seconds": f"{latest.median_rt_ms / 1000:.1f}" if latest else None,
        "precision": precision_from_left_right(latest.judgement()) if latest else None,
        "charts": progress_charts([s.accuracy for s in sessions], [s.median_rt_ms for s in sessions]),
    }
    return render(request, "bodymap/training.html", context)


@login_required
def progress(request: HttpRequest, slug: str) -> HttpResponse:
    patient = own_record(request, slug)
    sessions = LeftRightSession.objects.filter(patient=patient)
    return svg_response(progress_figure([s.accuracy for s in sessions], [s.median_rt_ms for s in sessions]))
