"""Drawing A4 label sheets with reportlab: the grid of common label stock and one label's face.

Pure drawing, no database: traceability.labels validates the request, reads the batches and
passes LabelFace values in. Every label of one batch is identical, so each face is drawn once
as a PDF form and placed as often as asked, which keeps a 5,000-label file small and fast.
"""

import dataclasses
import io
import math
from collections.abc import Callable, Iterable, Iterator

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from traceability import fonts, qr

QR_BORDER = 2  # modules of white inside the QR box; the gaps around it add at least two more


@dataclasses.dataclass(frozen=True)
class Layout:
    """A grid of labels on A4 paper, in millimetres, matching a common label stock."""

    per_sheet: int
    columns: int
    rows: int
    label_width: float
    label_height: float
    left: float
    top: float
    column_gap: float
    row_gap: float = 0.0
    stock: str = ""

    def origin(self, slot: int) -> tuple[float, float]:
        """Lower-left corner (points) of slot 0.. on the page, filled row by row from the top."""
        row, column = divmod(slot, self.columns)
        x = (self.left + column * (self.label_width + self.column_gap)) * mm
        y = A4[1] - (self.top + row * (self.label_height + self.row_gap) + self.label_height) * mm
        return x, y


LAYOUTS: dict[int, Layout] = {
    layout.per_sheet: layout
    for layout in (
        Layout(8, 2, 4, 99.1, 67.7, 4.65, 13.1, 2.5, stock="Avery L7165"),
        Layout(14, 2, 7, 99.1, 38.1, 4.65, 15.15, 2.5, stock="Avery L7163"),
        Layout(21, 3, 7, 63.5, 38.1, 7.25, 15.15, 2.5, stock="Avery L7160"),
        Layout(24, 3, 8, 63.5, 33.9, 7.25, 12.9, 2.5, stock="Avery L7159"),
        Layout(40, 4, 10, 45.7, 25.4, 9.7, 21.5, 2.6, stock="Avery L7654"),
    )
}


@dataclasses.dataclass(frozen=True)
class LabelFace:
    """What one batch's label says, already in the reader's language."""

    name: str
    variant: str
    gtin: str
    lot: str
    lot_caption: str
    best_before_caption: str
    best_before: str
    stars: int  # 0 prints no OCOP mark (e.g. the certificate has lapsed)


@dataclasses.dataclass(frozen=True)
class _Run:
    text: str
    font: str
    size: float


_Line = tuple[_Run, ...]


def _width(line: _Line) -> float:
    return sum(stringWidth(run.text, run.font, run.size) for run in line)


