"""Writes of the workshops app: workshops, concepts, the grouping board, suggestions
and the sign-off by the responsible departments."""

import time
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from ideas import services as idea_services
from ideas.models import Idea
from participants.models import Department, DepartmentParticipation

from .models import (
    Concept,
    ConceptIdea,
    ConceptMeasure,
    ConceptSignoff,
    GroupSuggestion,
    IdeaBoardState,
    SignoffReminder,
    SuggestionRun,
    Workshop,
)


class StaleMove(Exception):
    """The board that asked for a move showed an older state of the idea."""

    def __init__(self, idea: Idea, message: str):
        super().__init__(message)
        self.idea = idea
        self.message = message


# --- ideas: status changes caused by grouping ----------------------------------------


def _idea_set_status(*, idea: Idea, status: str, by: AbstractBaseUser | None) -> None:
    """Changes an idea's status through the ideas app's own service, which keeps the
    step in the idea's history and tells the author.

    The ideas workflow lets only accepted ideas go into a concept, so an idea that
    is grouped straight from "eingereicht" or "in Prüfung" is accepted first (two
    recorded steps, one e-mail: "in Konzept übernommen"); taking it out of a concept
    makes it "angenommen" again.
    """
    idea.refresh_from_db(fields=["status"])
    if idea.status == status:
        return
    if status == Idea.Status.IN_CONCEPT and idea.status != Idea.Status.ACCEPTED:
        idea_services.idea_status_change(
            idea=idea, by=by, to_status=Idea.Status.ACCEPTED, check=False, notify=False
        )
    idea_services.idea_status_change(idea=idea, by=by, to_status=status, check=False)
    idea.refresh_from_db(fields=["status", "public_feedback", "modified"])


# --- workshops ----------------------------------------------------------------


def _set_workshop_relations(workshop: Workshop, relations: dict) -> None:
    for name in ("moderators", "participants", "attendees", "departments", "organisations"):
        if name in relations and relations[name] is not None:
            getattr(workshop, name).set(relations[name])
    if relations.get("ideas") is not None:
        workshop.ideas.set(relations["ideas"])


@transaction.atomic
def workshop_create(
    *,
    title: str,
    starts_at,
    by: AbstractBaseUser,
    ends_at=None,
    place: str = "",
    agenda: str = "",
    minutes: str = "",
    moderators: Iterable | None = None,
    participants: Iterable | None = None,
    attendees: Iterable | None = None,
    departments: Iterable | None = None,
    organisations: Iterable | None = None,
    ideas: Iterable | None = None,
    include_ungrouped_ideas: bool = False,
) -> Workshop:
    workshop = Workshop(
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        agenda=agenda,
        minutes=minutes,
    )
    workshop._history_user = by
    workshop.full_clean()
    workshop.save()
    _set_workshop_relations(
        workshop,
        {
            "moderators": moderators if moderators is not None else [by],
            "participants": participants,
            "attendees": attendees,
            "departments": departments,
            "organisations": organisations,
            "ideas": ideas,
        },
    )
    if include_ungrouped_ideas:
        workshop_add_ungrouped_ideas(workshop=workshop)
    return workshop


@transaction.atomic
def workshop_update(*, workshop: Workshop, by: AbstractBaseUser, **fields) -> Workshop:
    relations = {}
    include_ungrouped = fields.pop("include_ungrouped_ideas", False)
    for name in (
        "moderators",
        "participants",
        "attendees",
        "departments",
        "organisations",
        "ideas",
    ):
        if name in fields:
            relations[name] = fields.pop(name)
    for name, value in fields.items():
        if name not in {"title", "starts_at", "ends_at", "place", "agenda", "minutes"}:
            raise TypeError(f"workshop_update() got an unexpected field {name!r}")
        setattr(workshop, name, value)
    workshop._history_user = by
    workshop.full_clean()
    workshop.save()
    if relations.get("ideas") is not None:
        # ideas already grouped into this workshop's concepts stay treated in it
        grouped = Idea.objects.filter(concept_link__concept__workshop=workshop)
        relations["ideas"] = set(relations["ideas"]) | set(grouped)
    _set_workshop_relations(workshop, relations)
    if include_ungrouped:
        workshop_add_ungrouped_ideas(workshop=workshop)
    return workshop


