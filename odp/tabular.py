"""Reading uploaded CSV files safely, and writing spreadsheet-safe CSV and OpenDocument spreadsheets (ODS).

Uploads are all-or-nothing: ``read_csv`` and the importers built on it collect every problem as a
``RowError`` (row, column, message) and raise ``ImportRejected`` with all of them, so a caller saves
nothing unless the whole file is good. Row numbers are spreadsheet rows: the header is row 1."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# A cell starting with one of these is run as a formula by spreadsheet programs (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"row {self.row}" if self.row else "", self.column or "") if part)
        return f"{where}: {self.message}" if where else self.message

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": self.message}


# A file can have a problem on every one of its tens of thousands of rows. Listing them all made a page with a
# table of 100,000 rows (20 s to render) and an API answer as big; the first ones are enough to fix the file by.
MAX_LISTED_ERRORS = 100


class ImportRejected(Exception):
    """The file was rejected as a whole; ``errors`` lists the problems found (the first ``MAX_LISTED_ERRORS``, then
    one saying how many more there are); ``total`` counts them all."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        errors = list(errors)
        self.total = len(errors)
        self.errors = errors[:MAX_LISTED_ERRORS]
        if self.total > MAX_LISTED_ERRORS:
            more = self.total - MAX_LISTED_ERRORS
            self.errors.append(RowError(None, None, f"{more:,} more problems are not listed: fix these first."))
        super().__init__("; ".join(str(e) for e in self.errors[:5]))


def looks_like_formula(value: str) -> bool:
    if not value.startswith(FORMULA_PREFIXES):
        return False
    try:
        float(value)  # a plain negative or signed number is data, not a formula
    except ValueError:
        return True
    return False


def decode_upload(data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    if not data:
        raise ImportRejected([RowError(None, None, "The file is empty.")])
    if len(data) > max_bytes:
        raise ImportRejected([RowError(None, None, f"The file must be smaller than {max_bytes // (1024 * 1024)} MB.")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected(
            [RowError(None, None, f"The file must be saved as UTF-8 (byte {exc.start + 1} is not valid UTF-8).")]
        ) from exc


def read_csv(
    data: bytes, *, required: Iterable[str], optional: Iterable[str] = (), max_bytes: int = MAX_UPLOAD_BYTES
) -> list[tuple[int, dict[str, str]]]:
    """Parse a CSV upload into (row number, {column: stripped value}) pairs, checking encoding, size, the
    header and formula-looking cells. Raises ImportRejected listing every problem."""
    text = decode_upload(data, max_bytes=max_bytes)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ImportRejected([RowError(None, None, f"The file is not valid CSV: {exc}.")]) from exc
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise ImportRejected([RowError(1, None, "The file has no header row.")])
    header = [cell.strip().lower() for cell in rows[0]]
    required, optional = list(required), list(optional)
    errors = [RowError(1, column, f"The column '{column}' is missing.") for column in required if column not in header]
    known = set(required) | set(optional)
    errors += [
        RowError(1, column, f"'{column}' is not a column this file can have.")
        for column in header
        if column not in known
    ]
    duplicates = {column for column in header if header.count(column) > 1}
    errors += [RowError(1, column, f"The column '{column}' appears more than once.") for column in sorted(duplicates)]
    if errors:
        raise ImportRejected(errors)

    parsed: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            errors.append(RowError(number, None, f"The row has {len(cells)} cells but the header has {len(header)}."))
            continue
        values = {column: (cells[i].strip() if i < len(cells) else "") for i, column in enumerate(header)}
        for column, value in values.items():
            if "\x00" in value:  # PostgreSQL text cannot hold it: a 500 when saved, or a wrong lookup
                errors.append(
                    RowError(number, column, "Cells must not contain a NUL character (save the file as text).")
                )
            elif looks_like_formula(value):
                errors.append(
                    RowError(
                        number, column, "Cells must not start with =, +, -, @ or a tab (they could run as formulas)."
                    )
                )
        parsed.append((number, values))
    if errors:
        raise ImportRejected(errors)
    if not parsed:
        raise ImportRejected([RowError(None, None, "The file has a header but no data rows.")])
    return parsed


def safe_cell(value: object) -> str:
    """A value for a CSV or spreadsheet export that cannot run as a formula when opened."""
    text = "" if value is None else str(value)
    return f"'{text}" if looks_like_formula(text) else text


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue().encode("utf-8")


_ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
_ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:version="1.2" manifest:media-type="{mime}"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
_ODS_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
}


def _ods_cell(value: object) -> str:
    # Numbers stay numbers (a spreadsheet can sum them); booleans and everything else are text.
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value={quoteattr(str(value))}>'
            f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
        )
    text = escape(safe_cell(value))
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def write_ods(header: Sequence[str], rows: Iterable[Sequence[object]], sheet_name: str = "Sheet1") -> bytes:
    """A minimal OpenDocument spreadsheet of one sheet: the ``mimetype`` entry first and uncompressed (as the
    format requires), then content.xml and the manifest. Text cells pass through ``safe_cell``."""
    namespaces = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in _ODS_NS.items())
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<office:document-content {namespaces} office:version="1.2"><office:body><office:spreadsheet>',
        f"<table:table table:name={quoteattr(safe_cell(sheet_name)[:31] or 'Sheet1')}>",
        "<table:table-row>" + "".join(_ods_cell(str(h)) for h in header) + "</table:table-row>",
    ]
    lines.extend("<table:table-row>" + "".join(_ods_cell(c) for c in row) + "</table:table-row>" for row in rows)
    lines.append("</table:table></office:spreadsheet></office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIME, compress_type=zipfile.ZIP_STORED)
        # ZipInfo entries carry a fixed date (1980-01-01) where a bare name would take the current time: the same
        # rows give the same bytes, as a published report's frozen downloads promise (they differed across seconds).
        archive.writestr(zipfile.ZipInfo("content.xml"), "\n".join(lines), compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr(
            zipfile.ZipInfo("META-INF/manifest.xml"),
            _ODS_MANIFEST.format(mime=_ODS_MIME),
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return buffer.getvalue()
