"""Drawing a customs declaration (customs.Declaration) as a PDF with reportlab.

Pure drawing, no database. A CN22 is a label, drawn on A6; a CN23 on A4, continued on as
many pages as its articles need (the column heads repeat). The words are the UPU forms'
own, in English (the customs of the destination read English; the forms carry no other
language but French). Names and addresses keep their Vietnamese letters: the text is set in
the project's Noto Sans subset (traceability.fonts), as the lot labels are.
"""

import io
from decimal import Decimal

from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from shop.fulfilment.customs import CATEGORY_GIFT, CATEGORY_SALE, CN22, Declaration
from shop.money import exponent
from traceability import fonts

CERTIFICATE = (
    "I, the undersigned, certify that the particulars given in this declaration are correct "
    "and that this item does not contain any dangerous article or articles prohibited by "
    "legislation or by postal or customs regulations."
)


def _amount(value: Decimal, currency: str) -> str:
    # Zero-decimal currencies (VND, JPY, KRW) are written whole, with thousands separated.
    if exponent(currency) == 0:
        return f"{value:,.0f} {currency}"
    return f"{value:.2f} {currency}"


def _kg(grams: int) -> str:
    return f"{Decimal(grams) / 1000:.3f}"


class _Sheet:
    """A canvas and a cursor moving down the page, with a new page when one is full."""

    def __init__(self, canvas: Canvas, size: tuple[float, float], margin: float, base: float):
        self.canvas, self.size, self.margin, self.base = canvas, size, margin, base
        self.regular, self.bold = fonts.register_pdf_fonts()
        self.y = size[1] - margin
        self.on_new_page = None

    @property
    def width(self) -> float:
        return self.size[0] - 2 * self.margin

    def need(self, height: float) -> None:
        if self.y - height < self.margin:
            self.canvas.showPage()
            self.y = self.size[1] - self.margin
            if self.on_new_page:
                self.on_new_page()

    def text(self, x: float, text: str, *, size: float | None = None, bold=False, width=None):
        """Wrapped text from the cursor at x (points from the margin); moves the cursor."""
        size = size or self.base
        font = self.bold if bold else self.regular
        lines = simpleSplit(text, font, size, width or self.width - x) or [""]
        for line in lines:
            self.need(size * 1.3)
            self.canvas.setFont(font, size)
            self.canvas.drawString(self.margin + x, self.y - size, line)
            self.y -= size * 1.3
        return len(lines)

    def rule(self) -> None:
        self.canvas.setLineWidth(0.5)
        self.canvas.line(self.margin, self.y - 1, self.size[0] - self.margin, self.y - 1)
        self.y -= 3


def render(declaration: Declaration) -> bytes:
    """The declaration as PDF bytes: CN22 on A6, CN23 on A4."""
    small = declaration.form == CN22
    size = A6 if small else A4
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=size, pageCompression=1)
    canvas.setTitle(f"{declaration.form} {declaration.order_number}")
    canvas.setAuthor(declaration.sender.name)
    sheet = _Sheet(canvas, size, margin=(5 if small else 15) * mm, base=6.5 if small else 9)
    _head(sheet, declaration)
    _parties(sheet, declaration)
    _items(sheet, declaration, small)
    _totals(sheet, declaration)
    sheet.y -= sheet.base
    sheet.text(0, CERTIFICATE, size=sheet.base * 0.85)
    sheet.y -= sheet.base
    sheet.text(0, "Date and sender's signature: ______________________________")
    canvas.save()
    return buffer.getvalue()


def _head(sheet: _Sheet, declaration: Declaration) -> None:
    title = "CUSTOMS DECLARATION CN 22" if declaration.form == CN22 else "CUSTOMS DECLARATION CN 23"
    sheet.text(0, title, size=sheet.base * 1.5, bold=True)
    sheet.text(0, f"May be opened officially · Order {declaration.order_number}")
    boxes = [
        f"[{'X' if declaration.category == name else ' '}] {name}"
        for name in (CATEGORY_GIFT, CATEGORY_SALE)
    ]
    sheet.text(0, "Category of item: " + "   ".join(boxes))
    sheet.rule()