def workshop_add_ungrouped_ideas(*, workshop: Workshop) -> int:
    """Treats every idea in the workshop that is neither grouped nor rejected."""
    ideas = list(
        Idea.objects.filter(concept_link__isnull=True)
        .exclude(status=Idea.Status.REJECTED)
        .values_list("pk", flat=True)
    )
    workshop.ideas.add(*ideas)
    return len(ideas)


# --- concepts -----------------------------------------------------------------

CONCEPT_FIELDS = {"title", "summary", "goals", "workshop"}
CONCEPT_RELATIONS = ("responsible_departments", "responsible_organisations", "municipalities")


def _set_measures(concept: Concept, measures: Sequence[str]) -> None:
    concept.measures.all().delete()
    ConceptMeasure.objects.bulk_create(
        ConceptMeasure(concept=concept, position=i, text=text.strip())
        for i, text in enumerate(m for m in measures if m and m.strip())
    )


@transaction.atomic
def concept_create(
    *,
    title: str,
    by: AbstractBaseUser,
    summary: str = "",
    goals: str = "",
    workshop: Workshop | None = None,
    measures: Sequence[str] = (),
    responsible_departments: Iterable = (),
    responsible_organisations: Iterable = (),
    municipalities: Iterable = (),
    ideas: Iterable[Idea] = (),
) -> Concept:
    position = (Concept.objects.aggregate(m=Max("position"))["m"] or 0) + 1
    concept = Concept(
        title=title,
        summary=summary,
        goals=goals,
        workshop=workshop,
        position=position,
        created_by=by,
    )
    concept._history_user = by
    concept.full_clean()
    concept.save()
    _set_measures(concept, measures)
    concept.responsible_departments.set(responsible_departments)
    concept.responsible_organisations.set(responsible_organisations)
    concept.municipalities.set(municipalities)
    ideas = list(ideas)
    if ideas:
        concept_add_ideas(concept=concept, ideas=ideas, by=by)
    return concept


@transaction.atomic
def concept_update(*, concept: Concept, by: AbstractBaseUser, **fields) -> Concept:
    measures = fields.pop("measures", None)
    relations = {name: fields.pop(name) for name in CONCEPT_RELATIONS if name in fields}
    for name, value in fields.items():
        if name not in CONCEPT_FIELDS:
            raise TypeError(f"concept_update() got an unexpected field {name!r}")
        setattr(concept, name, value)
    concept._history_user = by
    concept.full_clean()
    concept.save()
    if measures is not None:
        _set_measures(concept, measures)
    for name, value in relations.items():
        getattr(concept, name).set(value)
    return concept


def _lock_state(idea: Idea) -> IdeaBoardState:
    """The idea's board state, locked until the transaction ends (created if missing)."""
    IdeaBoardState.objects.get_or_create(idea=idea)
    return IdeaBoardState.objects.select_for_update().get(idea=idea)


def _check_open(concept: Concept) -> None:
    if not concept.is_open_for_grouping:
        raise ValidationError(
            _(
                "Das Konzept „%(title)s“ ist %(status)s; seine Ideen können nicht mehr "
                "geändert werden."
            )
            % {"title": concept.title, "status": concept.get_status_display()}
        )


def _place_in_concept(
    *, concept: Concept, idea: Idea, position: int | None, by: AbstractBaseUser | None
) -> None:
    """Puts ``idea`` at ``position`` (None: at the end) of the concept's ordered ideas."""
    links = [
        link for link in concept.idea_links.order_by("position", "id") if link.idea_id != idea.pk
    ]
    link = ConceptIdea.objects.filter(idea=idea).first()
    if link is None:
        link = ConceptIdea(idea=idea, added_by=by)
    link.concept = concept
    if position is None or position > len(links):
        position = len(links)
    links.insert(max(0, position), link)
    for index, item in enumerate(links):
        item.position = index
    link.save()
    ConceptIdea.objects.bulk_update([item for item in links if item.pk != link.pk], ["position"])
    if concept.workshop_id:
        concept.workshop.ideas.add(idea)
    _idea_set_status(idea=idea, status=Idea.Status.IN_CONCEPT, by=by)


