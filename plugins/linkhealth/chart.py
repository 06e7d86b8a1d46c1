"""The link-health history chart: per run, how many links worked, failed or could not be checked
(the groups of the page's tiles, data.GROUPS), as inline SVG: the links that work on one panel, the
few that failed or could not be checked on a second panel with its own scale.

No JavaScript and no external requests. Series differ by line pattern and
point shape as well as colour, and the SVG carries a title and description;
the page also shows the same numbers as a table.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

SERIES = (  # group (data.GROUPS), label, colour, dash pattern, point shape
    ("work", "work", "#2e7d32", "", "circle"),
    ("failed", "failed", "#c62828", "2 2", "triangle"),
    ("unchecked", "not checked", "#b26a00", "6 3", "square"),
)
WIDTH, HEIGHT = 640, 330
LEFT, RIGHT, TOP = 56, 16, 16
# Two panels, each with its own scale: the links that work (hundreds), and below, smaller, the few
# that failed or could not be checked, which would lie flat on the first panel's axis.
PANELS = (("work",), ("failed", "unchecked"))
PANEL_H = (136, 84)
PANEL_GAP = 32
LEGEND_STEP = 190  # room for a label at the larger text size narrow screens get (site.css)



def _point(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    return (f'<path d="M{x:.1f} {y - 4.5:.1f}L{x + 4.5:.1f} {y + 3.5:.1f}L{x - 4.5:.1f} {y + 3.5:.1f}Z" '
            f'fill="{colour}"/>')


def _date(ts: float, with_time: bool = False) -> str:
    """"3 Dec" (the page's own way of writing a day, never "12-03"), with the time when asked."""
    when = dt.datetime.fromtimestamp(ts, dt.UTC)
    return f"{when.day} {when:%b}" + (f" {when:%H:%M}" if with_time else "")


def history_svg(history: list[dict[str, Any]]) -> str:
    """SVG markup for ``history`` (oldest first: run, started_at, work, failed, unchecked)."""
    title = "Link check history: links that worked, failed or could not be checked, per run"
    if not history:
        return ""
    plot_w = WIDTH - LEFT - RIGHT
    n = len(history)
    # each panel: (its top edge, height, largest value drawn), the series keys it holds
    panels, edge = {}, TOP
    for keys, height in zip(PANELS, PANEL_H, strict=True):
        panel = (edge, height, max(max(h[k] for k in keys) for h in history) or 1)
        panels.update({k: panel for k in keys})
        edge += height + PANEL_GAP
    axis_y = edge - PANEL_GAP  # the lower panel's bottom: the dates go under it

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: int, key: str) -> float:
        top, height, most = panels[key]
        return top + height * (1 - v / most)

    last = history[-1]
    desc = (f"{n} run(s) from {_date(history[0]['started_at'])} to {_date(last['started_at'])}; "
            f"latest run: " + ", ".join(f"{last[k]} {label}" for k, label, *_ in SERIES) + ". "
            "Failed and not checked are drawn below, on a scale of their own.")
    parts = [
        f'<svg class="link-health-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" aria-labelledby="lh-chart-title lh-chart-desc">',
        f'<title id="lh-chart-title">{escape(title)}</title>',
        f'<desc id="lh-chart-desc">{escape(desc)}</desc>',
    ]
    for keys in PANELS:
        top, height, most = panels[keys[0]]
        # axes in the text colour so dark mode works, and three values on each panel's own scale
        parts.append(f'<g stroke="currentColor" stroke-opacity="0.35" fill="none">'
                     f'<path d="M{LEFT} {top}V{top + height}H{LEFT + plot_w}"/></g>')
        for value in sorted({0, round(most / 2), most}):
            parts.append(f'<text x="{LEFT - 6}" y="{y(value, keys[0]) + 4:.1f}" text-anchor="end" '
                         f'font-size="14" fill="currentColor">{value}</text>')
    # runs within two days are told apart by time of day
    with_time = history[-1]["started_at"] - history[0]["started_at"] < 2 * 86400
    step = -(-n // (4 if with_time else 6))  # few enough labels not to overlap, at either text size
    for i in range(0, n, step):
        label = _date(history[i]["started_at"], with_time)
        # the first and last labels align with the plot's edges instead of spilling past them
        anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
        parts.append(f'<text x="{x(i):.1f}" y="{axis_y + 26}" text-anchor="{anchor}" '
                     f'font-size="14" fill="currentColor">{label}</text>')
    for key, _label, colour, dash, shape in SERIES:
        pts = " ".join(f"{x(i):.1f},{y(h[key], key):.1f}" for i, h in enumerate(history))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="series-{key}"><polyline points="{pts}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"{dash_attr}/>')
        parts += [_point(shape, x(i), y(h[key], key), colour) for i, h in enumerate(history)]
        parts.append("</g>")
    # legend: shape + pattern + word
    lx = LEFT
    ly = HEIGHT - 12
    for _key, label, colour, dash, shape in SERIES:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 24}" y2="{ly}" stroke="{colour}" '
                     f'stroke-width="2"{dash_attr}/>' + _point(shape, lx + 12, ly, colour))
        parts.append(f'<text x="{lx + 30}" y="{ly + 4}" font-size="14" fill="currentColor">'
                     f'{escape(label)}</text>')
        lx += LEGEND_STEP
    parts.append("</svg>")
    return "\n".join(parts)
