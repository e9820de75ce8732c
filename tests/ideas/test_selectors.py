import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ideas import selectors, services
from ideas.filters import IdeaFilter
from ideas.models import Comment, Idea
from tests.factories import IdeaFactory, MunicipalityFactory, TargetGroupFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_list_rows_need_no_further_queries(make_ideas, staff_user, django_assert_num_queries):
    make_ideas(30)
    services.idea_support_toggle(idea=Idea.objects.first(), user=staff_user)
    ideas = selectors.idea_list(user=staff_user)
    # ideas + target groups + municipalities
    with django_assert_num_queries(3):
        rows = [
            (
                idea.title,
                idea.topic.name,
                str(idea.submitted_for),
                idea.author.username,
                [g.name for g in idea.target_groups.all()],
                [m.name for m in idea.municipalities.all()],
                idea.supported_by_me,
            )
            for idea in ideas
        ]
    assert len(rows) == 30
    assert sum(1 for row in rows if row[-1]) == 1


def test_sorting(staff_user):
    quiet = IdeaFactory(title="Still")
    loud = IdeaFactory(title="Laut")
    Idea.objects.filter(pk=quiet.pk).update(support_count=5, comment_count=0)
    Idea.objects.filter(pk=loud.pk).update(support_count=1, comment_count=9)
    assert [i.title for i in selectors.idea_list(sort="supported")] == ["Still", "Laut"]
    assert [i.title for i in selectors.idea_list(sort="discussed")] == ["Laut", "Still"]
    assert [i.title for i in selectors.idea_list(sort="newest")] == ["Laut", "Still"]
    assert [i.title for i in selectors.idea_list(sort="oldest")] == ["Still", "Laut"]
    assert [i.title for i in selectors.idea_list(sort="unbekannt")] == ["Laut", "Still"]


def test_filters(staff_user):
    language = TopicFactory(name="Sprache", slug="sprache")
    health = TopicFactory(name="Gesundheit", slug="gesundheit")
    women = TargetGroupFactory(name="Frauen", slug="frauen")
    troisdorf = MunicipalityFactory(name="Troisdorf", slug="troisdorf")
    a = IdeaFactory(title="Sprachkurs", topic=language)
    a.target_groups.add(women)
    a.municipalities.add(troisdorf)
    b = IdeaFactory(title="Vorsorge", topic=health, status=Idea.Status.ACCEPTED)

    def titles(**params):
        return sorted(i.title for i in IdeaFilter(params, user=staff_user).qs)

    assert titles(topic=language.pk) == ["Sprachkurs"]
    assert titles(status="accepted") == ["Vorsorge"]
    assert titles(target_group=women.pk) == ["Sprachkurs"]
    assert titles(municipality=troisdorf.pk) == ["Sprachkurs"]
    assert titles(department=b.department_id) == ["Vorsorge"]
    assert titles(q="vorsorge") == ["Vorsorge"]
    # an invalid value (an old bookmark) is ignored rather than failing
    assert titles(topic="999999", status="erfunden") == ["Sprachkurs", "Vorsorge"]


def test_detail_prefetches_everything(staff_user, moderator, django_assert_max_num_queries):
    idea = IdeaFactory()
    first = services.comment_create(idea=idea, author=staff_user, text="Eins")
    for n in range(3):
        services.comment_create(idea=idea, author=moderator, text=f"Antwort {n}", parent=first)
    services.comment_create(idea=idea, author=staff_user, text="Zwei")
    services.idea_status_change(idea=idea, by=moderator, to_status="in_review")
    with CaptureQueriesContext(connection) as captured:
        loaded = selectors.idea_detail(pk=idea.pk, user=staff_user)
        threads = [
            (c.text, [r.text for r in c.replies.all()], c.author.username) for c in loaded.threads
        ]
        history = [(h.to_status, h.changed_by.username) for h in loaded.status_history]
        attachments = list(loaded.attachment_list)
    assert len(captured) <= 8
    assert threads[0][1] == ["Antwort 0", "Antwort 1", "Antwort 2"]
    assert [t[0] for t in threads] == ["Eins", "Zwei"]
    assert history == [("in_review", "moderation")]
    assert attachments == []


def test_moderation_queue_puts_new_ideas_first():
    accepted = IdeaFactory(title="Alt angenommen", status=Idea.Status.ACCEPTED)
    review = IdeaFactory(title="In Prüfung", status=Idea.Status.IN_REVIEW)
    new = IdeaFactory(title="Neu")
    assert list(selectors.idea_moderation_queue()) == [new, review, accepted]


def test_similar_ideas_on_any_backend():
    IdeaFactory(title="Sprachkurs für Mütter in Troisdorf")
    IdeaFactory(title="Sportfest im Sommer", description="Ein Fest für alle Vereine.")
    found = selectors.idea_similar(title="Sprachkurs am Vormittag")
    assert [i.title for i in found] == ["Sprachkurs für Mütter in Troisdorf"]
    assert selectors.idea_similar(title="und für mit") == []


def test_export_rows_in_one_query(make_ideas, django_assert_num_queries):
    make_ideas(25)
    Comment.objects.all().delete()
    with django_assert_num_queries(1):
        rows = list(selectors.idea_export_rows(selectors.idea_base()))
    assert len(rows) == 25
    header = [name for name, _label in selectors.EXPORT_FIELDS]
    row = dict(zip(header, rows[0], strict=True))
    assert set(row["target_group_names"].split(", ")) == {"Gruppe 0", "Gruppe 1"}
    assert set(row["municipality_names"].split(", ")) == {"Ort 0", "Ort 1"}
    assert row["department_label"].startswith(Idea.objects.get(pk=row["id"]).department.number)


def test_similar_uses_german_stemming():  # on both backends (tests/ideas/test_search.py)
    IdeaFactory(title="Sprachkurs für Mütter")
    found = selectors.idea_similar(title="Sprachkurse")
    assert [i.title for i in found] == ["Sprachkurs für Mütter"]
