"""Flowcharts (执法流程图, 事前公示) drawn as SVG from a version's declared steps, on the server.

Boxes top to bottom joined by arrows; a step's `exit` (e.g. 不予受理) branches to the right with a dashed arrow.
Chinese labels are wrapped by measured width. Only presentation attributes, no <style> or style="": the pages'
Content-Security-Policy forbids inline styles. <title> and <desc> (the steps in words) make it accessible.
"""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape as _escape
from xml.sax.saxutils import quoteattr

WIDTH = 660
MAIN_X, MAIN_W = 20, 320
EXIT_X, EXIT_W = 400, 240
PAD = 12
TITLE_SIZE, TITLE_LINE = 15, 21
NOTE_SIZE, NOTE_LINE = 12, 17
GAP = 34
TERMINAL_H = 34
FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
COLOURS = {"stroke": "#0a58ca", "fill": "#e7f1ff", "text": "#212529", "note": "#495057",
           "exit_stroke": "#997404", "exit_fill": "#fff3cd", "terminal": "#d1e7dd", "terminal_stroke": "#146c43"}
NO_BREAK_BEFORE = set("，。、；：？！）》」』”’,.;:?!)")


_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def escape(text: str) -> str:
    """XML-escaped text without the characters XML 1.0 cannot carry (control characters)."""
    return _escape(_NOT_XML.sub("", text))


def char_width(char: str, size: int) -> float:
    """Advance width estimate: full-width (CJK) characters one em, others about 0.55 em."""
    return size * (1.0 if unicodedata.east_asian_width(char) in {"W", "F"} else 0.55)


def wrap(text: str, max_width: float, size: int) -> list[str]:
    """Greedy wrap by width; punctuation that may not start a line stays on the previous one."""
    lines: list[str] = []
    current, width = "", 0.0
    for char in text.replace("\n", " "):
        w = char_width(char, size)
        if current and width + w > max_width and char not in NO_BREAK_BEFORE:
            lines.append(current.rstrip())
            current, width = ("" if char == " " else char), (0.0 if char == " " else w)
        else:
            current += char
            width += w
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


def _text(x: float, y: float, lines: list[str], size: int, line_height: int, fill: str, anchor: str = "middle") -> str:
    spans = "".join(
        f'<tspan x="{x:g}" y="{y + i * line_height:g}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return (f'<text font-family={quoteattr(FONT)} font-size="{size}" fill="{fill}" '
            f'text-anchor="{anchor}">{spans}</text>')


def _box(x: float, y: float, w: float, title: list[str], note: list[str], fill: str, stroke: str,
         radius: int = 6, dashed: bool = False) -> tuple[str, float]:
    height = PAD * 2 + len(title) * TITLE_LINE + (len(note) * NOTE_LINE + 4 if note else 0)
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    parts = [f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{height:g}" rx="{radius}" fill="{fill}" '
             f'stroke="{stroke}" stroke-width="1.5"{dash}/>']
    baseline = y + PAD + TITLE_SIZE
    parts.append(_text(x + w / 2, baseline, title, TITLE_SIZE, TITLE_LINE, COLOURS["text"]))
    if note:
        parts.append(_text(x + w / 2, baseline + len(title) * TITLE_LINE + 2, note, NOTE_SIZE, NOTE_LINE,
                           COLOURS["note"]))
    return "".join(parts), height


