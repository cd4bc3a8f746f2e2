"""`manage.py demo`: migrate, load the demo data, print the logins and serve the shop."""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand

ADDRESS = "127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        f"Set up the embedded shop with demo data and run it at http://{ADDRESS} "
        "(migrate, load_demo, print the logins, runserver)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up and print the logins, but do not serve."
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set the two demo logins back to their demo passwords.",
        )

    def handle(self, *args, no_serve: bool = False, reset_passwords: bool = False, **options):
        # runserver's autoreloader starts this command again in a child process (RUN_MAIN);
        # the parent has already set everything up, so the child only serves.
        if os.environ.get("RUN_MAIN") != "true":
            verbosity = options.get("verbosity", 1)
            self.stdout.write("Migrating the database…")
            call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
            call_command(
                "load_demo", reset_passwords=reset_passwords, stdout=self.stdout, stderr=self.stderr
            )
            self.stdout.write(self.style.SUCCESS(f"The shop: http://{ADDRESS}"))
        if not no_serve:
            call_command("runserver", ADDRESS)
