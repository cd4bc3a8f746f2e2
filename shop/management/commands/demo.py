"""`manage.py demo [ADDRESS]`: migrate, load the demo data, print the logins and serve the
shop at ADDRESS (default 127.0.0.1:8000), the address its links then carry."""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.runserver import naiveip_re

ADDRESS = "127.0.0.1:8000"
# Addresses that mean "every interface": no one origin to put in links.
WILDCARDS = {"0", "0.0.0.0", "::"}


def origin_for(address: str) -> tuple[str, str, bool]:
    """(runserver's address, the origin a browser opens, whether it listens on every
    interface) for `[host:]port` as runserver takes it. Raises CommandError."""
    match = naiveip_re.match(address)
    if match is None:
        raise CommandError(f"{address!r} is not an address and port, such as {ADDRESS}.")
    host, _ipv4, ipv6, _fqdn, port = match.groups()
    host = host or "127.0.0.1"
    wildcard = host in WILDCARDS
    shown = "localhost" if wildcard else (f"[{host}]" if ipv6 else host)
    served = f"[{host}]:{port}" if ipv6 else f"{host}:{port}"
    return served, f"http://{shown}:{port}", wildcard


class Command(BaseCommand):
    help = (
        f"Set up the embedded shop with demo data and run it at ADDRESS (default {ADDRESS}): "
        "migrate, load_demo, print the logins, runserver. Unless SITE_URL is set, links in QR "
        "codes, emails and Digital Links carry that address (on 0.0.0.0, each request's own)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "addrport", nargs="?", default=ADDRESS, help=f"[host:]port to serve at ({ADDRESS})."
        )
        parser.add_argument("--addr", dest="addr", help="The same as ADDRESS, as an option.")
        parser.add_argument(
            "--no-serve", action="store_true", help="Set up and print the logins, but do not serve."
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Set the two demo logins back to their demo passwords.",
        )

    def handle(self, *args, no_serve: bool = False, reset_passwords: bool = False, **options):
        served, origin, wildcard = origin_for(options.get("addr") or options["addrport"])
        # runserver's autoreloader starts this command again in a child process (RUN_MAIN);
        # the parent has already set everything up, so the child only serves.
        if os.environ.get("RUN_MAIN") != "true":
            self._use_origin(origin, wildcard)
            verbosity = options.get("verbosity", 1)
            self.stdout.write("Migrating the database…")
            call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))
            call_command(
                "load_demo", reset_passwords=reset_passwords, stdout=self.stdout, stderr=self.stderr
            )
            self.stdout.write(self.style.SUCCESS(f"The shop: {origin}"))
        if not no_serve:
            call_command("runserver", served)

    def _use_origin(self, origin: str, wildcard: bool) -> None:
        """Links carry the served address: SITE_URL in the environment for runserver's child
        process (settings read it at start), and in this process's settings for what it
        prints. An explicit SITE_URL wins. On every interface, links follow each request's
        address and only work outside a request (emails) uses localhost."""
        if os.environ.get("SITE_URL"):
            return
        if wildcard:
            os.environ["SITE_URL_FALLBACK"] = origin
        else:
            os.environ["SITE_URL"] = origin
            settings.SITE_URL_FROM_REQUEST = False
        settings.SITE_URL = origin
