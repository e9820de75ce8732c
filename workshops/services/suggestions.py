"""Group suggestions: the clustering run in the worker, accepted or dismissed by moderation."""

import time

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas.models import Idea
from roundtable.operations import outbox
from roundtable.timeline.gates import WORKSHOP_WORK, phase_require

from ..models import (
    Concept,
    GroupSuggestion,
    SuggestionRun,
    Workshop,
)
from .concepts import concept_create

# --- suggestions ------------------------------------------------------------------


@transaction.atomic
def suggestion_run_request(*, workshop: Workshop | None, by: AbstractBaseUser) -> SuggestionRun:
    from ..tasks import suggestion_run_task

    phase_require(WORKSHOP_WORK)
    run = SuggestionRun.objects.create(workshop=workshop, requested_by=by)
    outbox.enqueue(suggestion_run_task, kwargs={"run_id": run.pk})
    return run


def suggestion_candidates(*, workshop: Workshop | None):
    ideas = Idea.objects.filter(concept_link__isnull=True).exclude(status=Idea.Status.REJECTED)
    if workshop is not None:
        ideas = ideas.filter(workshops=workshop)
    return ideas.order_by("id")


def suggestion_run_execute(*, run_id: int) -> SuggestionRun | None:
    """Computes the suggestions of ``run``; running it again replaces its open ones."""
    from ..suggestions import cluster_ideas, idea_text

    with transaction.atomic():
        run = SuggestionRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status == SuggestionRun.Status.DONE:
            return run
        run.status = SuggestionRun.Status.RUNNING
        run.save(update_fields=["status"])
    started = time.perf_counter()
    try:
        ideas = list(
            suggestion_candidates(workshop=run.workshop).values_list("pk", "title", "description")
        )
        clusters = cluster_ideas([(pk, idea_text(title, text)) for pk, title, text in ideas])
    except Exception as error:
        run.status = SuggestionRun.Status.FAILED
        run.error = str(error)[:2000]
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    with transaction.atomic():
        run.suggestions.all().delete()
        through = GroupSuggestion.ideas.through
        links = []
        for cluster in clusters:
            suggestion = GroupSuggestion.objects.create(
                run=run, terms=cluster.terms, score=round(cluster.score, 4)
            )
            links += [
                through(groupsuggestion_id=suggestion.pk, idea_id=i) for i in cluster.idea_ids
            ]
        through.objects.bulk_create(links)
        run.idea_count = len(ideas)
        run.seconds = round(time.perf_counter() - started, 3)
        run.status = SuggestionRun.Status.DONE
        run.finished_at = timezone.now()
        run.save()
    return run


@transaction.atomic
def suggestion_accept(
    *, suggestion: GroupSuggestion, by: AbstractBaseUser, title: str = ""
) -> Concept:
    """Turns a suggestion into a new draft concept with its (still ungrouped) ideas."""
    phase_require(WORKSHOP_WORK)
    suggestion = (
        GroupSuggestion.objects.select_for_update(of=("self",))
        .select_related("run")
        .get(pk=suggestion.pk)
    )
    if suggestion.status != GroupSuggestion.Status.OPEN:
        raise ValidationError(_("Dieser Vorschlag wurde bereits bearbeitet."))
    ideas = list(suggestion.ideas.filter(concept_link__isnull=True).order_by("id"))
    if not ideas:
        raise ValidationError(
            _("Alle Ideen dieses Vorschlags sind inzwischen einem Konzept zugeordnet.")
        )
    concept = concept_create(
        title=title or _("Konzept: %(terms)s") % {"terms": ", ".join(suggestion.terms[:3])},
        workshop=suggestion.run.workshop,
        ideas=ideas,
        by=by,
    )
    suggestion.status = GroupSuggestion.Status.ACCEPTED
    suggestion.concept = concept
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.save()
    return concept


@transaction.atomic
def suggestion_dismiss(*, suggestion: GroupSuggestion, by: AbstractBaseUser) -> GroupSuggestion:
    phase_require(WORKSHOP_WORK)
    suggestion = GroupSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == GroupSuggestion.Status.OPEN:
        suggestion.status = GroupSuggestion.Status.DISMISSED
        suggestion.decided_by = by
        suggestion.decided_at = timezone.now()
        suggestion.save()
    return suggestion
