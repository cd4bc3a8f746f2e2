"""The 34 provinces and centrally-run cities after the 2025 merger, from vietnam-provinces."""

from django.db import migrations


def load(apps, schema_editor):
    from vietnam_provinces import Province as Division

    Province = apps.get_model("traceability", "Province")
    for division in Division.iter_all():
        Province.objects.update_or_create(
            code=int(division.code),
            defaults={"name": division.name, "codename": division.codename.replace("_", "-")},
        )


class Migration(migrations.Migration):
    dependencies = [("traceability", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
