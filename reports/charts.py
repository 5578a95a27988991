"""Charts as inline SVG drawn on the server: no CDN, no JavaScript, and WeasyPrint puts the
same markup into the PDF. Every label is escaped; each chart has a title for screen readers
and the page shows the same numbers in a table next to it."""

import math

from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join

BRAND = "#9e3039"
COLOURS = ("#9e3039", "#1f6feb", "#1a7f37", "#9a6700", "#6e40c9")
FONT = "Portal Sans, DejaVu Sans, sans-serif"


def _value(value):
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _element(tag, content="", **attributes):
    """One SVG element; names like font_size become font-size; every value is escaped."""
    attributes_html = format_html_join(
        " ",
        '{}="{}"',
        ((name.replace("_", "-"), _value(value)) for name, value in attributes.items()),
    )
    return format_html("<{} {}>{}</{}>", tag, attributes_html, content, tag)


def _svg(width, height, title, body):
    return _element(
        "svg",
        format_html(
            "{}{}", _element("title", title), format_html_join("", "{}", ((part,) for part in body))
        ),
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {width} {height}",
        width=width,
        height=height,
        role="img",
        aria_label=title,
        **{"class": "chart"},
    )


def _text(x, y, text, *, size=12, anchor="start", fill="#1f2328", weight="normal"):
    return _element(
        "text",
        text,
        x=float(x),
        y=float(y),
        font_size=size,
        text_anchor=anchor,
        fill=fill,
        font_weight=weight,
        font_family=FONT,
    )


def bar_chart(rows, *, title, value_key, label_key="label", max_rows=10, width=640):
    """Horizontal bars for the largest `max_rows` rows (rows come sorted, largest first)."""
    rows = [row for row in rows if row[value_key]][:max_rows]
    bar_height, gap, label_width, top = 22, 8, 210, 8
    height = top * 2 + max(1, len(rows)) * (bar_height + gap)
    largest = max((row[value_key] for row in rows), default=0) or 1
    room = width - label_width - 60
    body = []
    if not rows:
        body.append(_text(width / 2, height / 2 + 4, "—", anchor="middle"))
    for index, row in enumerate(rows):
        y = top + index * (bar_height + gap)
        length = max(2, room * row[value_key] / largest)
        label = str(row[label_key])
        if len(label) > 30:
            label = label[:29] + "…"
        body.append(_text(label_width - 8, y + 15, label, anchor="end"))
        body.append(
            _element(
                "rect", x=label_width, y=y, width=float(length), height=bar_height, fill=BRAND, rx=3
            )
        )
        body.append(
            _text(label_width + length + 6, y + 15, number_format(row[value_key]), weight="bold")
        )
    return _svg(width, height, title, body)


def line_chart(points, *, title, series, width=720, height=280, label=None):
    """A trend: one line per (key, label) in `series` over points with a "month" (the first
    day a point covers), named by `label(month)` (default mm.yyyy)."""
    label = label or (lambda month: month.strftime("%m.%Y"))
    left, right, top, bottom = 44, 28, 16, 60
    plot_width, plot_height = width - left - right, height - top - bottom
    largest = max((point[key] for point in points for key, _label in series), default=0)
    step_value, steps = _axis(largest)
    scale_max = step_value * steps
    count = len(points)
    body = []
    for step in range(steps + 1):
        value = step_value * step
        y = top + plot_height - plot_height * step / steps
        body.append(
            _element(
                "line",
                x1=left,
                x2=width - right,
                y1=float(y),
                y2=float(y),
                stroke="#d0d7de",
                stroke_width=1,
            )
        )
        body.append(_text(left - 6, y + 4, number_format(round(value)), size=10, anchor="end"))

    def x_of(index):
        if count == 1:
            return left + plot_width / 2
        return left + plot_width * index / (count - 1)

    label_every = max(1, count // 12 + (1 if count % 12 else 0))
    for index, point in enumerate(points):
        if index % label_every == 0 or index == count - 1:
            body.append(
                _text(
                    x_of(index),
                    top + plot_height + 16,
                    label(point["month"]),
                    size=10,
                    anchor="middle",
                )
            )
    for number, (key, label) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        coordinates = " ".join(
            f"{x_of(index):.1f},{top + plot_height - plot_height * point[key] / scale_max:.1f}"
            for index, point in enumerate(points)
        )
        body.append(
            _element("polyline", points=coordinates, fill="none", stroke=colour, stroke_width=2.5)
        )
        legend_x = left + number * 175
        legend_y = height - 18
        body.append(_element("rect", x=legend_x, y=legend_y - 9, width=12, height=12, fill=colour))
        body.append(_text(legend_x + 16, legend_y + 1, str(label), size=11))
    return _svg(width, height, title, body)


def _axis(value):
    """A round step (1, 2 or 5 x 10^n) and the number of grid steps (at most 5) for an axis."""
    if value <= 0:
        return 1, 4
    rough = value / 5
    magnitude = 10 ** (len(str(int(rough))) - 1) if rough >= 1 else 1
    step = next(factor * magnitude for factor in (1, 2, 5, 10) if factor * magnitude >= rough)
    return step, max(1, math.ceil(value / step))


def funnel_chart(steps, *, title, width=640):
    """Centred bars shrinking from the first step, with the count and the share of the first."""
    bar_height, gap, top = 34, 6, 6
    height = top * 2 + len(steps) * (bar_height + gap)
    first = steps[0]["count"] if steps else 0
    body = []
    for index, step in enumerate(steps):
        share = step["count"] / first if first else 0
        bar_width = max(4, (width - 20) * share)
        x = (width - bar_width) / 2
        y = top + index * (bar_height + gap)
        # A bar too narrow for white text inside gets a light fill and the text in ink.
        narrow = bar_width < 300
        fill = "#e6b8bc" if narrow else BRAND
        body.append(
            _element(
                "rect", x=float(x), y=y, width=float(bar_width), height=bar_height, fill=fill, rx=3
            )
        )
        text = f"{step['label']}: {number_format(step['count'])}"
        if index and first:
            text += f" ({number_format(share * 100, decimal_pos=1)} %)"
        ink = "#1f2328" if narrow else "#fff"
        body.append(_text(width / 2, y + 22, text, anchor="middle", fill=ink, weight="bold"))
    return _svg(width, height, title, body)


def trend_title(report):
    """The trend's title for the unit of its points."""
    from django.utils.translation import gettext as _

    return {
        "month": _("Trend by month"),
        "quarter": _("Trend by quarter"),
        "year": _("Trend by year"),
    }[report.trend_unit]


def report_charts(report):
    """The three charts of a report, as safe SVG strings for the page and the PDF."""
    from django.utils.translation import gettext as _

    by_region = report.breakdown("region").rows
    by_municipality = report.breakdown("municipality").rows
    several_regions = len(by_region) > 1
    bars = by_region if several_regions else by_municipality
    bar_title = (
        _("People returned by planning region")
        if several_regions
        else _("People returned by municipality (the ten largest)")
    )
    return {
        "bars": bar_chart(bars, title=bar_title, value_key="people_returned"),
        "bars_title": bar_title,
        "trend": line_chart(
            report.trend,
            title=trend_title(report),
            label=report.trend_label,
            series=[
                ("new_contacts", _("New contacts")),
                ("offers_prepared", _("Offers prepared")),
                ("wish_to_return", _("Wish to return")),
                ("returned", _("Returned")),
            ],
        ),
        "trend_title": trend_title(report),
        "funnel": funnel_chart(report.funnel, title=_("From contact to return")),
    }