def _party(sheet: _Sheet, caption: str, party) -> None:
    sheet.text(0, caption, bold=True)
    sheet.text(0, party.name)
    for line in party.lines:
        sheet.text(0, line)
    contact = " · ".join(p for p in (party.phone, party.email) if p)
    if contact:
        sheet.text(0, contact)


def _parties(sheet: _Sheet, declaration: Declaration) -> None:
    _party(sheet, "From (sender)", declaration.sender)
    sheet.y -= sheet.base * 0.4
    _party(sheet, "To (addressee)", declaration.addressee)
    sheet.rule()


def _columns(sheet: _Sheet, small: bool) -> list[tuple[str, float]]:
    """(heading, x offset) of the table's columns; the description takes what is left."""
    shares = (
        [("Qty", 0.46), ("Net kg", 0.56), ("Value", 0.68), ("HS code", 0.84)]
        if small
        else [
            ("Quantity", 0.44),
            ("Net weight (kg)", 0.53),
            ("Value", 0.67),
            ("HS tariff no.", 0.8),
            ("Origin", 0.92),
        ]
    )
    return [("Detailed description of contents", 0.0)] + [
        (name, share * sheet.width) for name, share in shares
    ]


def _items(sheet: _Sheet, declaration: Declaration, small: bool) -> None:
    columns = _columns(sheet, small)
    description_width = columns[1][1] - 4

    def heads() -> None:
        top, lowest = sheet.y, sheet.y
        for name, x in columns:
            sheet.y = top
            nxt = next((c[1] for c in columns if c[1] > x), sheet.width)
            sheet.text(x, name, bold=True, width=nxt - x - 2)
            lowest = min(lowest, sheet.y)
        sheet.y = lowest
        sheet.rule()

    heads()
    sheet.on_new_page = heads
    currency = declaration.currency
    for item in declaration.items:
        sheet.need(sheet.base * 4)
        top = sheet.y
        cells = [
            str(item.quantity),
            _kg(item.net_weight_grams),
            _amount(item.value, currency),
            item.hs_code or "—",
        ]
        if not small:
            cells.append(item.origin)
        lowest = top
        for (_, x), cell in zip(columns[1:], cells, strict=True):
            sheet.y = top
            sheet.text(x, cell)
            lowest = min(lowest, sheet.y)
        sheet.y = top
        sheet.text(0, item.description, width=description_width)
        if item.name:
            sheet.text(0, item.name, size=sheet.base * 0.85, width=description_width)
        if item.lots:
            sheet.text(
                0, "Lots: " + ", ".join(item.lots), size=sheet.base * 0.85, width=description_width
            )
        if item.box_lots:
            sheet.text(
                0,
                "In gift box lots: " + ", ".join(item.box_lots),
                size=sheet.base * 0.85,
                width=description_width,
            )
        sheet.y = min(sheet.y, lowest) - sheet.base * 0.3
    sheet.on_new_page = None
    sheet.rule()


def _totals(sheet: _Sheet, declaration: Declaration) -> None:
    currency = declaration.currency
    sheet.text(
        0,
        f"Total value: {_amount(declaration.total_value, currency)} "
        f"(about {declaration.total_value_sdr} SDR)",
        bold=True,
    )
    sheet.text(
        0,
        f"Total gross weight: {_kg(declaration.gross_weight_grams)} kg · "
        f"net weight: {_kg(declaration.net_weight_grams)} kg",
    )
    if declaration.postal_charges is not None:
        sheet.text(0, f"Postal charges/fees: {_amount(declaration.postal_charges, currency)}")
    sheet.text(0, "Country of origin of the goods: Viet Nam (VN)")
