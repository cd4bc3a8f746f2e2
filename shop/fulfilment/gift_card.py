"""The gift card: an A6 PDF for the box, in the receiver's language (issue 16 part 1).

The giver's message and signature, a QR code of the gift page's address (shop.gifts.page_url)
and a line inviting the receiver to scan it. Nothing else of the order: no price, address or
order number. Drawn with reportlab like the customs form (customs_pdf).

Fonts. Latin and Vietnamese are set in the project's Noto Sans subset (traceability.fonts).
The project ships no CJK font and the machine may have none, so Japanese, Korean and Chinese
letters are set in reportlab's Adobe CID fonts, which a PDF reader supplies itself (every
mainstream reader carries them) and which keep the text searchable. Each character takes
the first face that has it: Noto, else the CID font of the card's language (Han characters
look different in Japanese, Korean and Chinese), else the CID font of its script.
"""

import functools
import io
import unicodedata

import segno
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A6
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from shop import gifts
from shop.models.gifts import Gift
from traceability import fonts, qr

CID_FONTS = {"ja": "HeiseiKakuGo-W5", "ko": "HYGothic-Medium", "zh-hans": "STSong-Light"}
MARGIN = 9 * mm
QR_SIDE = 34 * mm
QR_BORDER = 2


@functools.cache
def _faces() -> tuple[str, str, frozenset[int]]:
    regular, bold = fonts.register_pdf_fonts()
    for name in CID_FONTS.values():
        pdfmetrics.registerFont(UnicodeCIDFont(name))
    covered = frozenset(pdfmetrics.getFont(regular).face.charToGlyph)
    return regular, bold, covered


def _cid_for(char: str, language: str) -> str:
    if language in CID_FONTS:
        return CID_FONTS[language]
    name = unicodedata.name(char, "")
    if "HANGUL" in name:
        return CID_FONTS["ko"]
    if "HIRAGANA" in name or "KATAKANA" in name:
        return CID_FONTS["ja"]
    if "CJK" in name and "CHINESE" not in name and language.startswith("zh"):
        return CID_FONTS["zh-hans"]
    return CID_FONTS["ja"]


def runs(text: str, *, language: str, bold: bool = False) -> list[tuple[str, str]]:
    """(font name, text) runs: each character in the first face that carries it. Pure
    apart from registering the fonts once."""
    regular, bold_face, covered = _faces()
    latin = bold_face if bold else regular
    found: list[tuple[str, str]] = []
    for char in text:
        font = latin if ord(char) in covered or char in " \n" else _cid_for(char, language)
        if found and found[-1][0] == font:
            found[-1] = (font, found[-1][1] + char)
        else:
            found.append((font, char))
    return found


def _width(pieces: list[tuple[str, str]], size: float) -> float:
    return sum(pdfmetrics.stringWidth(text, font, size) for font, text in pieces)


def _tokens(text: str) -> list[str]:
    # Break between words, and anywhere between CJK characters (they use no spaces).
    tokens: list[str] = []
    word = ""
    for char in text:
        wide = unicodedata.east_asian_width(char) in ("W", "F")
        if char == " ":
            tokens.append(word + " ")
            word = ""
        elif wide:
            if word:
                tokens.append(word)
            tokens.append(char)
            word = ""
        else:
            word += char
    if word:
        tokens.append(word)
    return tokens


def wrap(text: str, *, width: float, size: float, language: str, bold=False) -> list[str]:
    """The text broken into lines no wider than `width` points (a long word is cut)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in _tokens(paragraph):
            candidate = line + token
            if (
                line
                and _width(runs(candidate.rstrip(), language=language, bold=bold), size) > width
            ):
                lines.append(line.rstrip())
                line = token
            else:
                line = candidate
        lines.append(line.rstrip())
    return lines


def _draw_line(canvas: Canvas, line: str, *, y: float, size: float, language: str, bold=False):
    pieces = runs(line, language=language, bold=bold)
    x = (A6[0] - _width(pieces, size)) / 2
    for font, text in pieces:
        canvas.setFont(font, size)
        canvas.drawString(x, y, text)
        x += pdfmetrics.stringWidth(text, font, size)


def _draw_qr(canvas: Canvas, address: str, *, x: float, y: float, side: float) -> None:
    symbol = segno.make_qr(address, error="m")
    count = symbol.symbol_size(scale=1, border=QR_BORDER)[0]
    module = side / count
    top = y + side - QR_BORDER * module
    path = canvas.beginPath()
    for row, column, length in qr.dark_runs(symbol):
        path.rect(
            x + (QR_BORDER + column) * module, top - (row + 1) * module, length * module, module
        )
    canvas.drawPath(path, stroke=0, fill=1)


def render(*, gift: Gift, address: str | None = None) -> bytes:
    """The card as PDF bytes (one A6 page), worded in the gift's language. `address` is the
    gift page's absolute URL (shop.gifts.page_url by default). No database reads."""
    address = address or gifts.page_url(gift)
    language = gift.language
    width, height = A6
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A6, pageCompression=1)
    with translation.override(language):
        title = _("A gift for you")
        invitation = _(
            "Scan the code to see where each thing in your box comes from, who made it, "
            "and how to enjoy it."
        )
        shop_name = _("OCOP Village Shop")
    canvas.setTitle(title)
    canvas.setAuthor(shop_name)
    text_width = width - 2 * MARGIN
    y = height - MARGIN - 14
    _draw_line(canvas, title, y=y, size=15, language=language, bold=True)
    y -= 22
    size = 11 if len(gift.message) < 220 else 9.5
    for line in wrap(gift.message, width=text_width, size=size, language=language):
        _draw_line(canvas, line, y=y, size=size, language=language)
        y -= size * 1.35
    if gift.signature:
        y -= 4
        _draw_line(canvas, f"— {gift.signature}", y=y, size=11, language=language, bold=True)
    qr_y = MARGIN + 30
    _draw_qr(canvas, address, x=(width - QR_SIDE) / 2, y=qr_y, side=QR_SIDE)
    y = qr_y - 10
    for line in wrap(invitation, width=text_width, size=8.5, language=language):
        _draw_line(canvas, line, y=y, size=8.5, language=language)
        y -= 11
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
