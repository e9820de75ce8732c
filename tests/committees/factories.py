import datetime

import factory

from roundtable.committees.models import Paper, PaperConcept
from tests.factories import AgendaItemFactory, DepartmentFactory
from workshops.models import Concept, ConceptIdea, ConceptMeasure


class CommitteeConceptFactory(factory.django.DjangoModelFactory):
    """A concept ready for a committee paper (coordinated)."""

    class Meta:
        model = Concept

    title = factory.Sequence(lambda n: f"Sprachförderung für Mütter Nr. {n}")
    summary = "Deutschkurse am Vormittag an Grundschulen im Kreisgebiet."
    goals = "Mütter mit Zuwanderungsgeschichte erreichen Grundkenntnisse der Sprache."
    status = Concept.Status.COORDINATED


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Paper

    agenda_item = factory.SubFactory(AgendaItemFactory, subtitle="Weiteres Vorgehen")
    department = factory.SubFactory(
        DepartmentFactory, number="50.3", name="Besondere soziale Aufgaben"
    )
    date = datetime.date(2004, 9, 9)
    resolution_proposal = (
        "Der Ausschuss nimmt den Verwaltungsvorschlag zum weiteren Vorgehen zustimmend "
        "zur Kenntnis."
    )
    preliminary_remarks = "Am 03.03.2004 wurde der Tag der Integration erstmalig durchgeführt."


def paper_with_concepts(
    *, concepts: int = 2, ideas_per_concept: int = 2, submitted: bool = False, **paper_kwargs
):
    """A paper presenting ``concepts`` submitted concepts, each taking up some ideas;
    ``submitted``: and the paper submitted (version 1, its final PDF queued)."""
    from tests.factories import IdeaFactory

    paper = PaperFactory(**paper_kwargs)
    for position in range(concepts):
        concept = CommitteeConceptFactory(
            title=f"Konzept „Begegnung und Sprache“ Nr. {position + 1} – Größe",
            status=Concept.Status.SUBMITTED,
            position=position,
        )
        ConceptMeasure.objects.create(
            concept=concept, text="Kurse an fünf Grundschulen einrichten", position=0
        )
        for number in range(ideas_per_concept):
            idea = IdeaFactory(title=f"Übersetzungshilfe für Ämter {position}-{number}")
            ConceptIdea.objects.create(concept=concept, idea=idea, position=number)
        PaperConcept.objects.create(paper=paper, concept=concept, position=position)
    if submitted:
        from roundtable.committees.services import paper_submit

        paper_submit(paper=paper, by=paper.created_by, check=False)
    return paper
