"""Words for numbers: how levels, gaps and raters read on the skills pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from skills.models import FrameworkVersion, RaterKind, Skill
from skills.selectors import SkillStanding, structure


def level_names(version: FrameworkVersion | None) -> dict[int, str]:
    return {lv.value: lv.name for lv in structure(version).levels} if version else {}


def level_text(level: int | None, names: dict[int, str]) -> str:
    """A level in words, like "Practitioner (level 3)"; 0 is "Not yet assessed"."""
    if not level:
        return "Not yet assessed"
    name = names.get(level)
    return f"{name} (level {level})" if name else f"Level {level}"


def gap_text(gap: int) -> str:
    return "Meets expected level" if gap == 0 else f"Gap of {gap} level{'s' if gap != 1 else ''}"


def rater_text(kind: str | None) -> str:
    return {
        RaterKind.SELF: "Self-assessed",
        RaterKind.LINE_MANAGER: "Confirmed by line manager",
        RaterKind.ASSESSOR: "Rated by an assessor",
    }.get(kind or "", "Not yet assessed")


@dataclass(frozen=True)
class StandingRow:
    """One row of the My skills table, ready to print."""

    standing: SkillStanding
    expected: str
    current: str
    rated_by: str
    gap: str
    waiting: str
    assess_url: str
    history_url: str

    @property
    def skill(self) -> Skill:
        return self.standing.skill

    @property
    def html(self) -> SafeString:
        """The row's markup. Built here rather than in the template: as a template loop, the 40 rows of a typical
        profile (16 lookups each) were half the CPU of the busiest page in the load benchmark."""
        skill, standing = self.skill, self.standing
        rated = format_html(_RATED_BY, self.rated_by) if standing.current_level else ""
        waiting = format_html(_WAITING, self.waiting) if self.waiting else ""
        gap = format_html(_GAP, "orange" if standing.gap else "green", self.gap)
        return format_html(
            _ROW, skill.pk, skill.name, skill.code, capfirst(standing.importance), self.expected, self.current,
            rated, waiting, gap, self.assess_url, self.history_url,
        )  # fmt: skip


# templates/skills/my_skills.html prints each row's html between its table tags.
_ROW = """<tr class="govuk-table__row" id="skill-{0}">
      <th scope="row" class="govuk-table__header">{1}<br><span class="govuk-body-s govuk-!-font-weight-regular">{2} · {3}</span></th>
      <td class="govuk-table__cell">{4}</td>
      <td class="govuk-table__cell">{5}{6}{7}</td>
      <td class="govuk-table__cell">{8}</td>
      <td class="govuk-table__cell">
        <ul class="govuk-list govuk-!-margin-bottom-0">
          <li><a class="govuk-link" href="{9}">Assess<span class="govuk-visually-hidden"> {1}</span></a></li>
          <li><a class="govuk-link" href="{10}">History<span class="govuk-visually-hidden"> of {1}</span></a></li>
        </ul>
      </td>
    </tr>"""  # noqa: E501
_RATED_BY = '<br><span class="govuk-body-s">{}</span>'
_WAITING = '<br><strong class="govuk-tag govuk-tag--blue">Pending</strong> <span class="govuk-body-s">{}</span>'
_GAP = '<strong class="govuk-tag govuk-tag--{}">{}</strong>'


_ID = 987654321987654321


def url_for_each(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[pk])`` for many rows, reversing once: a table of 40 skills with two links a row
    spent about a tenth of the page's time in reverse()."""
    head, tail = reverse(name, args=[_ID]).split(str(_ID))
    return lambda pk: f"{head}{pk}{tail}"


@dataclass(frozen=True)
class RowUrls:
    assess: Callable[[int], str]
    history: Callable[[int], str]

    @classmethod
    def build(cls) -> RowUrls:
        return cls(assess=url_for_each("web-skills-assess"), history=url_for_each("web-skills-history"))


def standing_row(standing: SkillStanding, names: dict[int, str], urls: RowUrls) -> StandingRow:
    waiting = ""
    if standing.pending_level is not None:
        waiting = f"You rated yourself {level_text(standing.pending_level, names)}: waiting for your line manager"
    elif standing.awaiting_manager:
        waiting = "Waiting for your line manager to confirm"
    return StandingRow(
        standing=standing,
        expected=level_text(standing.expected_level, names),
        current=level_text(standing.current_level, names),
        rated_by=rater_text(standing.rater_kind),
        gap=gap_text(standing.gap),
        waiting=waiting,
        assess_url=urls.assess(standing.skill.pk),
        history_url=urls.history(standing.skill.pk),
    )
