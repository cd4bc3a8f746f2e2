import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("shop", "0008_fulfilment"),
        ("traceability", "0005_recall_actions_corrections"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="BatchCorrection",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "field",
                    models.CharField(
                        choices=[
                            ("lot_code", "lot code"),
                            ("harvest_date", "harvest date"),
                            ("packing_date", "packing date"),
                            ("best_before", "best before"),
                            ("village", "village of origin"),
                        ],
                        max_length=20,
                        verbose_name="field",
                    ),
                ),
                ("before", models.CharField(max_length=200, verbose_name="before")),
                ("after", models.CharField(max_length=200, verbose_name="after")),
                ("reason", models.TextField(max_length=500, verbose_name="reason")),
                (
                    "created_at",
                    models.DateTimeField(
                        default=django.utils.timezone.now,
                        editable=False,
                        verbose_name="corrected at",
                    ),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="corrected by",
                    ),
                ),
                (
                    "batch",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="corrections",
                        to="shop.batch",
                        verbose_name="batch",
                    ),
                ),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="correction",
                        to="traceability.traceevent",
                        verbose_name="event",
                    ),
                ),
            ],
            options={
                "verbose_name": "batch correction",
                "verbose_name_plural": "batch corrections",
                "ordering": ["-created_at", "-pk"],
                "indexes": [
                    models.Index(fields=["field", "before"], name="batch_correction_before")
                ],
            },
        ),
    ]
