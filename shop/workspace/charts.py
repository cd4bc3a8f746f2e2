"""Bar and line charts drawn on the server as inline SVG: no script, no chart service, and
they scale to the width of a phone (a viewBox, width 100%).

Pure functions of their data; every text is escaped. Each chart carries a <title> and an
aria-label, and the page shows the same numbers in a table for screen readers and printing.
"""

import datetime
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
BAR_ROW = 34  # height of one bar's row: its label above, the bar below
BAR_HEIGHT = 14
LINE_HEIGHT = 180
PADDING = 8
INK = "#1f2a24"
MUTED = "#5d6a62"
BAR = "#1d5c3f"
GRID = "#dfe3dc"
FONT = 'font-family="system-ui, sans-serif"'


def _svg(height: float, title: str, body: list[str]) -> SafeString:
    title = escape(title)
    return mark_safe(  # every text put in above was escaped
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} '
        f'{height:.0f}" width="100%" role="img" aria-label="{title}" '
        f'preserveAspectRatio="xMinYMin meet"><title>{title}</title>{"".join(body)}</svg>'
    )


def bar_chart(items: Sequence[tuple[str, int]], *, title: str) -> SafeString:
    """Horizontal bars, one row per (label, value), in the order given. Long labels are cut
    with an ellipsis (the table beside the chart has them in full)."""
    items = list(items)
    if not items:
        return SafeString("")
    top = max(value for _label, value in items) or 1
    room = WIDTH - 2 * PADDING - 44  # leaves space for the value after the longest bar
    body = []
    for index, (label, value) in enumerate(items):
        y = PADDING + index * BAR_ROW
        text = label if len(label) <= 48 else label[:47] + "…"
        length = max(value / top * room, 2 if value else 0)
        body.append(
            f'<text x="{PADDING}" y="{y + 11}" font-size="12" fill="{INK}" {FONT}>'
            f"{escape(text)}</text>"
            f'<rect x="{PADDING}" y="{y + 15}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'rx="3" fill="{BAR}"/>'
            f'<text x="{PADDING + length + 6:.1f}" y="{y + 26}" font-size="12" '
            f'font-weight="bold" fill="{INK}" {FONT}>{value}</text>'
        )
    return _svg(PADDING * 2 + len(items) * BAR_ROW, title, body)


def line_chart(
    points: Sequence[tuple[datetime.date, int]], *, title: str, date_format: str = "%d/%m"
) -> SafeString:
    """A line over days (given oldest first, one value per day), with the highest value
    marked on the axis and the first, middle and last days under it."""
    points = list(points)
    if not points:
        return SafeString("")
    top = max(value for _day, value in points) or 1
    left, right, upper, lower = 30, WIDTH - PADDING, PADDING + 6, LINE_HEIGHT - 24
    step = (right - left) / max(len(points) - 1, 1)

    def x(index: int) -> float:
        return left + index * step

    def y(value: int) -> float:
        return lower - value / top * (lower - upper)

    line = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, (_d, v) in enumerate(points))
    area = f"{left},{lower} {line} {x(len(points) - 1):.1f},{lower}"
    body = [
        f'<line x1="{left}" y1="{upper}" x2="{right}" y2="{upper}" stroke="{GRID}"/>',
        f'<line x1="{left}" y1="{lower}" x2="{right}" y2="{lower}" stroke="{MUTED}"/>',
        f'<text x="{left - 4}" y="{upper + 4}" font-size="11" text-anchor="end" '
        f'fill="{MUTED}" {FONT}>{top}</text>',
        f'<text x="{left - 4}" y="{lower + 4}" font-size="11" text-anchor="end" '
        f'fill="{MUTED}" {FONT}>0</text>',
        f'<polygon points="{area}" fill="{BAR}" fill-opacity="0.12"/>',
        f'<polyline points="{line}" fill="none" stroke="{BAR}" stroke-width="2" '
        f'stroke-linejoin="round"/>',
    ]
    for index, (_day, value) in enumerate(points):
        if value:
            body.append(f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="2.5" fill="{BAR}"/>')
    for index, anchor in ((0, "start"), (len(points) // 2, "middle"), (len(points) - 1, "end")):
        body.append(
            f'<text x="{x(index):.1f}" y="{LINE_HEIGHT - 6}" font-size="11" '
            f'text-anchor="{anchor}" fill="{MUTED}" {FONT}>'
            f"{escape(points[index][0].strftime(date_format))}</text>"
        )
    return _svg(LINE_HEIGHT, title, body)
