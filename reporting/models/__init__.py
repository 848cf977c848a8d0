from reporting.models.objectives import MANUAL_SOURCE, Direction, Kpi, KpiUnit, Objective
from reporting.models.reports import (
    SECTION_ORDER,
    AnnualReport,
    PdfStatus,
    ReportVersion,
    Section,
    SectionKind,
    VersionStatus,
)

__all__ = [
    "MANUAL_SOURCE",
    "SECTION_ORDER",
    "AnnualReport",
    "Direction",
    "Kpi",
    "KpiUnit",
    "Objective",
    "PdfStatus",
    "ReportVersion",
    "Section",
    "SectionKind",
    "VersionStatus",
]
