"""`manage.py load_demo`: the door to shop.demo.loader."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from shop.demo import loader


class Command(BaseCommand):
    help = (
        "Load the demo shop: cooperatives, products, batches, pictures, an admin and a "
        "cooperative staff login. Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set the two demo logins back to their demo passwords.",
        )

    def handle(self, *args, reset_passwords: bool = False, **options):
        try:
            summary = loader.load_demo(reset_passwords=reset_passwords)
        except loader.DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Demo data: {summary.cooperatives} cooperatives in {summary.provinces} provinces, "
            f"{summary.products} products and {summary.gift_sets} gift sets, "
            f"{summary.variants} variants, {summary.batches} batches "
            f"({summary.batches_received} received now)."
        )
        admin_url = settings.SITE_URL + reverse("admin:index")
        self.stdout.write(f"Sign in at {admin_url}")
        for login in summary.logins:
            where = f" ({login.cooperative})" if login.cooperative else ""
            line = f"  {login.role} login{where}: {login.email} / {login.password}"
            if not login.password_is_demo:
                line += "  [password changed since; `load_demo --reset-passwords` resets it]"
            self.stdout.write(line)
