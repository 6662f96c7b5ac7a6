"""The review checklist starts from alliance/rules/review.yaml; state admins keep it from then on."""

from django.db import migrations


def seed(apps, schema_editor):
    from alliance.review.checklist import checklist_rules

    ChecklistItem = apps.get_model("review", "ChecklistItem")
    for position, item in enumerate(checklist_rules().items, start=1):
        ChecklistItem.objects.get_or_create(
            code=item.code,
            defaults={
                "section": item.section,
                "text": item.text,
                "source": item.source,
                "position": position * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
