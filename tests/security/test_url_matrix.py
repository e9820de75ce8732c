"""URL × role matrix: every URL pattern of the portal (from the URL resolver, so a new
route without an entry here fails) requested with GET as anonymous, staff, moderator,
committee member and administrator, with the expected answer; and every route with
parameters once more as administrator for objects that do not exist (404).

200 page · 302 redirect (anonymous: to the login page) · 403 no permission ·
404 object outside the user's reach or missing · 405 the route takes POST only
(the permission check comes first where it answers 403 to GET).
"""

import pytest
from django.urls import reverse

from .url_world import PARAMETERS, ROLES, build_world, iter_routes, missing_kwargs

HEALTH = (200, 503)  # /healthz: 503 while no worker runs, as in this test

#: route: (anonymous, staff, moderator, committee, admin, external, missing object as admin)
#: External members (invited from organisations and municipalities) submit, support,
#: comment and take part in workshops; internal pages answer them 403: the internal
#: coordination, moderation, the board, the dashboard, histories, exports, OParl.
MATRIX = {
    ":healthz": (HEALTH, HEALTH, HEALTH, HEALTH, HEALTH, HEALTH, None),
    ":home": (302, 200, 200, 200, 200, 200, None),
    ":login": (200, 200, 200, 200, 200, 200, None),
    ":logout": (302, 405, 405, 405, 405, 405, None),
    ":password_change": (302, 200, 200, 200, 200, 200, None),
    ":password_change_done": (302, 200, 200, 200, 200, 200, None),
    ":password_reset": (200, 200, 200, 200, 200, 200, None),
    ":password_reset_complete": (200, 200, 200, 200, 200, 200, None),
    ":password_reset_confirm": (200, 200, 200, 200, 200, 200, 200),
    ":password_reset_done": (200, 200, 200, 200, 200, 200, None),
    ":set_language": (302, 302, 302, 302, 302, 302, None),
    ":timeline": (302, 200, 200, 200, 200, 200, None),
    "committees:committee_list": (302, 200, 200, 200, 200, 200, None),
    "committees:decision_create": (302, 403, 200, 403, 200, 403, 404),
    "committees:meeting_detail": (302, 200, 200, 200, 200, 200, 404),
    "committees:paper_create": (302, 403, 302, 403, 302, 403, 404),
    "committees:paper_detail": (302, 200, 200, 200, 200, 200, 404),
    # the demo paper is decided: it is locked, the page sends back to the paper
    # the demo paper is decided: it is locked, the page sends back to the paper
    "committees:paper_edit": (302, 403, 302, 403, 302, 403, 404),
    "committees:report_download": (302, 404, 404, 404, 404, 404, 404),
    "committees:report_request": (302, 405, 405, 405, 405, 405, 405),
    "committees:report_status": (302, 403, 200, 200, 200, 403, 404),
    "ideas:attachment_download": (302, 200, 200, 200, 200, 200, 404),
    "ideas:attachment_upload": (302, 405, 405, 405, 405, 405, 405),
    "ideas:comment_create": (302, 405, 405, 405, 405, 405, 405),
    "ideas:comment_edit": (302, 200, 403, 403, 403, 403, 404),
    "ideas:comment_hide": (302, 403, 200, 403, 200, 403, 404),
    "ideas:create": (302, 200, 200, 200, 200, 200, None),
    "ideas:detail": (302, 200, 200, 200, 200, 200, 404),
    "ideas:edit": (302, 403, 200, 403, 200, 403, 404),
    "ideas:export_csv": (302, 200, 200, 200, 200, 200, None),
    "ideas:export_xlsx": (302, 200, 200, 200, 200, 200, None),
    "ideas:list": (302, 200, 200, 200, 200, 200, None),
    "ideas:moderation": (302, 403, 200, 403, 200, 403, None),
    "ideas:similar": (302, 200, 200, 200, 200, 200, None),
    "ideas:status": (302, 403, 405, 403, 405, 403, 405),
    "ideas:support": (302, 405, 405, 405, 405, 405, 405),
    ":dashboard": (302, 403, 200, 200, 200, 403, None),
    "implementation:department_detail": (302, 200, 200, 200, 200, 200, 404),
    "implementation:export": (302, 403, 403, 403, 200, 403, None),
    "implementation:history": (302, 403, 200, 403, 200, 403, 404),
    "implementation:idea_path": (302, 200, 200, 200, 200, 200, 404),
    "implementation:measure_create": (302, 403, 200, 403, 200, 403, None),
    "implementation:measure_detail": (302, 200, 200, 200, 200, 200, 404),
    "implementation:measure_edit": (302, 403, 200, 403, 200, 403, 404),
    "implementation:measure_list": (302, 200, 200, 200, 200, 200, None),
    "implementation:measure_status": (302, 405, 405, 405, 405, 405, 405),
    "implementation:milestone_add": (302, 405, 405, 405, 405, 405, 405),
    "implementation:milestone_done": (302, 405, 405, 405, 405, 405, 405),
    "implementation:municipality_detail": (302, 200, 200, 200, 200, 200, 404),
    "implementation:municipality_list": (302, 200, 200, 200, 200, 200, None),
    "implementation:organisation_detail": (302, 200, 200, 200, 200, 200, 404),
    "implementation:responsible_list": (302, 200, 200, 200, 200, 200, None),
    "oparl:agenda_item": (302, 200, 200, 200, 200, 403, 404),
    "oparl:body": (302, 200, 200, 200, 200, 403, 404),
    "oparl:body_agenda_items": (302, 200, 200, 200, 200, 403, 404),
    "oparl:body_consultations": (302, 200, 200, 200, 200, 403, 404),
    "oparl:body_files": (302, 200, 200, 200, 200, 403, 404),
    "oparl:body_list": (302, 200, 200, 200, 200, 403, None),
    "oparl:body_meetings": (302, 200, 200, 200, 200, 403, 404),
    "oparl:body_organizations": (302, 200, 200, 200, 200, 403, 404),
    "oparl:body_papers": (302, 200, 200, 200, 200, 403, 404),
    "oparl:body_people": (302, 200, 200, 200, 200, 403, 404),
    "oparl:committee_meetings": (302, 200, 200, 200, 200, 403, 404),
    "oparl:committee_organization": (302, 200, 200, 200, 200, 403, 404),
    "oparl:consultation": (302, 200, 200, 200, 200, 403, 404),
    "oparl:department_organization": (302, 200, 200, 200, 200, 403, 404),
    "oparl:file": (302, 404, 404, 404, 404, 403, 404),
    "oparl:file_access": (302, 404, 404, 404, 404, 403, 404),
    "oparl:file_download": (302, 404, 404, 404, 404, 403, 404),
    "oparl:meeting": (302, 200, 200, 200, 200, 403, 404),
    "oparl:paper": (302, 200, 200, 200, 200, 403, 404),
    "oparl:person": (302, 404, 404, 404, 404, 403, 404),
    "oparl:system": (302, 200, 200, 200, 200, 403, None),
    "participants:coordination": (302, 200, 200, 200, 200, 403, None),
    "participants:coordination_answer": (302, 200, 403, 403, 200, 403, 404),
    "participants:coordination_request": (302, 403, 405, 403, 405, 403, 405),
    "participants:coordination_request_open": (302, 403, 405, 403, 405, 403, None),
    "participants:invitation_accept": (200, 200, 200, 200, 200, 200, 404),
    "participants:invitation_create": (302, 403, 200, 403, 200, 403, None),
    "participants:invitation_import": (302, 403, 200, 403, 200, 403, None),
    "participants:invitation_list": (302, 403, 200, 403, 200, 403, None),
    "participants:invitation_resend": (302, 403, 405, 403, 405, 403, 405),
    "participants:invitation_revoke": (302, 403, 405, 403, 405, 403, 405),
    "participants:coordination_edit": (302, 403, 200, 403, 200, 403, 404),
    ":directory": (302, 200, 200, 200, 200, 200, None),
    "privacy:accessibility_statement": (200, 200, 200, 200, 200, 200, None),
    "privacy:imprint": (200, 200, 200, 200, 200, 200, None),
    "privacy:my_account_erase": (302, 200, 200, 200, 200, 200, None),
    "privacy:my_data": (302, 200, 200, 200, 200, 200, None),
    "privacy:my_data_export": (302, 200, 200, 200, 200, 200, None),
    "privacy:privacy_statement": (200, 200, 200, 200, 200, 200, None),
    "privacy:user_erase": (302, 403, 403, 403, 200, 403, 404),
    "privacy:user_export": (302, 403, 403, 403, 200, 403, 404),
    "privacy:user_list": (302, 403, 403, 403, 200, 403, None),
    "workshops:board": (302, 403, 200, 403, 200, 403, 404),
    "workshops:board_all": (302, 403, 200, 403, 200, 403, None),
    "workshops:board_all_concept": (302, 403, 405, 403, 405, 403, None),
    "workshops:board_all_move": (302, 403, 405, 403, 405, 403, None),
    "workshops:board_concept": (302, 403, 405, 403, 405, 403, 405),
    "workshops:board_move": (302, 403, 405, 403, 405, 403, 405),
    "workshops:concept_create": (302, 403, 200, 403, 200, 403, None),
    "workshops:concept_detail": (302, 200, 200, 200, 200, 200, 404),
    # the demo concept is adopted: it is locked, the page sends back to the concept
    # the demo concept is adopted: it is locked, the page sends back to the concept
    "workshops:concept_edit": (302, 403, 302, 403, 302, 403, 404),
    "workshops:concept_list": (302, 200, 200, 200, 200, 200, None),
    "workshops:concept_remind": (302, 403, 405, 403, 405, 403, 405),
    "workshops:concept_remove_idea": (302, 403, 405, 403, 405, 403, 405),
    "workshops:concept_signoff": (302, 403, 403, 403, 403, 403, 404),
    "workshops:concept_status": (302, 403, 405, 403, 405, 403, 405),
    "workshops:suggestion_accept": (302, 403, 405, 403, 405, 403, 405),
    "workshops:suggestion_dismiss": (302, 403, 405, 403, 405, 403, 405),
    "workshops:suggestions": (302, 403, 200, 403, 200, 403, 404),
    "workshops:suggestions_all": (302, 403, 200, 403, 200, 403, None),
    "workshops:workshop_create": (302, 403, 200, 403, 200, 403, None),
    "workshops:workshop_detail": (302, 200, 200, 404, 200, 200, 404),
    "workshops:workshop_edit": (302, 403, 200, 403, 200, 403, 404),
    "workshops:workshop_list": (302, 200, 200, 200, 200, 200, None),
    "committees:meeting_ics": (302, 200, 200, 200, 200, 200, 404),
    "committees:meeting_invite": (302, 405, 405, 405, 405, 405, 405),
    "notifications:bell": (302, 200, 200, 200, 200, 200, None),
    # the subscription address is the key: no login, the same answer for everyone
    "notifications:calendar_feed": (200, 200, 200, 200, 200, 200, 404),
    "notifications:calendar_feed_renew": (302, 405, 405, 405, 405, 405, None),
    "notifications:calendar_feed_revoke": (302, 405, 405, 405, 405, 405, None),
    "notifications:follow": (302, 405, 405, 405, 405, 405, 405),
    "notifications:list": (302, 200, 200, 200, 200, 200, None),
    "notifications:mark_all_read": (302, 405, 405, 405, 405, 405, None),
    "notifications:mark_read": (302, 405, 405, 405, 405, 405, 405),
    # the world's notification is the staff member's: anyone else's is not found
    "notifications:open": (302, 302, 404, 404, 404, 404, 404),
    "notifications:settings": (302, 200, 200, 200, 200, 200, None),
    "workshops:workshop_attendance": (302, 403, 200, 403, 200, 403, 404),
    "workshops:workshop_cancel": (302, 403, 200, 403, 200, 403, 404),
    "workshops:workshop_ics": (302, 200, 200, 404, 200, 200, 404),
    "workshops:workshop_respond": (302, 405, 405, 405, 405, 405, 405),
    "timeline:phase_create": (302, 403, 200, 403, 200, 403, None),
    "timeline:phase_edit": (302, 403, 200, 403, 200, 403, 404),
    "committees:agenda_item_create": (302, 403, 200, 403, 200, 403, 404),
    "committees:agenda_item_edit": (302, 403, 200, 403, 200, 403, 404),
    "committees:committee_create": (302, 403, 403, 403, 200, 403, None),
    "committees:committee_detail": (302, 200, 200, 200, 200, 200, 404),
    "committees:committee_edit": (302, 403, 403, 403, 200, 403, 404),
    "committees:committee_members": (302, 403, 403, 403, 200, 403, 404),
    "committees:meeting_create": (302, 403, 200, 403, 200, 403, None),
    "committees:meeting_edit": (302, 403, 200, 403, 200, 403, 404),
    "committees:membership_remove": (302, 403, 403, 403, 405, 403, 405),
    "committees:paper_correct": (302, 403, 302, 403, 302, 403, 404),
    "committees:paper_submit": (302, 403, 405, 403, 405, 403, 405),
    "workshops:concept_versions": (302, 200, 200, 200, 200, 403, 404),
}


