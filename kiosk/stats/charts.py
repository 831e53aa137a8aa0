"""Charts drawn on the server as SVG, readable in black and white.

Bars carry their value as text and a hatch pattern, lines differ by dash and marker, so
nothing relies on colour. Each chart is decorative next to its table (``aria-hidden``): the
table beside it is what screen readers read.
"""

from __future__ import annotations

from markupsafe import Markup, escape

# (fill colour, pattern id) for each series; the patterns are defined in every SVG.
PATTERNS = """<defs>
<pattern id="hatch-a" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="6" height="6" fill="#cfe3f0"/><line x1="0" y1="0" x2="0" y2="6" stroke="#0b5c8a" stroke-width="2"/>
</pattern>
<pattern id="hatch-b" width="6" height="6" patternUnits="userSpaceOnUse">
<rect width="6" height="6" fill="#f4e1c4"/><circle cx="3" cy="3" r="1.2" fill="#8a5a00"/></pattern>
</defs>"""
LINE_STYLES = [  # stroke, dash, marker shape
    ("#0b5c8a", "", "circle"),
    ("#8a5a00", "6 4", "square"),
    ("#1b6b3a", "2 3", "triangle"),
]


def _number(value) -> str:
    return f"{value:,}".replace(",", "\u202f") if isinstance(value, int) else str(value)


def bar_chart(rows: list[tuple[str, int | str]], *, width: int = 460) -> Markup:
    """Draw horizontal bars, one per (label, value); a hidden value gets its mark, no bar."""
    bar_height, gap, label_width, value_width = 18, 8, 190, 60
    height = max(1, len(rows)) * (bar_height + gap) + gap
    numbers = [v for _label, v in rows if isinstance(v, int)]
    top = max(numbers, default=0) or 1
    span = width - label_width - value_width
    parts = [f'<svg class="chart" role="img" aria-hidden="true" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">', PATTERNS]
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        text_y = y + bar_height - 4
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(f'<text x="{label_width - 6}" y="{text_y}" text-anchor="end" class="label">{escape(short)}</text>')
        length = 0
        if isinstance(value, int) and value > 0:
            length = max(2, round(span * value / top))
            parts.append(f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
                         f'fill="url(#hatch-a)" stroke="#0b5c8a"/>')
        parts.append(f'<text x="{label_width + length + 6}" y="{text_y}" class="value">{escape(_number(value))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(months: list[str], series: list[tuple[str, list]], *, width: int = 720, height: int = 280) -> Markup:
    """Draw one line per (name, values by month); hidden values break the line."""
    # The legend is stacked above the plot, one line per series, so long names never clip.
    left, right, top_margin, bottom = 48, 28, 18 * len(series) + 16, 36
    numbers = [v for _name, values in series for v in values if isinstance(v, int)]
    top = max(numbers, default=0) or 1
    plot_w, plot_h = width - left - right, height - top_margin - bottom
    step = plot_w / max(1, len(months) - 1)

    def point(i, v):
        return left + (i * step if len(months) > 1 else plot_w / 2), top_margin + plot_h * (1 - v / top)

    parts = [f'<svg class="chart" role="img" aria-hidden="true" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
             f'<line x1="{left}" y1="{top_margin + plot_h}" x2="{width - right}" y2="{top_margin + plot_h}" '
             f'stroke="#556070"/>',
             f'<text x="{left - 6}" y="{top_margin + 4}" text-anchor="end" class="value">{_number(top)}</text>',
             f'<text x="{left - 6}" y="{top_margin + plot_h}" text-anchor="end" class="value">0</text>']
    every = max(1, len(months) // 12)
    for i, month in enumerate(months):
        if i % every == 0:
            x, _y = point(i, 0)
            parts.append(f'<text x="{x:.1f}" y="{height - bottom + 16}" text-anchor="middle" class="value">'
                         f'{escape(month[5:] + "/" + month[2:4])}</text>')
    for index, (name, values) in enumerate(series):
        colour, dash, marker = LINE_STYLES[index % len(LINE_STYLES)]
        segments, current = [], []
        for i, v in enumerate(values):
            if isinstance(v, int):
                current.append(point(i, v))
            elif current:
                segments.append(current)
                current = []
        segments.append(current)
        for segment in segments:
            if len(segment) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2" '
                             f'stroke-dasharray="{dash}"/>')
            for x, y in segment:
                parts.append(_marker(marker, x, y, colour))
        legend_y = 12 + index * 18
        parts.append(f'<line x1="{left}" y1="{legend_y}" x2="{left + 24}" y2="{legend_y}" stroke="{colour}" '
                     f'stroke-width="2" stroke-dasharray="{dash}"/>')
        parts.append(_marker(marker, left + 12, legend_y, colour))
        parts.append(f'<text x="{left + 30}" y="{legend_y + 4}" class="label">{escape(name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "triangle":
        return f'<polygon points="{x:.1f},{y - 4.5:.1f} {x - 4.5:.1f},{y + 3.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f}" ' \
               f'fill="#fff" stroke="{colour}" stroke-width="1.5"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#fff" stroke="{colour}" stroke-width="1.5"/>'
