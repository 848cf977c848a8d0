from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks import scale


class Command(BaseCommand):
    help = "Create a synthetic profession at full scale on PostgreSQL (refuses a database with real members)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--members", type=int, default=290_000)
        parser.add_argument("--seed", type=int, default=20261129)

    def handle(self, *args, members: int, seed: int, **options) -> None:
        if members < 1:
            raise CommandError("--members must be at least 1.")
        if scale.synthetic_member_count():
            raise CommandError("This database already holds synthetic data; `make bench` reuses it as it is.")
        try:
            report = scale.generate(members, seed=seed)
        except (scale.NotSynthetic, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Generated {report.members:,} members, {report.assessments:,} assessments and "
            f"{report.current_levels:,} current levels in {report.seconds:.1f}s."
        )
