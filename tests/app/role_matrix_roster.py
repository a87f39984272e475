"""The role matrix's roster rows (issue 18): who gets what from each roster page and API
route, and how the matrix calls them. Merged into `tests/app/role_matrix.py`; the rules for
a row and its answers are written there.

Records: the world's volunteer leads ``team`` (so removing them is a 409 and changes nothing)
and has a period already over (``past_period``: withdrawing it is a 409), so every cell
answers the same however often it is called.
"""

from __future__ import annotations

from datetime import date, timedelta

from logistics.calendar import local_today
from logistics.core.identity import make_nik

TABLE = """
endpoint                                      method  anon adm coo kpr kpX pos pfr pbk pmg lea
roster.volunteers                             GET     401 ok  ok  403 403 403 403 403 403 ok
roster.volunteer                              GET     401 ok  ok  403 403 403 403 403 403 ok
roster.new_volunteer                          GET     401 ok  ok  403 403 403 403 403 403 403
roster.new_volunteer                          POST    401 ok  ok  403 403 403 403 403 403 403
roster.edit_volunteer                         GET     401 ok  ok  403 403 403 403 403 403 403
roster.edit_volunteer                         POST    401 ok  ok  403 403 403 403 403 403 403
roster_api.get_volunteers                     GET     401 ok  ok  403 403 403 403 403 403 ok
roster_api.get_volunteer                      GET     401 ok  ok  403 403 403 403 403 403 ok
roster_api.post_volunteer                     POST    401 ok  ok  403 403 403 403 403 403 403
roster_api.patch_volunteer                    PATCH   401 ok  ok  403 403 403 403 403 403 403
roster_api.get_equipment                      GET     401 ok  ok  403 403 403 403 403 403 ok
roster.boards                                 GET     401 ok  ok  403 403 403 403 403 403 ok
roster.board_page                             GET     401 ok  ok  403 403 403 403 403 403 ok
roster.board_dispatch                         POST    401 ok  ok  403 403 403 403 403 403 403
roster.deployment_check_in                    POST    401 ok  ok  403 403 403 403 403 403 403
roster.deployment_check_out                   POST    401 ok  ok  403 403 403 403 403 403 403
roster.deployment_end                         POST    401 ok  ok  403 403 403 403 403 403 403
roster.deployment_cancel                      POST    401 ok  ok  403 403 403 403 403 403 403
roster.posko_people                           GET     401 ok  ok  403 403 ok  403 403 403 ok
roster_deployments_api.get_deployments        GET     401 ok  ok  403 403 403 403 403 403 ok
roster_deployments_api.post_dispatch          POST    401 ok  ok  403 403 403 403 403 403 403
roster_deployments_api.post_check_in          POST    401 ok  ok  403 403 403 403 403 403 403
roster_deployments_api.post_check_out         POST    401 ok  ok  403 403 403 403 403 403 403
roster_deployments_api.post_end               POST    401 ok  ok  403 403 403 403 403 403 403
roster_deployments_api.post_cancel            POST    401 ok  ok  403 403 403 403 403 403 403
roster_deployments_api.get_event_hours        GET     401 ok  ok  403 403 403 403 403 403 ok
roster.roster_import_page                     GET     401 ok  ok  403 403 403 403 403 403 403
roster.roster_import_page                     POST    401 ok  ok  403 403 403 403 403 403 403
roster_import_api.post_roster_import          POST    401 ok  ok  403 403 403 403 403 403 403
roster.suggestions_page                       GET     401 ok  ok  403 403 403 403 403 403 403
roster.dispatch_suggested                     POST    401 ok  ok  403 403 403 403 403 403 403
roster_suggestions_api.post_suggestions       POST    401 ok  ok  403 403 403 403 403 403 403

roster.volunteer_skill                        GET     401 ok  ok  403 403 403 403 403 403 403
roster.volunteer_skill                        POST    401 ok  ok  403 403 403 403 403 403 403
roster.remove_volunteer_skill                 POST    401 ok  ok  403 403 403 403 403 403 403
roster.new_training                           GET     401 ok  ok  403 403 403 403 403 403 403
roster.new_training                           POST    401 ok  ok  403 403 403 403 403 403 403
roster.new_unavailability                     GET     401 ok  ok  403 403 403 403 403 403 403
roster.new_unavailability                     POST    401 ok  ok  403 403 403 403 403 403 403
roster.withdraw_unavailability                POST    401 ok  ok  403 403 403 403 403 403 403
roster.promote                                GET     401 ok  ok  403 403 403 403 403 403 403
roster.promote                                POST    401 ok  ok  403 403 403 403 403 403 403
roster.skills_catalogue                       GET     401 ok  ok  403 403 403 403 403 403 ok
roster.new_skill                              GET     401 ok  ok  403 403 403 403 403 403 403
roster.new_skill                              POST    401 ok  ok  403 403 403 403 403 403 403
roster.rename_skill                           GET     401 ok  ok  403 403 403 403 403 403 403
roster.rename_skill                           POST    401 ok  ok  403 403 403 403 403 403 403
roster.certificates                           GET     401 ok  ok  403 403 403 403 403 403 ok
roster.pipeline                               GET     401 ok  ok  403 403 403 403 403 403 ok
roster.teams_list                             GET     401 ok  ok  403 403 403 403 403 403 ok
roster.new_team                               GET     401 ok  ok  403 403 403 403 403 403 403
roster.new_team                               POST    401 ok  ok  403 403 403 403 403 403 403
roster.team                                   GET     401 ok  ok  403 403 403 403 403 403 ok
roster.add_team_member                        POST    401 ok  ok  403 403 403 403 403 403 403
roster.remove_team_member                     POST    401 ok  ok  403 403 403 403 403 403 403
roster.equipment_list                         GET     401 ok  ok  403 403 403 403 403 403 ok
roster.new_equipment                          GET     401 ok  ok  403 403 403 403 403 403 403
roster.new_equipment                          POST    401 ok  ok  403 403 403 403 403 403 403
roster.edit_equipment                         GET     401 ok  ok  403 403 403 403 403 403 403
roster.edit_equipment                         POST    401 ok  ok  403 403 403 403 403 403 403
roster_records_api.get_skills                 GET     401 ok  ok  403 403 403 403 403 403 ok
roster_records_api.post_skill                 POST    401 ok  ok  403 403 403 403 403 403 403
roster_records_api.patch_skill                PATCH   401 ok  ok  403 403 403 403 403 403 403
roster_records_api.post_volunteer_skill       POST    401 ok  ok  403 403 403 403 403 403 403
roster_records_api.delete_volunteer_skill     DELETE  401 ok  ok  403 403 403 403 403 403 403
roster_records_api.get_trainings              GET     401 ok  ok  403 403 403 403 403 403 ok
roster_records_api.post_training              POST    401 ok  ok  403 403 403 403 403 403 403
roster_records_api.get_expiring_certificates  GET     401 ok  ok  403 403 403 403 403 403 ok
roster_records_api.get_unavailable            GET     401 ok  ok  403 403 403 403 403 403 ok
roster_records_api.post_unavailable           POST    401 ok  ok  403 403 403 403 403 403 403
roster_records_api.delete_unavailable         DELETE  401 ok  ok  403 403 403 403 403 403 403
roster_records_api.get_promotions             GET     401 ok  ok  403 403 403 403 403 403 ok
roster_records_api.post_promotion             POST    401 ok  ok  403 403 403 403 403 403 403
roster_records_api.get_pipeline               GET     401 ok  ok  403 403 403 403 403 403 ok
roster_teams_api.get_teams                    GET     401 ok  ok  403 403 403 403 403 403 ok
roster_teams_api.get_team                     GET     401 ok  ok  403 403 403 403 403 403 ok
roster_teams_api.post_team                    POST    401 ok  ok  403 403 403 403 403 403 403
roster_teams_api.post_team_member             POST    401 ok  ok  403 403 403 403 403 403 403
roster_teams_api.delete_team_member           DELETE  401 ok  ok  403 403 403 403 403 403 403
roster_teams_api.post_equipment               POST    401 ok  ok  403 403 403 403 403 403 403
roster_teams_api.patch_equipment              PATCH   401 ok  ok  403 403 403 403 403 403 403
"""

