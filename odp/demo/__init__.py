"""Demo data for the embedded profile: real departments, invented people, one sign-in per role.

``data`` says what exists, ``plan`` works out every member deterministically, ``seed`` writes it.
Run it with ``python manage.py seed_demo``; the sign-ins are listed in docs/demo-accounts.md."""

from odp.demo.data import DEMO_ACCOUNTS, DEMO_PASSWORD, ORGANISATIONS
from odp.demo.plan import build_people
from odp.demo.seed import DemoRefused, SeedResult, seed

__all__ = [
    "DEMO_ACCOUNTS",
    "DEMO_PASSWORD",
    "ORGANISATIONS",
    "DemoRefused",
    "SeedResult",
    "build_people",
    "seed",
]
