from django.db import migrations


def seed(apps, schema_editor):
    from roundtable.privacy.legal_texts import DEFAULTS

    LegalPage = apps.get_model("privacy", "LegalPage")
    for kind, (title, body) in DEFAULTS.items():
        LegalPage.objects.get_or_create(kind=kind, defaults={"title": title, "body": body})


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