def _remove_from_concept(*, idea: Idea, by: AbstractBaseUser | None) -> None:
    deleted, _counts = ConceptIdea.objects.filter(idea=idea).delete()
    if deleted:
        _idea_set_status(idea=idea, status=Idea.Status.ACCEPTED, by=by)


def _bump(state: IdeaBoardState, by: AbstractBaseUser | None) -> None:
    state.version += 1
    state.moved_by = by
    state.moved_at = timezone.now()
    state.save()


@transaction.atomic
def concept_add_ideas(
    *, concept: Concept, ideas: Iterable[Idea], by: AbstractBaseUser
) -> list[Idea]:
    """Takes ``ideas`` up into ``concept`` (at its end); an idea in another concept moves."""
    concept = (
        Concept.objects.select_for_update(of=("self",))
        .select_related("workshop")
        .get(pk=concept.pk)
    )
    _check_open(concept)
    added = []
    for idea in ideas:
        state = _lock_state(idea)
        current = ConceptIdea.objects.filter(idea=idea).select_related("concept").first()
        if current is not None and current.concept_id == concept.pk:
            continue
        if current is not None:
            _check_open(current.concept)
        _place_in_concept(concept=concept, idea=idea, position=None, by=by)
        _bump(state, by)
        added.append(idea)
    concept._history_user = by
    concept.save(update_fields=["modified"])
    return added


@transaction.atomic
def concept_remove_idea(*, concept: Concept, idea: Idea, by: AbstractBaseUser) -> None:
    """Takes ``idea`` out of ``concept``; it keeps everything else and is ungrouped again."""
    concept = Concept.objects.select_for_update().get(pk=concept.pk)
    _check_open(concept)
    state = _lock_state(idea)
    if not ConceptIdea.objects.filter(idea=idea, concept=concept).exists():
        return
    _remove_from_concept(idea=idea, by=by)
    _bump(state, by)
    concept._history_user = by
    concept.save(update_fields=["modified"])


@transaction.atomic
def idea_move(
    *,
    idea: Idea,
    concept: Concept | None,
    version: int,
    by: AbstractBaseUser,
    position: int | None = None,
    workshop: Workshop | None = None,
) -> IdeaBoardState:
    """Moves ``idea`` into ``concept`` at ``position`` (None: at the end), or back to the
    ungrouped ideas when ``concept`` is None.

    Optimistic locking: ``version`` is the idea's version the board showed. The idea's
    board state row is locked, so concurrent moves of the same idea run one after the
    other; the second finds a newer version and is refused with ``StaleMove``.
    """
    state = _lock_state(idea)
    if state.version != version:
        mover = state.moved_by
        raise StaleMove(
            idea,
            _(
                "„%(title)s“ wurde inzwischen von %(name)s verschoben. Die Tafel zeigt "
                "jetzt den aktuellen Stand; bitte prüfen Sie und verschieben Sie erneut."
            )
            % {
                "title": idea.title,
                "name": (mover.get_full_name() or mover.get_username())
                if mover
                else _("jemand anderem"),
            },
        )
    current = ConceptIdea.objects.filter(idea=idea).select_related("concept").first()
    if current is not None and (concept is None or current.concept_id != concept.pk):
        _check_open(current.concept)
    if concept is not None:
        concept = (
            Concept.objects.select_for_update(of=("self",))
            .select_related("workshop")
            .get(pk=concept.pk)
        )
        _check_open(concept)
        _place_in_concept(concept=concept, idea=idea, position=position, by=by)
        concept._history_user = by
        concept.save(update_fields=["modified"])
    elif current is not None:
        _remove_from_concept(idea=idea, by=by)
    if workshop is not None:
        workshop.ideas.add(idea)
    _bump(state, by)
    return state


# --- concept status ---------------------------------------------------------------

