"""Check a lot's trace record against the signed checkpoint log: `manage.py verify_trace
--url <digital link> [--key-id HEX | --public-key KEY]`.

A door onto traceability/verifier.py (the standalone script, no Django): the same checks
from the public answers alone, the same exit status (0 intact, 1 tampered, 2 cannot check).
"""

import sys

from django.core.management.base import BaseCommand

from traceability import verifier


class Command(BaseCommand):
    help = "Check a lot's trace record against the shop's signed checkpoint log."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--url", required=True, help="the lot's GS1 Digital Link")
        parser.add_argument("--key-id", default="", help="trust only this key id")
        parser.add_argument("--public-key", default="", help="trust only this public key")

    def handle(self, *args, url, key_id, public_key, **options):
        argv = [url]
        if key_id:
            argv += ["--key-id", key_id]
        if public_key:
            argv += ["--public-key", public_key]
        code = verifier.main(argv, out=self.stdout)
        if code:
            sys.exit(code)
