"""Downloads built only from a version's frozen data, so they are byte-identical however the data changes."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from odp.tabular import write_csv, write_ods
from reporting.models.reports import ReportVersion

# A fixed timestamp inside the zip: the same frozen data always gives the same bytes.
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)


def tables(version: ReportVersion) -> list[dict[str, Any]]:
    return list(version.frozen_data.get("tables", []))


def figures_csv(version: ReportVersion) -> bytes:
    table = next((t for t in tables(version) if t["name"] == "figures"), {"header": [], "rows": []})
    return write_csv(table["header"], table["rows"])


def figures_ods(version: ReportVersion) -> bytes:
    table = next((t for t in tables(version) if t["name"] == "figures"), {"header": [], "rows": []})
    return write_ods(table["header"], table["rows"], sheet_name="Figures")


def all_tables_zip(version: ReportVersion) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in tables(version):
            for suffix, content in (
                ("csv", write_csv(table["header"], table["rows"])),
                ("ods", write_ods(table["header"], table["rows"], sheet_name=table["title"][:31])),
            ):
                info = zipfile.ZipInfo(f"{table['name']}.{suffix}", date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, content)
    return buffer.getvalue()
