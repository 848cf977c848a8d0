"""``python manage.py seed_demo``: load the demo organisations, members and one sign-in per role."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from innovation import demo as innovation_demo
from odp import demo
from odp.models import Organisation, Role
from reporting import demo as reporting_demo
from skills import demo as skills_demo
from srrt import demo as srrt_demo


class Command(BaseCommand):
    help = (
        "Load demo data: real UK departments and agencies, a few hundred invented members, and one sign-in "
        "per role with a shared demo password. Idempotent. Embedded/dev profile only."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ODP_EMBEDDED:
            raise CommandError(
                "seed_demo refuses to run: this is not the embedded/dev profile (settings.ODP_EMBEDDED is "
                "False). Demo sign-ins share a published password and must never exist in a production-like "
                "database. Use real accounts (single sign-on) here, or run with DJANGO_SETTINGS_MODULE="
                "odp.settings.dev on a throwaway database."
            )
        started = time.perf_counter()
        result = demo.seed()
        skills_result = skills_demo.seed()
        innovation_result = innovation_demo.seed()
        srrt_result = srrt_demo.seed()
        reporting_result = reporting_demo.seed()
        changed = (result, skills_result, innovation_result, srrt_result, reporting_result)
        if any(r.changed for r in changed) and connection.vendor == "postgresql":
            # Fresh statistics for the query planner: on a just-seeded PostgreSQL database, before autovacuum has
            # analysed it, a line manager's pending confirmations were planned as a nested loop that took a minute.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.perf_counter() - started

        if any(r.changed for r in changed):
            created = ", ".join(f"{n} {what}" for what, n in result.created.items() if n) or "nothing"
            updated = ", ".join(f"{n} {what}" for what, n in result.updated.items() if n) or "nothing"
            self.stdout.write(self.style.SUCCESS(f"Demo data seeded in {elapsed:.2f}s."))
            self.stdout.write(f"  Created: {created}. Updated: {updated}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Demo data already up to date (checked in {elapsed:.2f}s)."))
        if skills_result.changed:
            made = ", ".join(f"{n} {what}" for what, n in skills_result.created.items() if n)
            self.stdout.write(f"  Skills: created {made}.")
        if innovation_result.changed:
            made = ", ".join(f"{n} {what}" for what, n in innovation_result.created.items() if n)
            self.stdout.write(f"  Ideas: created {made}.")
        if srrt_result.changed:
            made = ", ".join(f"{n} {what}" for what, n in srrt_result.created.items() if n)
            self.stdout.write(f"  SRRT: created {made}.")
        if reporting_result.changed:
            made = ", ".join(f"{n} {what}" for what, n in reporting_result.created.items() if n)
            self.stdout.write(f"  Reporting: created {made}.")
        counts = result.counts_after
        self.stdout.write(
            f"  {counts['organisations']} organisations, {counts['members']} members, "
            f"{counts['role_assignments']} role assignments."
        )
        self._print_accounts()

    def _print_accounts(self) -> None:
        names = dict(Organisation.objects.values_list("slug", "name"))
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Demo sign-ins (embedded profile only)"))
        width = max(len(a.username) for a in demo.DEMO_ACCOUNTS)
        for account in demo.DEMO_ACCOUNTS:
            roles = ", ".join(Role(role).label + (f" ({names[org]})" if org else "") for role, org in account.roles)
            what = roles or ("Line manager" if account.username == "manager" else "Staff member")
            self.stdout.write(f"  {account.username.ljust(width)}  {what}; {names[account.organisation]}")
        self.stdout.write(f"\n  Password for every demo sign-in: {demo.DEMO_PASSWORD}")
        self.stdout.write("  See docs/demo-accounts.md for what to try with each one.")