_EVENT, _POSKO = {"event_id": "event"}, {"posko_id": "posko"}
CALLS: dict = {}


# Roster (issue 18): the world's volunteer; a registration with a valid NIK, so the guard and
# not the schema answers (a second registration of the same NIK is a 409, which is fine).
CALLS.update({
    "roster.volunteer GET": {"path": {"volunteer_id": "volunteer"}},
    "roster_api.post_volunteer POST": {
        "json": lambda ids: {"kind": "sahabat_tagana", "name": "Relawan Matriks",
                             "nik": make_nik("17.03.01", date(1994, 2, 3), "F", 7001),
                             "home_desa_code": "17.03.01.2001"}},
    "roster_api.patch_volunteer PATCH": {"json": lambda ids: {"notes": "role matrix"}},
})


# Roster records (issue 18 items 2-5): a volunteer's skills, trainings, unavailable days and
# promotion; the skills catalogue, certificates, pipeline, regu and equipment. The world's
# volunteer leads ``team`` (so removing them is a 409 and changes nothing) and has a period
# already over (``past_period``: withdrawing it is a 409), so every cell answers the same
# however often it is called.
_SKILL = {"skill_code": "dapur_umum"}
_TEAM = {"team_id": "team"}
CALLS.update({
    "roster.remove_volunteer_skill POST": {"path": _SKILL},
    "roster.withdraw_unavailability POST": {"path": {"unavailability_id": "past_period"}},
    "roster.rename_skill GET": {"path": _SKILL},
    "roster.rename_skill POST": {"path": _SKILL},
    "roster.team GET": {"path": _TEAM},
    "roster.add_team_member POST": {"path": _TEAM},
    "roster.remove_team_member POST": {"path": _TEAM},
    "roster.edit_equipment GET": {"path": {"equipment_id": "equipment"}},
    "roster.edit_equipment POST": {"path": {"equipment_id": "equipment"}},
    "roster_records_api.patch_skill PATCH": {
        "path": _SKILL, "json": lambda ids: {"name": "Dapur umum (public kitchen)"}},
    "roster_records_api.post_volunteer_skill POST": {
        "json": lambda ids: {"skill_code": "logistik", "level": 2}},
    "roster_records_api.delete_volunteer_skill DELETE": {"path": {"skill_code": "evakuasi"}},
    "roster_records_api.delete_unavailable DELETE": {
        "path": {"unavailability_id": "past_period"}},
    "roster_records_api.post_promotion POST": {"json": lambda ids: {"nia": "TGN-MATRIKS-1"}},
    "roster_teams_api.get_team GET": {"path": _TEAM},
    "roster_teams_api.post_team_member POST": {
        "path": _TEAM, "json": lambda ids: {"volunteer_id": ids["volunteer"]}},
    "roster_teams_api.delete_team_member DELETE": {"path": _TEAM},
    "roster_teams_api.patch_equipment PATCH": {
        "path": {"equipment_id": "equipment"}, "json": lambda ids: {"notes": "role matrix"}},
})


