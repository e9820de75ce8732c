import datetime

import factory
from django.utils import timezone

from workshops.models import Concept, Workshop


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    title = factory.Sequence(lambda n: f"Workshop Integration {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    place = "Kreishaus Siegburg"


class ConceptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concept

    title = factory.Sequence(lambda n: f"Konzept {n}")
    summary = "Sprachförderung für Erwachsene im Kreisgebiet."
