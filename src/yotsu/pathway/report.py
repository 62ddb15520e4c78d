"""The person's report: route, scores and categories, profile, explanation and plan, as HTML and Markdown.

One content builder (:func:`report_blocks`) and two renderers, so the two formats cannot drift. HTML
embeds the figures as base64 PNG (one self-contained file); Markdown links PNG files written beside it.
"""

from __future__ import annotations

import base64
import html
import io
from dataclasses import dataclass
from pathlib import Path

from matplotlib.figure import Figure

from yotsu.i18n import check_lang
from yotsu.i18n import gettext as _
from yotsu.model import parameter_table
from yotsu.pathway.assess import Assessment
from yotsu.pathway.explain import disclaimer
from yotsu.pathway.figures import course_figure, factor_figure
from yotsu.pathway.instruments import instrument
from yotsu.pathway.profile import POPULATION_PRIOR, profile_mapping


@dataclass(frozen=True)
class Block:
    """One piece of the report: a heading, a paragraph, a list, a table or a figure (by name)."""

    kind: str  # "h1" | "h2" | "p" | "ul" | "table" | "figure"
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()  # first row is the header


def _band(mean: float, low: float, high: float) -> str:
    return f"{mean:.1f} ({low:.1f}–{high:.1f})"


def _source(source: str, lang: str) -> str:
    if source == POPULATION_PRIOR:
        return _("population prior", lang)
    spec = profile_mapping().inputs.get(source)
    return spec.name(lang) if spec else source


def report_blocks(a: Assessment, lang: str = "en") -> list[Block]:
    """The report's content in ``lang``; figures are named ``factors`` and ``course``."""
    lang = check_lang(lang)
    out = [
        Block("h1", _("Your back pain assessment", lang)),
        Block("p", disclaimer()(lang)),
        Block("h2", _("Route", lang)),
        Block("p", f"{_('Route', lang)}: {a.route.value} — {a.message(lang)}"),
        Block("ul", items=tuple(r.text(lang) for r in a.reasons)),
    ]
    if a.ended:
        out.append(Block("p", _("The assessment ends here: please follow the advice above first.", lang)))
        return out
    rows: list[tuple[str, ...]] = [
        (_("Questionnaire", lang), _("Score", lang), _("Category", lang), _("Subscales", lang))
    ]
    for inst_id, r in a.scores.items():
        category = r.classification or r.total.category
        lo, hi = r.total.range
        rows.append(
            (
                instrument(inst_id).name(lang),
                f"{r.total.value:g} ({lo:g}–{hi:g})",
                category.label(lang) if category else "—",
                ", ".join(f"{s.name(lang)} {s.value:g}" for s in r.subscales().values()) or "—",
            )
        )
    out += [Block("h2", _("Scores and categories", lang)), Block("table", rows=tuple(rows))]
    if a.risk_group is not None:
        sb = a.scores.get("start_back")
        label = sb.classification.label(lang) if sb is not None and sb.classification else a.risk_group.value
        out.append(Block("p", _("STarT Back risk group: {group}", lang, group=label)))
    if a.body_map is not None:
        out.append(
            Block("p", _("Body-map precision: {mean} ± {sd} (1 = like people without back pain)", lang,
                         mean=f"{a.body_map.mean:.2f}", sd=f"{a.body_map.sd:.2f}"))
        )  # fmt: skip
    assert a.profile is not None and a.explanation is not None and a.plan is not None
    table = parameter_table()
    rows = [(_("Model parameter", lang), _("Value", lang), _("Source", lang), _("Evidence level", lang))]
    for name, e in a.profile.parameters.items():
        rows.append(
            (
                f"{table[name].meaning(lang)} ({name})",
                f"{e.value:.3g} ± {e.sd:.2g}",
                " + ".join(_source(s, lang) for s in e.sources),
                e.level().label(lang),
            )
        )
    out += [
        Block("h2", _("Profile: your answers as model parameters", lang)),
        Block("p", _("Most of these mappings are clinical impression: no study has yet tested them.", lang)),
        Block("table", rows=tuple(rows)),
    ]
    ex = a.explanation
    out.append(Block("h2", _("What presses your brake (dangers)", lang)))
    out.append(
        Block("ul", items=tuple(
            f"{f.title(lang)}: {f.text(lang)} "
            + _("Pain would fall by {band} points if this were resolved; evidence: {level}.", lang,
                band=_band(f.pain_reduction_nrs.mean, f.pain_reduction_nrs.low, f.pain_reduction_nrs.high),
                level=f.evidence.level.label(lang))
            for f in ex.dangers
        ) or (_("No single factor stands out.", lang),))
    )  # fmt: skip
    out.append(Block("h2", _("What would release it (safeties)", lang)))
    out.append(
        Block("ul", items=tuple(
            f"{s.title(lang)}: {s.text(lang)} ({_('evidence', lang)}: {s.evidence.level.label(lang)})"
            for s in ex.safeties
        ))
    )  # fmt: skip
    out += [Block("figure", "factors"), Block("h2", _("Simulated course under each plan", lang))]
    last = ex.courses[0].weeks[-1]
    rows = [(_("Plan", lang), *(_("Week {w}", lang, w=w) for w in (0, min(12, last), last)))]
    for c in ex.courses:
        cells = [c.title(lang)]
        for w in (0, min(12, c.weeks[-1]), c.weeks[-1]):
            cells.append(_band(c.median[w], c.low[w], c.high[w]))
        rows.append(tuple(cells))
    out += [
        Block("p", _("Median pain (10th–90th percentile over {n} persons drawn from your profile).", lang, n=ex.n)),
        Block("table", rows=tuple(rows)),
        Block("figure", "course"),
    ]
    plan = a.plan
    out += [
        Block("h2", _("Your plan", lang)),
        Block("p", plan.summary(lang)),
        Block("ul", items=tuple(
            f"{c.description(lang)} ({_('evidence', lang)}: {c.evidence.level.label(lang)})" for c in plan.components
        )),
        Block("h2", _("Exercises to start with", lang)),
        Block("ul", items=tuple(
            f"{e.exercise.name(lang)} — {e.exercise.levels[e.level - 1].description(lang)}" for e in plan.exercises
        )),
        Block("h2", _("Not recommended (WHO 2023)", lang)),
        Block("ul", items=tuple(x.name(lang) for x in plan.advised_against)),
        Block("p", disclaimer()(lang)),
    ]  # fmt: skip
    return out


