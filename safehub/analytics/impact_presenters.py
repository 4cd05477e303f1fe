"""A campaign's impact estimate for the page and the API: the estimates in words, the before/after
chart (an accessible SVG: observed counts, the fitted line, the counterfactual dashed after the
start, a vertical line at the start) and the same figures as a table.

Commissioners see observed counts of 1 to 4 as "[c]" (not drawn, and the difference from the
counterfactual for that month hidden), as on the dashboard. The model's estimates and lines are
not counts and are shown to everyone.
"""

from __future__ import annotations

import calendar
import math
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from safehub.analytics import charts, impact, rules

PERIODS = {"before": "Before", "after": "After", "excluded": "Start month (left out of the fit)"}
COLUMNS = [
    "Month",
    "Period",
    "Observed",
    "Fitted",
    "Expected without the campaign",
    "Observed minus expected",
]


def _signed(value: float, unit: str = "") -> str:
    return f"{value:+,.1f}{unit}".replace("-", "\u2212")


def p_text(p: float | None) -> str:
    if p is None:
        return "p not available"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def estimate_text(estimate: impact.Estimate, unit: str = " a month", *, p: bool = True) -> str:
    text = (
        f"{_signed(estimate.value)}{unit} (95% confidence interval {_signed(estimate.low)} to "
        f"{_signed(estimate.high)}"
    )
    return text + (f"; {p_text(estimate.p_value)})" if p else ")")


def estimates(result: impact.Result) -> list[tuple[str, str]]:
    """(label, words) for the summary list."""
    rows = [("Average change after the start", estimate_text(result.average_change))]
    if result.average_change_percent:
        pct = result.average_change_percent
        rows.append(
            (
                "As a share of the expected level",
                f"{_signed(pct.value, '%')} (95% confidence interval {_signed(pct.low, '%')} to "
                f"{_signed(pct.high, '%')}), against {result.counterfactual_mean:,.1f} a month expected",
            )
        )
    rows += [
        ("Step at the start (level change)", estimate_text(result.level_change)),
        ("Change in the monthly trend", estimate_text(result.trend_change, " a month, each month")),
        ("Months", f"{result.n_before} before the start, {result.n_after} after"),
        (
            "Seasonality",
            "A dummy for each calendar month"
            if result.seasonality == impact.MONTH_DUMMIES
            else "One pair of Fourier terms (12-month sine and cosine)",
        ),
        ("Model", result.model),
    ]
    return rows


def _observed(value: float, suppress: bool):
    count = int(value) if float(value).is_integer() else value
    return rules.suppress(count, enabled=suppress)


def points(result: impact.Result, *, suppress: bool) -> list[dict]:
    """One dict per month (the API's series and the table's rows)."""
    rows = []
    for i, month in enumerate(result.months):
        observed = _observed(result.observed[i], suppress)
        hidden = not isinstance(observed, int | float)
        counter, fitted = result.counterfactual[i], result.fitted[i]
        period = result.periods[i]
        difference = None
        if period == "after" and not hidden:
            difference = round(result.observed[i] - counter, 1)
        rows.append(
            {
                "month": month,
                "period": period,
                "observed": observed,
                "fitted": None if fitted is None else round(fitted, 1),
                "counterfactual": round(counter, 1),
                "difference": difference,
            }
        )
    return rows


def table(result: impact.Result, *, suppress: bool) -> list[list]:
    def shown(value):
        return "n/a" if value is None else value

    return [
        [
            f"{p['month']:%b %Y}",
            PERIODS[p["period"]],
            p["observed"],
            shown(p["fitted"]),
            p["counterfactual"] if p["period"] != "before" else "",
            shown(p["difference"]) if p["period"] == "after" else "",
        ]
        for p in points(result, suppress=suppress)
    ]


