"""Authors follow their own ideas (roundtable.notifications): also the ideas submitted
before there were follows."""

from django.db import migrations


def authors_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Follow = apps.get_model("notifications", "Follow")
    Idea = apps.get_model("ideas", "Idea")
    content_type, _created = ContentType.objects.get_or_create(app_label="ideas", model="idea")
    Follow.objects.bulk_create(
        (
            Follow(user_id=author_id, target_type=content_type, target_id=str(pk))
            for pk, author_id in Idea.objects.exclude(author=None).values_list("pk", "author_id")
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("ideas", "0003_list_order_index"),
        ("notifications", "0001_initial"),
    ]

    operations = [migrations.RunPython(authors_follow, migrations.RunPython.noop)]