S = Concept.Status
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.IN_COORDINATION},
    S.IN_COORDINATION: {S.DRAFT, S.COORDINATED},
    S.COORDINATED: {S.IN_COORDINATION, S.SUBMITTED},
    S.SUBMITTED: {S.ADOPTED, S.REJECTED, S.COORDINATED},
    S.ADOPTED: {S.IN_IMPLEMENTATION},
    S.REJECTED: {S.DRAFT},
    S.IN_IMPLEMENTATION: {S.IMPLEMENTED},
    S.IMPLEMENTED: set(),
}


def concept_signoff_state(*, concept: Concept) -> dict:
    """Who of the responsible departments has signed off how, and who is missing."""
    departments = list(concept.responsible_departments.all())
    signoffs = {s.department_id: s for s in concept.signoffs.all()}
    missing = [d for d in departments if d.pk not in signoffs]
    objecting = [
        signoffs[d.pk] for d in departments if d.pk in signoffs and not signoffs[d.pk].agrees
    ]
    return {
        "departments": departments,
        "rows": [(d, signoffs.get(d.pk)) for d in departments],
        "missing": missing,
        "objecting": objecting,
        "all_agreed": bool(departments) and not missing and not objecting,
    }


@transaction.atomic
def concept_set_status(*, concept: Concept, status: str, by: AbstractBaseUser | None) -> Concept:
    """Moves ``concept`` to ``status`` along the allowed transitions.

    The committees app calls this when a concept goes to a committee (``submitted``)
    and on the committee's decision (``adopted`` / ``rejected``).
    """
    concept = Concept.objects.select_for_update().get(pk=concept.pk)
    if status == concept.status:
        return concept
    if status not in TRANSITIONS.get(concept.status, set()):
        raise ValidationError(
            _("Ein Konzept kann nicht von „%(from)s“ zu „%(to)s“ wechseln.")
            % {"from": concept.get_status_display(), "to": Concept.Status(status).label}
        )
    if status == S.IN_COORDINATION and not concept.responsible_departments.exists():
        raise ValidationError(
            _("Bitte nennen Sie zuerst die verantwortlichen Ämter, die mitzeichnen sollen.")
        )
    if status == S.COORDINATED and not concept_signoff_state(concept=concept)["all_agreed"]:
        raise ValidationError(
            _("„abgestimmt“ setzt voraus, dass alle verantwortlichen Ämter zugestimmt haben.")
        )
    concept.status = status
    concept._history_user = by
    concept.save(update_fields=["status", "modified"])
    return concept


# --- sign-off (Mitzeichnung) ---------------------------------------------------


@transaction.atomic
def signoff_record(
    *,
    concept: Concept,
    department: Department,
    decision: str,
    by: AbstractBaseUser,
    remarks: str = "",
) -> ConceptSignoff:
    """Records (or changes) a responsible department's answer; when the last
    department agrees, the concept becomes "abgestimmt"."""
    from .rules import signoff_departments_of

    concept = Concept.objects.select_for_update().get(pk=concept.pk)
    if concept.status != S.IN_COORDINATION:
        raise ValidationError(_("Das Konzept ist nicht in Abstimmung."))
    if department not in signoff_departments_of(by, concept):
        raise PermissionDenied(_("Sie können nicht für dieses Amt mitzeichnen."))
    if decision not in ConceptSignoff.Decision.values:
        raise ValidationError(_("Unbekanntes Votum."))
    remarks = remarks.strip()
    if decision == ConceptSignoff.Decision.OBJECTS and not remarks:
        raise ValidationError({"remarks": _("Bitte begründen Sie Ihre Einwände.")})
    if decision == ConceptSignoff.Decision.AGREES_WITH_REMARKS and not remarks:
        raise ValidationError({"remarks": _("Bitte tragen Sie Ihre Anmerkungen ein.")})
    signoff, _created = ConceptSignoff.objects.update_or_create(
        concept=concept,
        department=department,
        defaults={
            "decision": decision,
            "remarks": remarks,
            "signed_by": by,
            "signed_at": timezone.now(),
        },
    )
    if concept_signoff_state(concept=concept)["all_agreed"]:
        concept_set_status(concept=concept, status=S.COORDINATED, by=by)
    return signoff


