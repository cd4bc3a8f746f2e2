"""QR codes for a batch's GS1 Digital Link, as SVG and PNG, with the GTIN and lot beneath.

segno makes the symbol; the SVG is composed here from segno's module matrix, and the PNG is
segno's own PNG with the human-readable line drawn under it by Pillow (which reportlab already
requires) in the Noto Sans face shipped with the project.
"""

import functools
import io
from collections.abc import Iterator
from xml.sax.saxutils import escape, quoteattr

import segno
from PIL import Image, ImageDraw, ImageFont

from traceability.fonts import REGULAR_PATH
from traceability.gs1 import normalise_gtin
from traceability.links import digital_link

# Q survives about a quarter of the symbol scuffed or covered, which a label on a bottle in
# a shipping crate can expect; segno raises it further when that costs no extra size.
ERROR_LEVEL = "q"
QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 asks
_LINE_HEIGHT = 1.3  # of the font size
_SVG_FONTS = "'Noto Sans', 'DejaVu Sans', Arial, sans-serif"


def qr_text(*, gtin: str, lot: str) -> str:
    """The text a batch's QR code holds: its Digital Link on our domain (links.site_url()).

    Scheme and host stay lower case: they are case-insensitive in theory (RFC 3986), but
    several phone readers only open `http(s)://` and GS1's parsers expect it, so the smaller
    symbol an upper-cased alphanumeric-mode link would give is not worth an unread label.
    """
    return digital_link(gtin=gtin, lot=lot)


def human_readable(*, gtin: str, lot: str) -> tuple[str, str]:
    """The GS1 human-readable lines printed beneath the symbol: `(01) GTIN-14` and `(10) lot`."""
    return f"(01) {normalise_gtin(gtin)}", f"(10) {lot}"


def make_qr(*, gtin: str, lot: str) -> segno.QRCode:
    return segno.make_qr(qr_text(gtin=gtin, lot=lot), error=ERROR_LEVEL)


def dark_runs(qr: segno.QRCode) -> Iterator[tuple[int, int, int]]:
    """(row, column, length) of each horizontal run of dark modules, quiet zone excluded.

    Drawing runs rather than single modules keeps vector output small, and one filled path of
    them leaves no hairline seams between neighbouring modules when a viewer anti-aliases.
    """
    for row, modules in enumerate(qr.matrix_iter(scale=1, border=0)):
        start = None
        for column, dark in enumerate((*modules, 0)):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                yield row, start, column - start
                start = None


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(REGULAR_PATH), size)


def _fitting_font_size(lines: tuple[str, ...], *, width: float, largest: float) -> float:
    """The largest size up to `largest` at which every line is at most `width` wide."""
    reference = 100
    widest = max(_font(reference).getlength(line) for line in lines)
    return min(largest, width * reference / widest)


def render_svg(*, gtin: str, lot: str, scale: int = 8) -> bytes:
    """A standalone SVG: the QR code of the Digital Link and the GTIN and lot beneath it.

    Drawn in module units and sized `scale` px per module; text is real SVG text, so it stays
    selectable and sharp at any print size.
    """
    qr = make_qr(gtin=gtin, lot=lot)
    side = qr.symbol_size(scale=1, border=QUIET_ZONE)[0]
    lines = human_readable(gtin=gtin, lot=lot)
    font_size = round(_fitting_font_size(lines, width=side - 2, largest=3.2), 2)
    height = round(side + len(lines) * font_size * _LINE_HEIGHT + 1, 2)
    path = "".join(
        f"M{column + QUIET_ZONE} {row + QUIET_ZONE}h{length}v1h-{length}z"
        for row, column, length in dark_runs(qr)
    )
    texts = "".join(
        f'<text x="{side / 2:g}" y="{side + (index + 0.8) * font_size * _LINE_HEIGHT:.2f}">'
        f"{escape(line)}</text>"
        for index, line in enumerate(lines)
    )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {height:g}" '
        f'width="{side * scale}" height="{height * scale:g}" role="img" '
        f"aria-label={quoteattr(digital_link(gtin=gtin, lot=lot))}>"
        f'<rect width="{side}" height="{height:g}" fill="#fff"/>'
        f'<path fill="#000" shape-rendering="crispEdges" d="{path}"/>'
        f'<g fill="#000" font-family="{_SVG_FONTS}" font-size="{font_size:g}" '
        f'text-anchor="middle">{texts}</g></svg>'
    )
    return svg.encode()


def render_png(*, gtin: str, lot: str, scale: int = 10) -> bytes:
    """A greyscale PNG: segno's QR code at `scale` px per module, the GTIN and lot beneath."""
    qr = make_qr(gtin=gtin, lot=lot)
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    symbol = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    side = symbol.width
    lines = human_readable(gtin=gtin, lot=lot)
    font_px = int(_fitting_font_size(lines, width=side - 2 * scale, largest=3.2 * scale))
    line_px = round(font_px * _LINE_HEIGHT)
    image = Image.new("L", (side, side + len(lines) * line_px + scale), 255)
    image.paste(symbol, (0, 0))
    draw = ImageDraw.Draw(image)
    font = _font(font_px)
    for index, line in enumerate(lines):
        draw.text((side / 2, side + index * line_px), line, fill=0, font=font, anchor="ma")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def batch_svg(*, batch, scale: int = 8) -> bytes:
    """The SVG QR label of a batch (its variant loaded, e.g. with select_related)."""
    return render_svg(gtin=batch.variant.gtin, lot=batch.lot_code, scale=scale)


def batch_png(*, batch, scale: int = 10) -> bytes:
    """The PNG QR label of a batch (its variant loaded, e.g. with select_related)."""
    return render_png(gtin=batch.variant.gtin, lot=batch.lot_code, scale=scale)
