"""A recall's reason in English and Vietnamese (traceability/translation.py).

Recalls written before had one reason in whatever language its writer used: it is copied
into that language's column (Vietnamese when it carries Vietnamese letters, else English),
and the reader of the other language falls back to it until someone adds a translation.
"""

from django.db import migrations, models

# Letters only Vietnamese uses among the shop's languages (with their tone marks folded in
# by the check below); plain ASCII text is taken as English.
VIETNAMESE = set("ăâđêôơưĂÂĐÊÔƠƯ")
TONED = set("àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ")


def _language(text: str) -> str:
    letters = set(text.lower()) | set(text)
    return "vi" if letters & (VIETNAMESE | TONED) else "en"


def copy_reasons(apps, schema_editor):
    Recall = apps.get_model("traceability", "Recall")
    for recall in Recall.objects.filter(reason_en__isnull=True, reason_vi__isnull=True).only(
        "pk", "reason"
    ):
        column = f"reason_{_language(recall.reason)}"
        Recall.objects.filter(pk=recall.pk).update(**{column: recall.reason})


class Migration(migrations.Migration):
    dependencies = [
        ("traceability", "0008_checkpoints_glns_open_reports"),
    ]

    operations = [
        migrations.AddField(
            model_name="recall",
            name="reason_en",
            field=models.TextField(max_length=1000, null=True, verbose_name="reason"),
        ),
        migrations.AddField(
            model_name="recall",
            name="reason_vi",
            field=models.TextField(max_length=1000, null=True, verbose_name="reason"),
        ),
        migrations.RunPython(copy_reasons, migrations.RunPython.noop),
    ]