def _far_period() -> dict:
    """A day a month ahead: a dispatch the matrix makes leaves the world's volunteer free now."""
    starts = local_today() + timedelta(days=30)
    return {"starts_at": f"{starts.isoformat()}T08:00:00",
            "ends_at": f"{(starts + timedelta(days=1)).isoformat()}T08:00:00"}


# Dispatch board and deployments (issue 18): the world's event and staffed posko, and its one
# deployment (`world._build_deployment`); a valid dispatch body, so the guard answers.
CALLS.update({
    "roster.board_page GET": {"path": _EVENT},
    "roster.board_dispatch POST": {"path": _EVENT},
    "roster.posko_people GET": {"path": _POSKO},
    "roster_deployments_api.post_dispatch POST": {
        "json": lambda ids: {"posko_id": ids["posko"], **_far_period(),
                             "volunteers": [{"volunteer_id": ids["volunteer"],
                                             "role": "logistik"}]}},
    "roster_deployments_api.post_end POST": {"json": lambda ids: {"reason": "role matrix"}},
    "roster_deployments_api.post_cancel POST": {"json": lambda ids: {"reason": "role matrix"}},
    "roster_deployments_api.get_event_hours GET": {"path": _EVENT},
})


# Dispatch suggestions (issue 18, item 7): the world's staffed posko and a need its volunteer
# could fill, so the guard and not the schema answers.
CALLS.update({
    "roster.suggestions_page GET": {"path": {"posko_id": "posko"}},
    "roster.dispatch_suggested POST": {"path": {"posko_id": "posko"}},
    "roster_suggestions_api.post_suggestions POST": {"json": lambda ids: {
        "posko_id": ids["posko"], "starts_at": f"{local_today().isoformat()}T20:00:00",
        "ends_at": f"{local_today().isoformat()}T23:00:00",
        "need": {"skills": {"dapur_umum": 1}, "equipment": {"perahu_karet": 1}}}},
})
