"""Charts drawn on the server, so they need no JavaScript, each with its figures in a table too.

A chart is a title, a description and a list of bars (a label, a value to draw, and the value in
words). The same `Chart` gives the picture and the table after it, so the two cannot disagree.

The picture is HTML: one row a bar, its label and its value written as text, which wraps on a phone
rather than shrinking (an SVG scaled to fit a 375-pixel screen drew its labels at 6 pixels). Only
the bar itself is SVG, as long as its share of the row: an SVG attribute, where a width in a
`style` attribute would break the page's Content-Security-Policy, and printed, unlike a CSS
background. Each bar has a colour from Okabe and Ito's palette for colour-blind readers, a pattern,
and a dark edge, so the kinds still differ in greyscale print; and its words say everything the
colour says (each bar is labelled), so nothing is told by colour alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

from cotrace.evidence_figures import Bar, Chart
from domain.vocabulary import RESPONSES, STAGES, STAKEHOLDER_GROUPS

__all__ = ["Bar", "Chart", "bar_chart", "data_table", "timeline_chart"]

INK = "#0b0c0c"
GREY = "#505a5f"
# Okabe and Ito's colours told apart by the commonest colour blindness, in an order where neighbours
# differ in lightness too; each with a pattern, in turn, for greyscale print.
PALETTE = ("#0072b2", "#e69f00", "#cc79a7", "#009e73", "#56b4e9", "#d55e00", "#f0e442")
PATTERNS = ("solid", "stripes", "dots")
# Which colour a bar's key takes: the same stage is the same colour in every chart of the page.
SERIES = {
    **{stage: i for i, stage in enumerate(STAGES)},
    **{response: i for i, response in enumerate((*RESPONSES, "awaiting"))},
    **{group: i for i, group in enumerate(STAKEHOLDER_GROUPS)},
    "answered": 0,
    "waiting": 1,
}
BAR_HEIGHT = 24


def bar_chart(chart: Chart) -> Markup:
    """Horizontal bars, one a row, each with its label before it and its value in words after it."""
    top = max((b.value for b in chart.bars), default=0)
    scale = chart.maximum or top or 1

    def bar(i: int, b: Bar) -> str:
        fill = _fill(chart, i, b)
        return (
            f"{fill.defs}"
            f'<rect x="0" y="2" width="{_share(b.value, scale):.1f}%" height="{BAR_HEIGHT - 4}" '
            f'fill="{fill.paint}" stroke="{INK}" stroke-width="1"/>'
        )

    return _rows(chart, bar)


def timeline_chart(chart: Chart) -> Markup:
    """A line a stage, from the policy's start to the day the stage was entered, marked there."""
    top = max((b.value for b in chart.bars), default=0) or 1
    middle = BAR_HEIGHT // 2

    def mark(i: int, b: Bar) -> str:
        at = f"{_share(b.value, top):.1f}%"
        return (
            f'<line x1="0" y1="{middle}" x2="100%" y2="{middle}" stroke="{GREY}" stroke-width="1"/>'
            f'<line x1="0" y1="{middle}" x2="{at}" y2="{middle}" stroke="{INK}" stroke-width="3"/>'
            f'<circle cx="{at}" cy="{middle}" r="8" fill="{_fill(chart, i, b).colour}" '
            f'stroke="{INK}" stroke-width="2"/>'
        )

    return _rows(chart, mark)


def data_table(chart: Chart) -> Markup:
    """The chart's figures as a table: what a screen reader, a printout or a spreadsheet reads."""
    rows = "".join(
        f'<tr><th scope="row">{escape(b.label)}</th><td>{escape(b.text)}</td></tr>' for b in chart.bars
    )
    if not rows:
        rows = '<tr><td colspan="2">Nothing recorded yet</td></tr>'
    return Markup(
        f'<table class="table chart__table" id="{escape(chart.id)}-table">'
        f"<caption>{escape(chart.title)}: the figures</caption>"
        f'<thead><tr><th scope="col">{escape(chart.label_heading)}</th>'
        f'<th scope="col">{escape(chart.value_heading)}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )


def _rows(chart: Chart, draw: Callable[[int, Bar], str]) -> Markup:
    """The picture: named by the chart's heading and described by its description, both on the
    page (evidence_policy.html), as one image; its table says the same to a screen reader."""
    ident = escape(chart.id)
    rows = "".join(
        f'<div class="bars__row"><span class="bars__label">{escape(b.label)}</span>'
        f'<svg class="bars__bar" xmlns="http://www.w3.org/2000/svg" width="100%" height="{BAR_HEIGHT}" '
        f'overflow="visible" aria-hidden="true" focusable="false">{draw(i, b)}</svg>'
        f'<span class="bars__value">{escape(b.text)}</span></div>'
        for i, b in enumerate(chart.bars)
    )
    if not rows:
        rows = '<p class="bars__empty">Nothing recorded yet</p>'
    return Markup(
        f'<div class="bars" role="img" aria-labelledby="{ident}-heading" aria-describedby="{ident}-desc">'
        f"{rows}</div>"
    )


@dataclass(frozen=True)
class _Fill:
    colour: str
    paint: str  # the colour, or the pattern drawn in it
    defs: str = ""  # the pattern, where there is one


def _fill(chart: Chart, i: int, bar: Bar) -> _Fill:
    """The bar's colour, and its pattern (an SVG pattern of white over the colour) when it has one."""
    series = SERIES.get(bar.key, 0)
    colour = PALETTE[series % len(PALETTE)]
    pattern = PATTERNS[series % len(PATTERNS)]
    if pattern == "solid":
        return _Fill(colour, colour)
    ident = f"{escape(chart.id)}-pattern-{i}"
    mark = (
        '<rect width="3" height="8" fill="#fff"/>'
        if pattern == "stripes"
        else '<circle cx="4" cy="4" r="2" fill="#fff"/>'
    )
    turn = ' patternTransform="rotate(45)"' if pattern == "stripes" else ""
    defs = (
        f'<defs><pattern id="{ident}" patternUnits="userSpaceOnUse" width="8" height="8"{turn}>'
        f'<rect width="8" height="8" fill="{colour}"/>{mark}</pattern></defs>'
    )
    return _Fill(colour, f"url(#{ident})", defs)


def _share(value: float, whole: float) -> float:
    return 100 * min(max(value, 0), whole) / whole