def _arrow(x1: float, y1: float, x2: float, y2: float, marker: str, colour: str, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    return (f'<line x1="{x1:g}" y1="{y1:g}" x2="{x2:g}" y2="{y2:g}" stroke="{colour}" stroke-width="1.5"'
            f'{dash} marker-end="url(#{marker})"/>')


def describe(name: str, steps: list[dict]) -> str:
    """The flowchart in words (for <desc> and screen readers)."""
    if not steps:
        return f"{name}：未声明办理流程。"
    parts = []
    for number, step in enumerate(steps, 1):
        text = f"第{number}步 {step['title']}"
        if step.get("note"):
            text += f"（{step['note']}）"
        if step.get("exit"):
            text += f"；分支：{step['exit']}"
        parts.append(text)
    return f"{name}办理流程：" + "。".join(parts) + "。"


def render_svg(name: str, steps: list[dict], id_prefix: str = "fc") -> str:
    """A standalone SVG document (also valid inline in HTML) for the steps of one item version."""
    marker, exit_marker = f"{id_prefix}-arrow", f"{id_prefix}-exit-arrow"
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    body: list[str] = []
    y = 16.0
    centre = MAIN_X + MAIN_W / 2

    def terminal(label: str, top: float) -> None:
        body.append(f'<rect x="{centre - 60:g}" y="{top:g}" width="120" height="{TERMINAL_H}" rx="{TERMINAL_H // 2}" '
                    f'fill="{COLOURS["terminal"]}" stroke="{COLOURS["terminal_stroke"]}" stroke-width="1.5"/>')
        body.append(_text(centre, top + TERMINAL_H / 2 + TITLE_SIZE / 2 - 2, [label], TITLE_SIZE, TITLE_LINE,
                          COLOURS["text"]))

    terminal("开始", y)
    y += TERMINAL_H
    for number, step in enumerate(steps, 1):
        body.append(_arrow(centre, y, centre, y + GAP - 2, marker, COLOURS["stroke"]))
        y += GAP
        title = wrap(f"{number}. {step['title']}", MAIN_W - 2 * PAD, TITLE_SIZE)
        note = wrap(step.get("note", ""), MAIN_W - 2 * PAD, NOTE_SIZE) if step.get("note") else []
        box, height = _box(MAIN_X, y, MAIN_W, title, note, COLOURS["fill"], COLOURS["stroke"])
        body.append(box)
        if step.get("exit"):
            exit_lines = wrap(step["exit"], EXIT_W - 2 * PAD, NOTE_SIZE + 1)
            exit_height = PAD * 2 + len(exit_lines) * NOTE_LINE
            exit_y = y + max(0.0, (height - exit_height) / 2)
            body.append(f'<rect x="{EXIT_X}" y="{exit_y:g}" width="{EXIT_W}" height="{exit_height:g}" rx="6" '
                        f'fill="{COLOURS["exit_fill"]}" stroke="{COLOURS["exit_stroke"]}" stroke-width="1.5"/>')
            body.append(_text(EXIT_X + EXIT_W / 2, exit_y + PAD + NOTE_SIZE, exit_lines, NOTE_SIZE + 1, NOTE_LINE,
                              COLOURS["text"]))
            mid = exit_y + exit_height / 2
            body.append(_arrow(MAIN_X + MAIN_W, mid, EXIT_X - 2, mid, exit_marker, COLOURS["exit_stroke"],
                               dashed=True))
            height = max(height, exit_y - y + exit_height)
        y += height
    body.append(_arrow(centre, y, centre, y + GAP - 2, marker, COLOURS["stroke"]))
    y += GAP
    terminal("结束", y)
    total = y + TERMINAL_H + 16
    defs = "".join(
        f'<marker id="{m}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" '
        f'orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="{c}"/></marker>'
        for m, c in ((marker, COLOURS["stroke"]), (exit_marker, COLOURS["exit_stroke"]))
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {total:g}" width="{WIDTH}" '
        f'height="{total:g}" role="img" aria-labelledby="{title_id} {desc_id}" class="catalog-flowchart">'
        f'<title id="{title_id}">{escape(name)} 流程图</title>'
        f'<desc id="{desc_id}">{escape(describe(name, steps))}</desc>'
        f"<defs>{defs}</defs>{''.join(body)}</svg>"
    )


def version_svg(version, id_prefix: str | None = None) -> str:
    return render_svg(version.name, version.steps or [], id_prefix or f"fc{version.pk}")
