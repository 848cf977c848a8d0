"""Staff pages: My skills, the self-assessment form and the history of one skill."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from odp.models import JobFamily, Member
from skills import services
from skills.forms import EVIDENCE_MAX
from skills.models import Assessment, FrameworkVersion, Intervention, InterventionKind, Skill, VersionStatus
from tests.factories import MemberFactory, UserFactory
from tests.skills.factories import FrameworkFactory, published_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def version() -> FrameworkVersion:
    return published_version(n_skills=3, framework=FrameworkFactory(slug="odp-skills", name="ODP skills framework"))


@pytest.fixture
def skills(version) -> list[Skill]:
    return list(version.skills.order_by("position"))


@pytest.fixture
def staff(client: Client, staff_member: Member) -> Client:
    client.force_login(staff_member.user)
    return client


def get(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.content[:400]
    return response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, version, skills):
    for url in (reverse("web-skills-mine"), reverse("web-skills-assess", args=[skills[0].pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_my_skills_shows_expected_and_current_levels_gaps_and_the_summary(staff, staff_member, skills):
    services.assessment_record_self(member=staff_member, skill=skills[0], level=3)

    html = get(staff, reverse("web-skills-mine"))

    assert "You meet 1 of 3 expected skills." in html
    assert '<caption class="govuk-table__caption govuk-table__caption--m">Customer service</caption>' in html
    assert html.count("Working (level 2)") >= 3  # expected level of every skill
    assert "Practitioner (level 3)" in html
    assert "Self-assessed" in html
    assert html.count('<strong class="govuk-tag govuk-tag--orange">Gap of 2 levels</strong>') == 2
    assert '<strong class="govuk-tag govuk-tag--green">Meets expected level</strong>' in html
    assert f'href="{reverse("web-skills-assess", args=[skills[1].pk])}"' in html
    assert f'href="{reverse("web-skills-history", args=[skills[1].pk])}"' in html


def test_pending_self_assessment_after_a_managers_rating_is_shown(staff, staff_member, skills, passport_office):
    manager = MemberFactory(organisation=passport_office)
    staff_member.line_manager = manager
    staff_member.save()
    first = services.assessment_record_self(member=staff_member, skill=skills[0], level=2)
    services.assessment_respond(self_assessment=first, by=manager)
    services.assessment_record_self(member=staff_member, skill=skills[0], level=4)

    html = get(staff, reverse("web-skills-mine"))

    assert "Confirmed by line manager" in html
    assert "You rated yourself Expert (level 4): waiting for your line manager" in html


def test_a_skills_row_is_escaped_and_carries_its_links_tags_and_pending_rating(
    staff, staff_member, skills, passport_office
):
    """My skills builds each row's markup in Python (skills.views.present.StandingRow.html), not in the template."""
    Skill.objects.filter(pk=skills[0].pk).update(name='Calls & <script>alert("x")</script>')
    staff_member.line_manager = MemberFactory(organisation=passport_office)
    staff_member.save()
    services.assessment_record_self(member=staff_member, skill=skills[0], level=3)
    assess, history = (
        reverse("web-skills-assess", args=[skills[0].pk]),
        reverse("web-skills-history", args=[skills[0].pk]),
    )

    html = get(staff, reverse("web-skills-mine"))

    row = re.search(rf'<tr class="govuk-table__row" id="skill-{skills[0].pk}">.*?</tr>', html, re.S).group(0)
    name = "Calls &amp; &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    assert "<script>" not in row
    assert f'<th scope="row" class="govuk-table__header">{name}<br>' in row
    assert f"{skills[0].code} · Core</span></th>" in row
    assert '<td class="govuk-table__cell">Working (level 2)</td>' in row
    assert (
        '<td class="govuk-table__cell">Practitioner (level 3)<br><span class="govuk-body-s">Self-assessed</span><br>'
        '<strong class="govuk-tag govuk-tag--blue">Pending</strong> '
        '<span class="govuk-body-s">Waiting for your line manager to confirm</span></td>'
    ) in row
    assert (
        '<td class="govuk-table__cell"><strong class="govuk-tag govuk-tag--green">Meets expected level</strong></td>'
        in row
    )
    untouched = re.search(rf'<tr class="govuk-table__row" id="skill-{skills[1].pk}">.*?</tr>', html, re.S).group(0)
    assert '<td class="govuk-table__cell">Not yet assessed</td>' in untouched
    assert '<strong class="govuk-tag govuk-tag--orange">Gap of 2 levels</strong>' in untouched
    assert f'<a class="govuk-link" href="{assess}">Assess<span class="govuk-visually-hidden"> {name}</span></a>' in row
    assert (
        f'<a class="govuk-link" href="{history}">History<span class="govuk-visually-hidden"> of {name}</span></a>'
        in row
    )


