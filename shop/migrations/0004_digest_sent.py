import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("shop", "0003_refunds_webhook_events"),
    ]

    operations = [
        migrations.CreateModel(
            name="DigestSent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(verbose_name="day")),
                ("recipients", models.PositiveSmallIntegerField(default=0, verbose_name="recipients")),
                ("sent_at", models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="sent at")),
                ("cooperative", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="shop.cooperative", verbose_name="cooperative")),
            ],
            options={
                "verbose_name": "digest sent",
                "verbose_name_plural": "digests sent",
                "ordering": ["-day", "cooperative"],
                "constraints": [models.UniqueConstraint(fields=("cooperative", "day"), name="digest_once_a_day")],
            },
        ),
    ]