@transaction.atomic
def signoff_remind(*, concept: Concept, by: AbstractBaseUser) -> SignoffReminder:
    """Queues a reminder e-mail to the contacts of the departments that are missing."""
    from .tasks import signoff_reminder_send_task

    if concept.status != S.IN_COORDINATION:
        raise ValidationError(_("Das Konzept ist nicht in Abstimmung."))
    if not concept_signoff_state(concept=concept)["missing"]:
        raise ValidationError(_("Alle verantwortlichen Ämter haben bereits mitgezeichnet."))
    reminder = SignoffReminder.objects.create(concept=concept, requested_by=by)
    transaction.on_commit(lambda: signoff_reminder_send_task.delay(reminder.pk))
    return reminder


def _signoff_recipients(departments: Sequence[Department]) -> list[str]:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    ids = [d.pk for d in departments]
    users = User.objects.filter(is_active=True).exclude(email="")
    by_contact = users.filter(contact_for__department_id__in=ids)
    emails = set(by_contact.values_list("email", flat=True))
    if not emails:
        emails |= set(users.filter(profile__department_id__in=ids).values_list("email", flat=True))
    emails |= {d.email for d in departments if d.email}
    # departments whose participation names no contact: reach their members
    without_contact = DepartmentParticipation.objects.filter(
        department_id__in=ids, contacts__isnull=True
    ).values_list("department_id", flat=True)
    emails |= set(
        users.filter(profile__department_id__in=list(without_contact)).values_list(
            "email", flat=True
        )
    )
    return sorted(emails)


@transaction.atomic
def signoff_reminder_send(*, reminder_id: int) -> SignoffReminder | None:
    """Sends the reminder once; running again after success sends nothing."""
    reminder = (
        SignoffReminder.objects.select_for_update(of=("self",))
        .select_related("concept")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None or reminder.sent_at is not None:
        return reminder
    concept = reminder.concept
    missing = concept_signoff_state(concept=concept)["missing"]
    recipients = _signoff_recipients(missing) if missing else []
    if recipients:
        subject = _("Erinnerung: Mitzeichnung des Konzepts „%(title)s“") % {"title": concept.title}
        body = _(
            "Guten Tag,\n\ndas Konzept „%(title)s“ des Runden Tisches Integration wartet noch "
            "auf die Mitzeichnung durch: %(departments)s.\n\nBitte zeichnen Sie im Portal mit: "
            "%(path)s\n\nVielen Dank!"
        ) % {
            "title": concept.title,
            "departments": ", ".join(str(d) for d in missing),
            "path": concept.get_absolute_url(),
        }
        send_mass_mail(
            [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in recipients]
        )
    reminder.recipients = recipients
    reminder.sent_at = timezone.now()
    reminder.save(update_fields=["recipients", "sent_at"])
    return reminder


# --- suggestions ------------------------------------------------------------------


@transaction.atomic
def suggestion_run_request(*, workshop: Workshop | None, by: AbstractBaseUser) -> SuggestionRun:
    from .tasks import suggestion_run_task

    run = SuggestionRun.objects.create(workshop=workshop, requested_by=by)
    transaction.on_commit(lambda: suggestion_run_task.delay(run.pk))
    return run


def suggestion_candidates(*, workshop: Workshop | None):
    ideas = Idea.objects.filter(concept_link__isnull=True).exclude(status=Idea.Status.REJECTED)
    if workshop is not None:
        ideas = ideas.filter(workshops=workshop)
    return ideas.order_by("id")


def suggestion_run_execute(*, run_id: int) -> SuggestionRun | None:
    """Computes the suggestions of ``run``; running it again replaces its open ones."""
    from .suggestions import cluster_ideas, idea_text

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
    suggestion = GroupSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status == GroupSuggestion.Status.OPEN:
        suggestion.status = GroupSuggestion.Status.DISMISSED
        suggestion.decided_by = by
        suggestion.decided_at = timezone.now()
        suggestion.save()
    return suggestion
