"""benchmarks/ideas.py: it never touches a database holding real people, and on PostgreSQL it generates
synthetic ideas the selectors can search (the full-scale run itself is `make bench`, not a timed test)."""

from __future__ import annotations

import pytest
from django.db import connection

from benchmarks import ideas as bench
from benchmarks import scale
from innovation import selectors
from innovation.models import Idea, IdeaStatus


def test_generation_refuses_a_database_with_real_members(staff_member):
    with pytest.raises(scale.NotSynthetic):
        bench.generate(10)
    assert not Idea.objects.exists()


def test_generation_on_postgresql_only_and_searchable(db, monkeypatch):
    if connection.vendor != "postgresql":
        monkeypatch.setattr("sys.argv", ["benchmarks.ideas", "--ideas", "10"])
        with pytest.raises(SystemExit, match="needs PostgreSQL"):
            bench.main()
        assert not Idea.objects.exists()
        return
    bench._own_members(60, seed=1)
    bench.generate(400)
    assert bench.synthetic_idea_count() == 400
    submitted = Idea.objects.exclude(status=IdeaStatus.DRAFT)
    assert not submitted.filter(reference__isnull=True).exists()
    assert not Idea.objects.filter(search_document__isnull=True).exists()
    assert not Idea.objects.filter(status=IdeaStatus.MERGED, merged_into__isnull=True).exists()
    results = bench.measure(runs=3)
    assert {r.name for r in results} >= {
        "Similar ideas while writing, staff member",
        "Review queue, ODP admin (every organisation)",
    }
    admin = bench.RoleAssignment.objects.filter(role="odp_admin").first().member
    assert selectors.browse(admin, selectors.IdeaFilters(q="passport")).exists()