def report_figures(a: Assessment, lang: str = "en") -> dict[str, Figure]:
    """The report's figures by name (none when the pathway ended at triage)."""
    if a.explanation is None:
        return {}
    return {"factors": factor_figure(a.explanation, lang), "course": course_figure(a.explanation, lang)}


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return buf.getvalue()


def render_html(blocks: list[Block], figures: dict[str, Figure], lang: str = "en") -> str:
    """A self-contained HTML page (figures as base64 PNG)."""
    e = html.escape
    parts = [
        f'<!doctype html>\n<html lang="{e(lang)}"><head><meta charset="utf-8">',
        f"<title>{e(blocks[0].text)}</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.5}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}"
        "img{max-width:100%}</style></head><body>",
    ]
    for b in blocks:
        if b.kind in ("h1", "h2", "p"):
            parts.append(f"<{b.kind}>{e(b.text)}</{b.kind}>")
        elif b.kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>")
        elif b.kind == "table":
            head, *body = b.rows
            parts.append(
                "<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in head) + "</tr></thead><tbody>"
                + "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in body)
                + "</tbody></table>"
            )  # fmt: skip
        elif b.kind == "figure" and b.text in figures:
            data = base64.b64encode(_png(figures[b.text])).decode("ascii")
            parts.append(f'<p><img alt="{e(b.text)}" src="data:image/png;base64,{data}"></p>')
    parts.append("</body></html>\n")
    return "\n".join(parts)


def render_markdown(blocks: list[Block], figure_files: dict[str, str]) -> str:
    """Markdown; figures link the PNG files named in ``figure_files``."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines: list[str] = []
    for b in blocks:
        if b.kind == "h1":
            lines += [f"# {b.text}", ""]
        elif b.kind == "h2":
            lines += [f"## {b.text}", ""]
        elif b.kind == "p":
            lines += [b.text, ""]
        elif b.kind == "ul":
            lines += [f"- {i}" for i in b.items] + [""]
        elif b.kind == "table":
            head, *body = b.rows
            lines.append("| " + " | ".join(cell(c) for c in head) + " |")
            lines.append("|" + "---|" * len(head))
            lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in body]
            lines.append("")
        elif b.kind == "figure" and b.text in figure_files:
            lines += [f"![{b.text}]({figure_files[b.text]})", ""]
    return "\n".join(lines)


def write_report(a: Assessment, folder: str | Path, lang: str = "en") -> dict[str, Path]:
    """Write ``report.html``, ``report.md`` and the figures' PNG files into ``folder``; return the paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    blocks = report_blocks(a, lang)
    figures = report_figures(a, lang)
    paths: dict[str, Path] = {}
    files: dict[str, str] = {}
    for name, fig in figures.items():
        path = folder / f"{name}.png"
        path.write_bytes(_png(fig))
        paths[name] = path
        files[name] = path.name
    paths["html"] = folder / "report.html"
    paths["html"].write_text(render_html(blocks, figures, lang), encoding="utf-8")
    paths["markdown"] = folder / "report.md"
    paths["markdown"].write_text(render_markdown(blocks, files), encoding="utf-8")
    return paths


__all__ = ["Block", "render_html", "render_markdown", "report_blocks", "report_figures", "write_report"]