def _matches(expected, actual) -> bool:
    return actual in expected if isinstance(expected, tuple) else actual == expected


def test_every_route_has_an_entry_and_every_entry_a_route():
    routes = {name for name, _ in iter_routes()}
    assert sorted(routes - MATRIX.keys()) == [], "new routes: add them to MATRIX"
    assert sorted(MATRIX.keys() - routes) == [], "stale entries: remove them from MATRIX"
    with_parameters = {name for name, route in iter_routes() if "<" in route}
    assert sorted(with_parameters - PARAMETERS.keys()) == [], "add to url_world.PARAMETERS"


@pytest.mark.django_db
def test_url_role_matrix(client):
    world = build_world()
    wrong = []
    for name, route in sorted(iter_routes()):
        expected = MATRIX[name]
        kwargs = PARAMETERS[name](world) if "<" in route else {}
        url = reverse(name.lstrip(":"), kwargs=kwargs)
        for role, want in zip(ROLES, expected[:6], strict=True):
            client.logout()
            if role != "anonymous":
                client.force_login(world["users"][role])
            response = client.get(url)
            if not _matches(want, response.status_code):
                wrong.append(f"{name} {url} as {role}: {response.status_code}, expected {want}")
            elif (
                role == "anonymous"
                and response.status_code == 302
                and name != ":set_language"
                and not response["Location"].startswith("/accounts/login/")
            ):
                wrong.append(f"{name} as anonymous: redirect to {response['Location']}")
        if kwargs:
            client.force_login(world["users"]["admin"])
            missing = reverse(name.lstrip(":"), kwargs=missing_kwargs(kwargs))
            status = client.get(missing).status_code
            if not _matches(expected[6], status):
                wrong.append(
                    f"{name} {missing} (missing) as admin: {status}, expected {expected[6]}"
                )
    assert wrong == [], "\n".join(wrong)
