from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("", views.workshop_list, name="workshop_list"),
    path("neu/", views.workshop_create, name="workshop_create"),
    path("<int:pk>/", views.workshop_detail, name="workshop_detail"),
    path("<int:pk>/bearbeiten/", views.workshop_edit, name="workshop_edit"),
    path("<int:pk>/kalender.ics", views.workshop_ics, name="workshop_ics"),
    path("<int:pk>/rueckmeldung/", views.workshop_respond, name="workshop_respond"),
    path("<int:pk>/teilnahmeliste/", views.workshop_attendance, name="workshop_attendance"),
    path("<int:pk>/absagen/", views.workshop_cancel, name="workshop_cancel"),
    # the grouping board, for a workshop or for all ideas
    path("board/", views.board, name="board_all"),
    path("board/verschieben/", views.board_move, name="board_all_move"),
    path("board/konzept/", views.board_concept, name="board_all_concept"),
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/board/verschieben/", views.board_move, name="board_move"),
    path("<int:pk>/board/konzept/", views.board_concept, name="board_concept"),
    # suggestions for groups
    path("vorschlaege/", views.suggestions, name="suggestions_all"),
    path("<int:pk>/vorschlaege/", views.suggestions, name="suggestions"),
    path("vorschlaege/<int:pk>/annehmen/", views.suggestion_accept, name="suggestion_accept"),
    path("vorschlaege/<int:pk>/verwerfen/", views.suggestion_dismiss, name="suggestion_dismiss"),
    # concepts
    path("konzepte/", views.concept_list, name="concept_list"),
    path("konzepte/neu/", views.concept_create, name="concept_create"),
    path("konzepte/<int:pk>/", views.concept_detail, name="concept_detail"),
    path("konzepte/<int:pk>/bearbeiten/", views.concept_edit, name="concept_edit"),
    path("konzepte/<int:pk>/status/", views.concept_status, name="concept_status"),
    path("konzepte/<int:pk>/mitzeichnen/", views.concept_signoff, name="concept_signoff"),
    path("konzepte/<int:pk>/erinnern/", views.concept_remind, name="concept_remind"),
    path("konzepte/<int:pk>/fassungen/", views.concept_versions, name="concept_versions"),
    path(
        "konzepte/<int:pk>/ideen/<int:idea_pk>/entfernen/",
        views.concept_remove_idea,
        name="concept_remove_idea",
    ),
]
