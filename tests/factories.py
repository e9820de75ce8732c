import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from ideas.models import Idea, TargetGroup, Topic
from participants.models import (
    Body,
    Department,
    DepartmentParticipation,
    Municipality,
    Organisation,
    Profile,
    Role,
)
from roundtable.committees.models import AgendaItem, Committee, Meeting
from roundtable.timeline.models import Phase

TEST_PASSWORD = "Ideenwerkstatt-2004!"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["name"]

    number = factory.Sequence(lambda n: f"{10 + n}")
    name = factory.Sequence(lambda n: f"Amt {n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Verein für Integration {n} e. V.")
    kind = Organisation.Kind.WELFARE


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Gemeinde {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    kind = Municipality.Kind.MUNICIPALITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Erika"
    last_name = factory.Sequence(lambda n: f"Müller{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if not create:
            return
        # role="" makes an account without a profile (no role in the round table)
        role = Role.STAFF if extracted is None else extracted
        if role:
            Profile.objects.update_or_create(
                user=self,
                defaults={"role": role, "department": kwargs.get("department")},
            )
        if role == Role.ADMIN:
            self.is_staff = True
            self.is_superuser = True
        self.save()


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"phase-{n}")
    name = factory.Sequence(lambda n: f"Phase {n}")
    start = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    end = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


#: The capabilities gated by phases (roundtable.timeline.gates), all open.
GATED_OPEN = {
    "allows_workshop_work": True,
    "allows_committee_work": True,
    "allows_implementation": True,
}


def phase_open_today(*, key: str = "laufend", name: str = "Laufende Phase", **capabilities):
    """A phase from a week ago to a month ahead that opens ``capabilities`` (by default
    the workshop work, the committee work and the implementation)."""
    return PhaseFactory(key=key, name=name, **(capabilities or GATED_OPEN))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Handlungsfeld {n}")
    slug = factory.Sequence(lambda n: f"handlungsfeld-{n}")


class TargetGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetGroup
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Zielgruppe {n}")
    slug = factory.Sequence(lambda n: f"zielgruppe-{n}")


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    title = factory.Sequence(lambda n: f"Sprachkurs für Eltern Nr. {n}")
    description = "Ein Deutschkurs am Vormittag, während die Kinder in der Schule sind."
    topic = factory.SubFactory(TopicFactory)
    department = factory.SubFactory(DepartmentFactory)
    author = factory.SubFactory(UserFactory)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body
        django_get_or_create = ["name"]

    name = "Rhein-Sieg-Kreis"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee
        django_get_or_create = ["name"]

    body = factory.SubFactory(BodyFactory)
    name = factory.Sequence(lambda n: f"Ausschuss {n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    committee = factory.SubFactory(CommitteeFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    title = "Runder Tisch zur Integration von Ausländern und Aussiedlern"


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DepartmentParticipation
        django_get_or_create = ["department"]

    department = factory.SubFactory(DepartmentFactory)
