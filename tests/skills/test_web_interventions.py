"""ODP admin intervention pages: create and edit with target skills and costs, cohorts, enrolment uploads."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from skills.models import Cohort, CostCategory, Enrolment, FrameworkVersion, Intervention, InterventionKind
from tests.factories import MemberFactory
from tests.skills.factories import FrameworkFactory, published_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def version() -> FrameworkVersion:
    return published_version(n_skills=3, framework=FrameworkFactory(slug="odp-skills", name="ODP skills framework"))


@pytest.fixture
def admin(client: Client, odp_admin) -> Client:
    client.force_login(odp_admin.user)
    return client


@pytest.fixture
def course(version) -> Intervention:
    course = Intervention.objects.create(name="Casework academy", kind=InterventionKind.COURSE, provider="CSL")
    course.target_skills.set([version.skills.get(code="S1")])
    return course


@pytest.fixture
def cohort(course) -> Cohort:
    return Cohort.objects.create(
        intervention=course, name="Cohort 1", starts_on=datetime.date(2026, 1, 5), ends_on=datetime.date(2026, 3, 27)
    )


def form_data(**overrides: object) -> dict[str, object]:
    return {"name": "Data literacy", "kind": "course", "provider": "Government Campus", **overrides}


def test_pages_are_for_admins_only(client, staff_member, course, cohort):
    urls = [
        reverse("web-skills-interventions"),
        reverse("web-skills-intervention-create"),
        reverse("web-skills-intervention", args=[course.pk]),
        reverse("web-skills-intervention-edit", args=[course.pk]),
        reverse("web-skills-cohort-create", args=[course.pk]),
        reverse("web-skills-cohort", args=[cohort.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    client.force_login(staff_member.user)
    for url in urls:
        assert client.get(url).status_code == 404


def test_creating_an_intervention_with_targets_and_costs(admin, version):
    s2 = version.skills.get(code="S2")
    data = form_data(
        target_skills=[s2.pk],
        cost_1_category="delivery",
        cost_1_amount="12000",
        cost_1_description="Provider fee",
        cost_2_category="participant_time",
        cost_2_amount="350.50",
        cost_2_per_participant="on",
    )

    response = admin.post(reverse("web-skills-intervention-create"), data)

    intervention = Intervention.objects.get(name="Data literacy")
    assert response["Location"] == reverse("web-skills-intervention", args=[intervention.pk])
    assert list(intervention.target_skills.all()) == [s2]
    costs = sorted((c.category, c.amount, c.per_participant) for c in intervention.cost_items.all())
    assert costs == [
        (CostCategory.DELIVERY, Decimal("12000.00"), False),
        (CostCategory.PARTICIPANT_TIME, Decimal("350.50"), True),
    ]
    html = admin.get(response["Location"]).content.decode()
    assert "Data literacy added" in html
    assert "Participant time: £350.50 per participant" in html


def test_form_lists_current_skills_as_checkboxes(admin, version):
    html = admin.get(reverse("web-skills-intervention-create")).content.decode()

    assert html.count('name="target_skills" type="checkbox"') == 3
    assert "S1 Skill 1" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (form_data(name=""), "Enter the intervention&#x27;s name"),
        (form_data(kind=""), "Select the type of intervention"),
        (form_data(cost_1_category="travel"), "Enter cost 1&#x27;s amount"),
        (form_data(cost_2_amount="100"), "Select cost 2&#x27;s category"),
        (form_data(cost_1_category="travel", cost_1_amount="-5"), "Cost 1 amount must be 0 or more"),
        (form_data(cost_1_category="travel", cost_1_amount="lots"), "Cost 1 amount must be a number"),
    ],
)
def test_bad_intervention_input_shows_errors_and_saves_nothing(admin, version, data, message):
    html = admin.post(reverse("web-skills-intervention-create"), data).content.decode()

    assert "There is a problem" in html
    assert message in html
    assert not Intervention.objects.exists()


def test_editing_keeps_targets_and_costs(admin, course):
    course.cost_items.create(category=CostCategory.DELIVERY, amount=Decimal("900"))

    html = admin.get(reverse("web-skills-intervention-edit", args=[course.pk])).content.decode()

    assert 'value="Casework academy"' in html
    assert 'value="900' in html
    admin.post(
        reverse("web-skills-intervention-edit", args=[course.pk]),
        form_data(name="Casework academy 2", cost_1_category="delivery", cost_1_amount="950"),
    )
    course.refresh_from_db()
    assert course.name == "Casework academy 2"
    assert [c.amount for c in course.cost_items.all()] == [Decimal("950.00")]


def test_a_duplicate_name_is_a_field_error(admin, course):
    html = admin.post(reverse("web-skills-intervention-create"), form_data(name="Casework academy")).content.decode()

    assert "There is a problem" in html
    assert Intervention.objects.count() == 1


def test_adding_a_cohort(admin, course):
    data = {
        "name": "Cohort 2",
        "starts_on_day": "7",
        "starts_on_month": "9",
        "starts_on_year": "2026",
        "ends_on_day": "18",
        "ends_on_month": "12",
        "ends_on_year": "2026",
    }

    response = admin.post(reverse("web-skills-cohort-create", args=[course.pk]), data)

    cohort = Cohort.objects.get(name="Cohort 2")
    assert (cohort.starts_on, cohort.ends_on) == (datetime.date(2026, 9, 7), datetime.date(2026, 12, 18))
    assert response["Location"] == reverse("web-skills-cohort", args=[cohort.pk])


def test_a_cohort_cannot_end_before_it_starts(admin, course):
    data = {
        "name": "Backwards",
        "starts_on_day": "7",
        "starts_on_month": "9",
        "starts_on_year": "2026",
        "ends_on_day": "1",
        "ends_on_month": "9",
        "ends_on_year": "2026",
    }

    html = admin.post(reverse("web-skills-cohort-create", args=[course.pk]), data).content.decode()

    assert "The end date must be the same as or after the start date" in html
    assert not Cohort.objects.exists()


def test_enrolment_upload_with_bad_rows_lists_them_and_saves_nothing(admin, cohort, passport_office):
    MemberFactory(organisation=passport_office, user__username="ann")
    csv = b"username,status,completed_on\nann,completed,2026-03-27\nnobody,enrolled,\nann,finished,\n"

    response = admin.post(
        reverse("web-skills-cohort", args=[cohort.pk]), {"file": SimpleUploadedFile("enrolments.csv", csv)}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "listed below. Nothing was saved" in html
    assert "No active member has the username &#x27;nobody&#x27;." in html
    assert "Status must be enrolled, completed or withdrawn." in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in html
    assert not Enrolment.objects.exists()


def test_enrolment_upload_saves_every_row(admin, cohort, passport_office):
    MemberFactory(organisation=passport_office, user__username="ann")
    MemberFactory(organisation=passport_office, user__username="bob")
    csv = b"username,status,completed_on\nann,completed,2026-03-27\nbob,withdrawn,\n"

    response = admin.post(
        reverse("web-skills-cohort", args=[cohort.pk]), {"file": SimpleUploadedFile("enrolments.csv", csv)}
    )

    assert response.status_code == 302
    assert Enrolment.objects.filter(cohort=cohort).count() == 2
    html = admin.get(response["Location"]).content.decode()
    assert "2 enrolments saved" in html
    assert '<strong class="govuk-tag govuk-tag--green">Completed</strong>' in html


def test_enrolment_upload_must_be_a_csv(admin, cohort):
    html = admin.post(
        reverse("web-skills-cohort", args=[cohort.pk]), {"file": SimpleUploadedFile("enrolments.json", b"[]")}
    ).content.decode()

    assert "The selected file must be a .csv file" in html


def test_editing_an_intervention_with_many_costs_keeps_every_cost(db, odp_admin):
    from decimal import Decimal

    from skills import interventions
    from skills.forms import InterventionForm
    from skills.models import Skill

    costs = [("delivery", Decimal(n * 100), False, f"Item {n}") for n in range(1, 7)]
    course = interventions.intervention_save(by=odp_admin, name="Six costs", kind="course", provider="P", costs=costs)
    initial = InterventionForm.initial_for(course, Skill.objects.none())
    form = InterventionForm(initial=initial, skills=Skill.objects.none(), existing_costs=course.cost_items.count())
    assert len(form.cost_rows()) == 7
    assert [initial[f"cost_{n}_description"] for n in range(1, 7)] == [f"Item {n}" for n in range(1, 7)]
