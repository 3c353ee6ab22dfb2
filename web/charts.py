"""Charts drawn on the server as SVG, so they need no JavaScript, and each with its figures in a table.

A chart is a title, a description and a list of bars (a label, a value to draw, and the value in
words). The same `Chart` gives the picture and the table beside it, so the two cannot disagree. The
words beside each bar say its value: nothing is told by colour alone. Colours are the GOV.UK blue
and near-black on white, both above 4.5:1.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from cotrace.evidence_figures import Bar, Chart

__all__ = ["Bar", "Chart", "bar_chart", "data_table", "timeline_chart"]

WIDTH = 720  # the labels, the bars, and room after the longest bar for its value in words
ROW = 32
LABEL_WIDTH = 240  # room for labels such as "Cycle 1, Co-commission"
BAR_SPACE = 280
INK = "#0b0c0c"
BLUE = "#1d70b8"
GREY = "#505a5f"


def bar_chart(chart: Chart) -> Markup:
    """Horizontal bars, one a row, each labelled on its left and with its value in words on its right."""
    top = max((b.value for b in chart.bars), default=0)
    scale = chart.maximum or top or 1
    rows = []
    for i, bar in enumerate(chart.bars):
        y = 8 + i * ROW
        length = BAR_SPACE * max(bar.value, 0) / scale
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 18}" text-anchor="end">{escape(bar.label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW - 10}" fill="{BLUE}"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 18}">{escape(bar.text)}</text>'
        )
    axis = (
        f'<line x1="{LABEL_WIDTH}" y1="4" x2="{LABEL_WIDTH}" y2="{12 + len(chart.bars) * ROW}" '
        f'stroke="{GREY}" stroke-width="1"/>'
    )
    return _svg(chart, 16 + len(chart.bars) * ROW, axis + "".join(rows))


def timeline_chart(chart: Chart) -> Markup:
    """Points on one line, each at its value (days from the start), each named on a row of its own."""
    left, right = 16, WIDTH - 16
    top = max((b.value for b in chart.bars), default=0) or 1
    axis_y = 24
    parts = [
        f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" stroke="{GREY}" stroke-width="2"/>',
    ]
    for i, bar in enumerate(chart.bars):
        x = left + (right - left) * max(bar.value, 0) / top
        y = axis_y + 32 + i * ROW
        anchor, dx = ("end", -8) if x > WIDTH / 2 else ("start", 8)
        parts.append(
            f'<line x1="{x:.1f}" y1="{axis_y}" x2="{x:.1f}" y2="{y - 5}" stroke="{GREY}" stroke-width="1"/>'
            f'<circle cx="{x:.1f}" cy="{axis_y}" r="6" fill="{BLUE}" stroke="{INK}" stroke-width="1"/>'
            f'<circle cx="{x:.1f}" cy="{y - 5}" r="3" fill="{INK}"/>'
            f'<text x="{x + dx:.1f}" y="{y}" text-anchor="{anchor}">'
            f"{escape(bar.label)}: {escape(bar.text)}</text>"
        )
    return _svg(chart, axis_y + 24 + len(chart.bars) * ROW, "".join(parts))


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


def _svg(chart: Chart, height: int, body: str) -> Markup:
    ident = escape(chart.id)
    if not chart.bars:
        body = '<text x="8" y="24">Nothing recorded yet</text>'
        height = 40
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart__svg" role="img" '
        f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="system-ui, Arial, sans-serif" font-size="14" fill="{INK}">'
        f'<title id="{ident}-title">{escape(chart.title)}</title>'
        f'<desc id="{ident}-desc">{escape(chart.desc)}</desc>'
        f"{body}</svg>"
    )
