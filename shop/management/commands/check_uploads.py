"""`manage.py check_uploads [--fix]`: find stored media files that are not clean pictures.

Uploads are re-encoded since shop.uploads; files stored before (or put in the media folder
by hand) are checked here with shop.media.stored_problem. With --fix, a product's or
cooperative's picture that still decodes is re-encoded under a new name and the rows point
at it; anything else is deleted and the rows' photo cleared. A trace event's photo is part
of its hash-chained record, so its row is never changed: a bad file is only deleted.
"""

import functools

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction

from shop import media, uploads
from shop.models import Cooperative, Product
from traceability.models import TraceEvent

EDITABLE = (Product, Cooperative)
# Pictures stored before uploads were re-encoded could be up to 8 MB; they are re-encoded,
# not thrown away.
STORED_MAX_BYTES = 16 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "List media files that are not clean JPEG, PNG or WebP pictures (or plain SVG "
        "drawings); with --fix, re-encode or delete them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Re-encode or delete them.")

    def handle(self, *args, fix: bool, **options):
        found = 0
        for name in list(media.media_names(default_storage)):
            with default_storage.open(name, "rb") as stored:
                data = stored.read(STORED_MAX_BYTES + 1)
            problem = media.stored_problem(name=name, data=data)
            if problem is None:
                continue
            found += 1
            outcome = self._fix(name, data) if fix else ""
            self.stdout.write(f"{name}: {problem}{outcome}")
        verdict = "fixed" if fix else "found"
        self.stdout.write(f"{found} file(s) that are not clean pictures {verdict}.")

    def _fix(self, name: str, data: bytes) -> str:
        try:
            clean = uploads.reencode_image(ContentFile(data, name=name), max_bytes=STORED_MAX_BYTES)
        except ValidationError:
            clean = None
        if clean is not None and TraceEvent.objects.filter(photo=name).exists():
            # The event's record names this file and its hash: a picture stays as it is.
            return " -> kept (a trace event's photo)"
        with transaction.atomic():
            if clean is not None:
                folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
                new_name = default_storage.save(f"{folder}{clean.name}", clean)
                for model in EDITABLE:
                    model.objects.filter(photo=name).update(photo=new_name)
                outcome = f" -> re-encoded as {new_name}"
            else:
                for model in EDITABLE:
                    model.objects.filter(photo=name).update(photo="")
                outcome = " -> deleted"
            transaction.on_commit(functools.partial(default_storage.delete, name))
        return outcome