def chart(chart_id: str, title: str, result: impact.Result, *, suppress: bool) -> SafeString:
    """Observed (dark, with points), fitted (blue), counterfactual (grey, dashed, from the start) and a
    vertical line at the start. Text in <title> and <desc>; the table beside it holds every figure."""
    rows = points(result, suppress=suppress)
    observed = [p["observed"] if isinstance(p["observed"], int | float) else None for p in rows]
    fitted = [p["fitted"] for p in rows]
    start_index = next(i for i, p in enumerate(rows) if p["period"] != "before")
    counter = [p["counterfactual"] if i >= start_index - 1 else None for i, p in enumerate(rows)]
    numbers = [v for series in (observed, fitted, counter) for v in series if v is not None]
    top = _nice_top(max(numbers, default=1))
    left, plot_w, plot_h, top_pad = 60, 560, 220, 44
    width, height = left + plot_w + 45, top_pad + plot_h + 40
    count = max(len(rows), 2)

    def x(i: float) -> float:
        return left + plot_w * i / (count - 1)

    def y(v: float) -> float:
        return top_pad + plot_h - plot_h * max(v, 0) / top

    start_x = x(_month_position(result.months, result.start))
    labels = [f"{m:%b %y}" for m in result.months]
    desc = f"Campaign started {result.start:%-d %B %Y}. " + "; ".join(
        f"{p['month']:%b %Y}: observed {charts._fmt(p['observed'])}, fitted {charts._fmt(p['fitted'])}"
        + (f", expected without the campaign {charts._fmt(p['counterfactual'])}" if i >= start_index else "")
        for i, p in enumerate(rows)
    )
    parts = charts.svg_open(chart_id, title, desc[:6000], width, height)
    parts += charts.month_axes(
        left=left,
        top_pad=top_pad,
        plot_w=plot_w,
        plot_h=plot_h,
        top=top,
        labels=labels,
        x=x,
        y=y,
        whole_ticks=False,
    )
    parts.append(
        f'<line x1="{start_x:.1f}" y1="{top_pad - 4}" x2="{start_x:.1f}" y2="{top_pad + plot_h}" '
        f'stroke="{charts.DARK}" stroke-width="1.5"/>'
        f'<text x="{start_x + 4:.1f}" y="{top_pad + 8}" font-size="11" fill="{charts.DARK}">'
        f"Campaign started {escape(f'{result.start:%-d %b %Y}')}</text>"
    )
    for values, colour, dash in (
        (counter, charts.GREY, ' stroke-dasharray="6 4"'),
        (fitted, charts.BLUE, ""),
        (observed, charts.DARK, ""),
    ):
        for segment in _segments(values):
            path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in segment)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
    for i, v in enumerate(observed):
        if v is not None:
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="2.5" fill="{charts.DARK}"/>')
    legend_x = left
    for name, colour, dash in (
        ("Observed", charts.DARK, ""),
        ("Fitted", charts.BLUE, ""),
        ("Expected without the campaign", charts.GREY, ' stroke-dasharray="6 4"'),
    ):
        parts.append(
            f'<line x1="{legend_x}" y1="14" x2="{legend_x + 22}" y2="14" stroke="{colour}" '
            f'stroke-width="2"{dash}/><text x="{legend_x + 27}" y="18" font-size="12" '
            f'fill="{charts.DARK}">{escape(name)}</text>'
        )
        legend_x += 40 + 7 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _nice_top(largest: float) -> float:
    """The axis top: 4 equal ticks of a round step (1, 1.5, 2, 2.5 ... 8 times a power of ten)."""
    raw = max(largest, 1) / 4
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * power >= raw)
    return 4 * step


def _month_position(months: list[date], start: date) -> float:
    """The start as a fractional month index (the 1st of a month sits on that month's point)."""
    index = months.index(impact.month_of(start))
    return index + (start.day - 1) / calendar.monthrange(start.year, start.month)[1]


def _segments(values: list) -> list[list[tuple[int, float]]]:
    segments: list[list[tuple[int, float]]] = [[]]
    for i, v in enumerate(values):
        if v is None:
            if segments[-1]:
                segments.append([])
        else:
            segments[-1].append((i, v))
    return [s for s in segments if s]
