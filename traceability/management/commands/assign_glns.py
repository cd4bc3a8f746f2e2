"""Number every village that has no GLN yet under the shop's GS1 company prefix.

Run once after setting GS1_COMPANY_PREFIX on a shop that has villages already; villages
added in the admin (and by the demo loader) are numbered as they are saved.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from traceability import locations


class Command(BaseCommand):
    help = "Give every village without a GLN one under GS1_COMPANY_PREFIX (idempotent)."

    def handle(self, *args, **options):
        try:
            count = locations.ensure_glns()
        except locations.LocationError as exc:
            raise CommandError(str(exc)) from None
        prefix = settings.GS1_COMPANY_PREFIX
        self.stdout.write(f"Numbered {count} villages under company prefix {prefix}.")