def _height(line: _Line) -> float:
    return max(run.size for run in line) * 1.18


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[_Line]:
    """Greedy word wrap; a last line that would overflow ends in an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        if lines and stringWidth(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += " …"
    fitted = []
    for line in lines:
        while stringWidth(line, font, size) > width and len(line) > 1:
            line = line[:-2].rstrip() + "…"
        fitted.append((_Run(line, font, size),))
    return fitted


def _shrunk(line: _Line, width: float) -> _Line:
    """The line at a smaller size if it is wider than `width`."""
    actual = _width(line)
    if actual <= width:
        return line
    factor = width / actual
    return tuple(dataclasses.replace(run, size=run.size * factor) for run in line)


def _fact_lines(caption: str, value: str, size: float, width: float) -> list[_Line]:
    """`Caption: value` on one line when it fits, else the caption above the value."""
    regular, bold = fonts.REGULAR, fonts.BOLD
    together = (_Run(f"{caption}: ", regular, size), _Run(value, bold, size))
    if _width(together) <= width:
        return [together]
    return [
        _shrunk((_Run(caption, regular, size),), width),
        _shrunk((_Run(value, bold, size),), width),
    ]


def _text_lines(face: LabelFace, base: float, width: float, name_lines: int) -> list[_Line]:
    lines = _wrap(face.name, fonts.BOLD, base * 1.15, width, name_lines)
    lines += _wrap(face.variant, fonts.REGULAR, base * 0.85, width, 1)
    lines += _fact_lines(face.lot_caption, face.lot, base * 0.85, width)
    lines += _fact_lines(face.best_before_caption, face.best_before, base * 0.85, width)
    return lines


def _star(canvas: Canvas, cx: float, cy: float, radius: float) -> None:
    path = canvas.beginPath()
    for point in range(10):
        r = radius if point % 2 == 0 else radius * 0.4
        angle = math.pi / 2 + point * math.pi / 5
        x, y = cx + r * math.cos(angle), cy + r * math.sin(angle)
        path.moveTo(x, y) if point == 0 else path.lineTo(x, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_qr(canvas: Canvas, symbol, x: float, y: float, side: float) -> None:
    """The symbol as one filled vector path of module runs: sharp at any printer resolution."""
    count = symbol.symbol_size(scale=1, border=QR_BORDER)[0]
    module = side / count
    top = y + side - QR_BORDER * module
    path = canvas.beginPath()
    for row, column, length in qr.dark_runs(symbol):
        left = x + (QR_BORDER + column) * module
        path.rect(left, top - (row + 1) * module, length * module, module)
    canvas.drawPath(path, stroke=0, fill=1)


def draw_face(canvas: Canvas, face: LabelFace, layout: Layout) -> None:
    """One label in label coordinates (0, 0 is its lower-left corner)."""
    width, height = layout.label_width * mm, layout.label_height * mm
    pad = max(1.5 * mm, min(width, height) * 0.06)
    base = min(max(height * 0.1, 6.5), 13.0)

    hri = qr.human_readable(gtin=face.gtin, lot=face.lot)
    hri_size = min(max(height * 0.075, 4.5), 8.0)
    # Past about 30 mm a bigger symbol scans no better; the text gets the room instead.
    side = min(height - 2 * pad - 2 * hri_size * 1.25, width * 0.42, 30 * mm)
    widest = max(stringWidth(line, fonts.REGULAR, 1) for line in hri)
    hri_size = min(hri_size, side / widest)

    symbol = qr.make_qr(gtin=face.gtin, lot=face.lot)
    module = side / symbol.symbol_size(scale=1, border=QR_BORDER)[0]
    column_height = side + module + 2 * hri_size * 1.25
    qr_y = (height + column_height) / 2 - side
    canvas.setFillColorRGB(0, 0, 0)
    _draw_qr(canvas, symbol, pad, qr_y, side)
    for index, line in enumerate(hri):
        baseline = qr_y - module - hri_size * (1 + index * 1.25)
        canvas.setFont(fonts.REGULAR, hri_size)
        canvas.drawCentredString(pad + side / 2, baseline, line)

    text_x = pad + side + 2 * module
    text_width = width - text_x - pad
    star_size = base * 0.9
    mark_height = star_size * 1.4 if face.stars else 0
    lines = _fitted_lines(face, base, text_width, height - 2 * pad - mark_height)
    block = sum(_height(line) for line in lines) + mark_height
    y = min(height - pad, (height + block) / 2)
    for line in lines:
        y -= _height(line)
        x = text_x
        for run in line:
            canvas.setFont(run.font, run.size)
            canvas.drawString(x, y + run.size * 0.22, run.text)
            x += stringWidth(run.text, run.font, run.size)
    if face.stars:
        _draw_ocop_mark(canvas, face.stars, text_x, y - star_size * 1.3, star_size)


def _fitted_lines(face: LabelFace, base: float, width: float, room: float) -> list[_Line]:
    """The text column at the largest size that fits (down to 60 %) with the whole name;
    only if none does, the name is cut to fewer lines."""

    def fits(lines: list[_Line]) -> bool:
        return sum(_height(line) for line in lines) <= room

    for step in range(9):
        lines = _text_lines(face, base * (1 - step * 0.05), width, name_lines=4)
        if fits(lines):
            return lines
    for name_lines in (3, 2, 1):
        lines = _text_lines(face, base * 0.6, width, name_lines)
        if fits(lines):
            break
    return lines


def _draw_ocop_mark(canvas: Canvas, stars: int, x: float, y: float, size: float) -> None:
    canvas.setFont(fonts.BOLD, size)
    canvas.drawString(x, y, "OCOP")
    star_x = x + stringWidth("OCOP ", fonts.BOLD, size)
    for index in range(stars):
        _star(canvas, star_x + size * (0.55 + index * 1.1), y + size * 0.36, size * 0.55)


def draw_sheets(
    *,
    faces: Iterable[tuple[LabelFace, int]],
    layout: Layout,
    title: str,
    on_page: Callable[[int, int], None] | None = None,
) -> bytes:
    """The PDF: each face `count` times, in order, filling the grid row by row, page by page.

    `on_page(done, total)` is called after each finished page, for progress reports.
    """
    fonts.register_pdf_fonts()
    faces = list(faces)
    total_labels = sum(count for _, count in faces)
    total_pages = max(1, math.ceil(total_labels / layout.per_sheet))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
    canvas.setTitle(title)
    canvas.setCreator("OCOP Storefront")
    for index, (face, _) in enumerate(faces):
        canvas.beginForm(
            f"label{index}", upperx=layout.label_width * mm, uppery=layout.label_height * mm
        )
        draw_face(canvas, face, layout)
        canvas.endForm()

    page = 0
    for slot_number, form in enumerate(_form_sequence(faces)):
        slot = slot_number % layout.per_sheet
        if slot == 0 and slot_number:
            canvas.showPage()
            page += 1
            if on_page:
                on_page(page, total_pages)
        x, y = layout.origin(slot)
        canvas.saveState()
        canvas.translate(x, y)
        canvas.doForm(form)
        canvas.restoreState()
    canvas.showPage()
    if on_page:
        on_page(total_pages, total_pages)
    canvas.save()
    return buffer.getvalue()


def _form_sequence(faces: list[tuple[LabelFace, int]]) -> Iterator[str]:
    for index, (_, count) in enumerate(faces):
        for _ in range(count):
            yield f"label{index}"
