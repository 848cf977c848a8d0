"""The pre-publication checklist. Errors block submitting, approving and publishing; warnings do not."""

from __future__ import annotations

from dataclasses import dataclass

from reporting.annual_report.rendering import render_version
from reporting.models.reports import ReportVersion, SectionKind


@dataclass(frozen=True)
class Item:
    level: str  # "error" | "warning"
    section: str
    message: str


@dataclass(frozen=True)
class Checklist:
    items: list[Item]

    @property
    def errors(self) -> list[Item]:
        return [i for i in self.items if i.level == "error"]

    @property
    def warnings(self) -> list[Item]:
        return [i for i in self.items if i.level == "warning"]

    @property
    def passes(self) -> bool:
        return not self.errors


def check(version: ReportVersion) -> Checklist:
    items: list[Item] = []
    for section in version.sections.all():
        if not section.body.strip():
            items.append(Item("error", section.title, "The section has no text"))
        if section.kind == SectionKind.INNOVATION and not section.case_studies.exists():
            items.append(Item("warning", section.title, "No case studies are chosen"))
    if version.number > 1 and not version.change_note.strip():
        items.append(Item("error", "Change note", "A correction needs a public note of what changed and why"))
    items.extend(Item(level, title, message) for level, title, message in render_version(version).problems)
    return Checklist(sorted(items, key=lambda i: i.level != "error"))
