"""Small PDF pages drawn with reportlab for the loader tests (session 9 formats and their attacks).

Coordinates are PDF points from the bottom left of an A4 page (ISO 32000-1 §8.3.2.3); text is drawn in
:data:`FONT`, a standard Type 1 font whose glyphs every reader maps to Unicode.
"""

from __future__ import annotations

from pathlib import Path

#: The standard font of the drawn pages.
FONT = "Helvetica"


def a4_canvas(out: Path):
    """A reportlab canvas writing an A4 PDF to ``out``, byte-identical across runs (``invariant=1``)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    return canvas.Canvas(str(out), pagesize=A4, invariant=1)


def text_width(s: str, size: float = 10) -> float:
    """Width in points of ``s`` set in :data:`FONT` at ``size`` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(s, FONT, size)


def text_lines(text: str) -> list[str]:
    """The non-blank lines of ``text``."""
    return [ln for ln in text.splitlines() if ln.strip()]


def draw_with_sup(c, x: float, y: float, before: str, sup: str, after: str, rise: float = 3.5) -> None:
    """``before`` at 10 pt, ``sup`` at 7 pt raised by ``rise`` pt, ``after`` at 10 pt, on one baseline."""
    c.setFont(FONT, 10)
    c.drawString(x, y, before)
    x += text_width(before)
    c.setFont(FONT, 7)
    c.drawString(x, y + rise, sup)
    x += text_width(sup, 7)
    c.setFont(FONT, 10)
    c.drawString(x, y, after)