def test_suggested_interventions_target_the_gaps(staff, staff_member, skills):
    course = Intervention.objects.create(name="Listening course", kind=InterventionKind.COURSE, provider="CSL")
    course.target_skills.set([skills[1]])
    Intervention.objects.create(name="Unrelated coaching", kind=InterventionKind.COACHING, provider="CSL")

    html = get(staff, reverse("web-skills-mine"))

    assert "Listening course" in html
    assert f"Builds: {skills[1].name}" in html
    assert "Unrelated coaching" not in html


def test_empty_state_without_a_published_framework(staff):
    html = get(staff, reverse("web-skills-mine"))

    assert "The skills framework has not been published yet." in html


def test_empty_state_without_a_role_profile(staff, staff_member, version):
    staff_member.job_family = JobFamily.CASEWORK
    staff_member.save()

    html = get(staff, reverse("web-skills-mine"))

    assert "There is no role profile for Casework" in html


def test_assess_page_has_a_radio_per_defined_level_with_its_descriptor_as_hint(staff, version, skills):
    skill = skills[0]
    skill.descriptors = {"1": "Knows the basics.", "2": "Does it well.", "3": "", "4": "Leads it."}
    skill.save()

    html = get(staff, reverse("web-skills-assess", args=[skill.pk]))

    radios = re.findall(r'<input class="govuk-radios__input" id="([^"]+)" name="level" type="radio" value="(\d)"', html)
    assert [value for _, value in radios] == ["1", "2", "4"]  # 3 is not defined, 0 is never a choice
    assert radios[0][0] == "id_level"
    assert 'aria-describedby="id_level_2-item-hint"' in html
    assert '<div id="id_level_2-item-hint" class="govuk-hint govuk-radios__hint">Leads it.</div>' in html
    assert '<h1 class="govuk-fieldset__heading">What level are you at in Skill 1?</h1>' in html


