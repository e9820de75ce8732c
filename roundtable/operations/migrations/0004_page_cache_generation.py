import secrets

from django.db import migrations, models

SEQUENCE = "operations_pagecache_seq"


def start(apps, schema_editor):
    """The main generation's row (SQLite) or sequence (PostgreSQL), started at a random
    value so that no page of an earlier database is taken for a current one."""
    value = secrets.randbits(40)
    apps.get_model("operations", "PageCacheGeneration").objects.create(name="", value=value)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} START {value}")


def stop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("operations", "0003_outbox")]

    operations = [
        migrations.CreateModel(
            name="PageCacheGeneration",
            fields=[
                ("name", models.CharField(max_length=100, primary_key=True, serialize=False)),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(start, stop),
    ]
