from django.core.management.base import BaseCommand, CommandParser

from odp.models import OutboxMessage, OutboxStatus
from odp.outbox import relay_pending


class Command(BaseCommand):
    help = "Publish (or, with no broker, run) every pending background job; --retry-failed requeues failed ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--retry-failed", action="store_true", help="Mark failed jobs pending again first.")

    def handle(self, *args, retry_failed: bool = False, **options) -> None:
        if retry_failed:
            count = OutboxMessage.objects.filter(status=OutboxStatus.FAILED).update(status=OutboxStatus.PENDING)
            self.stdout.write(f"Requeued {count} failed job(s).")
        relayed = relay_pending()
        pending = OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count()
        self.stdout.write(f"Relayed {relayed} job(s); {pending} still pending.")
