"""The demo year's objectives and KPIs: the four areas, figure keys that exist, manual values with evidence."""

from __future__ import annotations

import pytest

from reporting import objectives_demo
from reporting.figures import FIGURES
from reporting.kpis import progress_for
from reporting.models import Kpi, Objective
from tests.factories import MemberFactory, grant

pytestmark = pytest.mark.django_db


def test_demo_objectives_and_kpis_are_seeded_once(dwp):
    from odp.models import Role

    admin = MemberFactory(organisation=dwp, user__username="admin")
    grant(admin, Role.ODP_ADMIN)
    assert objectives_demo.seed() == {"objectives": 4, "KPIs": 11}
    assert objectives_demo.seed() == {}
    assert Objective.objects.filter(year=2026).count() == 4
    kpis = list(Kpi.objects.select_related("objective"))
    sources = {k.source for k in kpis}
    assert {
        "skills.digital_share_meeting_expected",
        "skills.ai_share_meeting_expected",
        "ideas.submitted",
        "srrt.share_foreseeable",
    } <= sources
    assert all(k.source in FIGURES for k in kpis if not k.is_manual)
    manual = [k for k in kpis if k.is_manual]
    assert len(manual) == 2 and all(k.evidence and k.entered_by == admin and k.entered_at for k in manual)
    progress = progress_for(kpis)
    assert {progress[k.pk].rag for k in manual} == {"amber"}


def test_demo_needs_the_demo_admin(db):
    assert objectives_demo.seed() == {}
    assert not Objective.objects.exists()