def test_self_assessment_saves_and_shows_the_new_gap_in_a_banner(staff, staff_member, skills):
    response = staff.post(
        reverse("web-skills-assess", args=[skills[1].pk]), {"level": "1", "evidence": "I handled a complaint."}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("web-skills-mine")
    assessment = Assessment.objects.get(member=staff_member)
    assert (assessment.level, assessment.rationale) == (1, "I handled a complaint.")
    html = get(staff, reverse("web-skills-mine"))
    assert "govuk-notification-banner--success" in html
    assert "You rated yourself Awareness (level 1) for Skill 2" in html
    assert "Gap of 1 level to the expected level, Working (level 2)." in html


def test_meeting_the_expected_level_says_so(staff, skills):
    staff.post(reverse("web-skills-assess", args=[skills[0].pk]), {"level": "2"})

    html = get(staff, reverse("web-skills-mine"))

    assert "You now meet the expected level, Working (level 2)." in html
    assert "You meet 1 of 3 expected skills." in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"evidence": "No level chosen"}, "Select the level that best describes what you do"),
        ({"level": "7"}, "Select one of the levels shown"),
        ({"level": "0"}, "Select one of the levels shown"),
        ({"level": "two"}, "Select one of the levels shown"),
        ({"level": "2", "evidence": "x" * (EVIDENCE_MAX + 1)}, f"Evidence must be {EVIDENCE_MAX} characters or fewer"),
    ],
)
def test_bad_input_shows_the_error_summary_and_saves_nothing(staff, skills, data, message):
    response = staff.post(reverse("web-skills-assess", args=[skills[0].pk]), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Assess Skill 1" in html
    assert '<h2 class="govuk-error-summary__title">There is a problem</h2>' in html
    assert message in html
    assert "govuk-form-group--error" in html
    assert not Assessment.objects.exists()


def test_error_summary_links_to_the_first_radio(staff, skills):
    html = staff.post(reverse("web-skills-assess", args=[skills[0].pk]), {}).content.decode()

    assert '<a href="#id_level">Select the level that best describes what you do</a>' in html
    assert 'aria-describedby="level-hint level-error"' in html


def test_a_skill_outside_the_current_version_is_not_found(staff, version, skills):
    old = skills[0]
    published_version(n_skills=1, framework=version.framework)  # version 1 retires

    assert get(staff, reverse("web-skills-assess", args=[old.pk]), 404)
    assert get(staff, reverse("web-skills-assess", args=[999_999]), 404)
    assert not Assessment.objects.exists()


def test_a_draft_skill_is_not_found(staff, version, odp_admin):
    draft = services.version_create_draft(framework=version.framework, by=odp_admin)
    skill = draft.skills.first()

    staff.post(reverse("web-skills-assess", args=[skill.pk]), {"level": "2"})

    assert get(staff, reverse("web-skills-assess", args=[skill.pk]), 404)
    assert get(staff, reverse("web-skills-history", args=[skill.pk]), 404)
    assert not Assessment.objects.exists()


def test_history_lists_every_rating_newest_first(staff, staff_member, skills, passport_office):
    manager = MemberFactory(organisation=passport_office, user__first_name="Mo", user__last_name="Khan")
    staff_member.line_manager = manager
    staff_member.save()
    first = services.assessment_record_self(member=staff_member, skill=skills[0], level=3, rationale="Led a pilot")
    services.assessment_respond(self_assessment=first, by=manager, level=2, reason="Not yet across teams")

    html = get(staff, reverse("web-skills-history", args=[skills[0].pk]))

    adjusted, own = html.index("Not yet across teams"), html.index("Led a pilot")
    assert adjusted < own
    assert "Mo Khan" in html
    assert "Adjusted your self-assessment" in html
    assert "Confirmed by line manager" in html
    assert "Self-assessed" in html


def test_history_is_only_ever_your_own(client, staff_member, skills, passport_office):
    services.assessment_record_self(member=staff_member, skill=skills[0], level=3, rationale="Private evidence")
    colleague = MemberFactory(organisation=passport_office)
    client.force_login(colleague.user)

    html = get(client, reverse("web-skills-history", args=[skills[0].pk]))

    assert "Private evidence" not in html
    assert "You have not been rated on this skill yet." in html


def test_retired_version_is_read_only_for_staff(staff, version, skills):
    version.status = VersionStatus.RETIRED
    version.save()

    assert get(staff, reverse("web-skills-assess", args=[skills[0].pk]), 404)


def test_my_skills_and_the_assess_page_read_a_published_versions_structure_once(
    staff, skills, django_assert_num_queries
):
    get(staff, reverse("web-skills-mine"))  # reads the version's structure for this process
    # Session, user with member, roles (with "has reports"), the version, current levels, interventions for the gaps.
    with django_assert_num_queries(6):
        get(staff, reverse("web-skills-mine"))
    # Session, user with member, roles (with "has reports"), the version, the skill's current level.
    with django_assert_num_queries(5):
        get(staff, reverse("web-skills-assess", args=[skills[0].pk]))


def test_a_newly_published_version_shows_at_once(staff, version, skills, odp_admin):
    assert "from version 1 of the" in get(staff, reverse("web-skills-mine"))
    draft = services.version_create_draft(framework=version.framework, by=odp_admin, change_notes="Renamed")
    renamed = draft.skills.get(code="S1")
    renamed.name = "Listening to customers"
    renamed.save()
    services.version_publish(version=draft, by=odp_admin)

    html = get(staff, reverse("web-skills-mine"))
    assert "from version 2 of the" in html
    assert "Listening to customers" in html
    assert get(staff, reverse("web-skills-assess", args=[skills[0].pk]), 404)  # a retired version's skill
    assert "Listening to customers" in get(staff, reverse("web-skills-assess", args=[renamed.pk]))


def test_the_admin_cannot_change_a_published_versions_structure(client, version, skills):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = reverse("admin:skills_skill_change", args=[skills[0].pk])
    response = client.post(change, {"code": "S1", "name": "Renamed behind the cache"})
    assert response.status_code == 403
    assert Skill.objects.get(pk=skills[0].pk).name == skills[0].name
    assert 'name="_save"' not in get(client, change)  # shown read-only
