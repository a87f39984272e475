"""The role matrix's SLRT case rows (issue 19 part 2): cases, their steps, referrals, the
surat rujukan and the programme settings. Merged into `tests/app/role_matrix.py`.

The world's case (`tests/app/world_slrt._build_cases`) is in the decision step; every step
route is either refused by the guard (403) or answers 409/422 without moving it, so each cell
answers the same however often it is called. Routes guarded by VIEW_CASES whose step needs
more (a need: front or back office; a close or step back: back office or manager) are given
valid bodies, so the step's own check, not the schema, answers the reader (leadership: 403).
"""

from __future__ import annotations

TABLE = """
endpoint                                      method  anon adm coo kpr kpX pos pfr pbk pmg lea
referrals.cases_list                          GET     401 ok  403 403 403 403 ok  ok  ok  ok
referrals.new_case                            GET     401 ok  403 403 403 403 ok  403 403 403
referrals.new_case                            POST    401 ok  403 403 403 403 ok  403 403 403
referrals.case_page                           GET     401 ok  403 403 403 403 ok  ok  ok  ok
referrals.case_add_need                       POST    401 ok  403 403 403 403 ok  ok  403 403
referrals.case_take                           POST    401 ok  403 403 403 403 403 ok  403 403
referrals.case_findings                       POST    401 ok  403 403 403 403 403 ok  403 403
referrals.case_propose                        POST    401 ok  403 403 403 403 403 ok  403 403
referrals.case_to_decision                    POST    401 ok  403 403 403 403 403 ok  403 403
referrals.case_refer                          POST    401 ok  403 403 403 403 403 403 ok  403
referrals.case_close                          POST    401 ok  403 403 403 403 403 ok  ok  403
referrals.case_step_back                      POST    401 ok  403 403 403 403 403 ok  ok  403
referrals.referral_decide                     POST    401 ok  403 403 403 403 403 403 ok  403
referrals.referral_reconsider                 POST    401 ok  403 403 403 403 403 403 ok  403
referrals.referral_outcome                    POST    401 ok  403 403 403 403 403 ok  ok  403
referrals.referral_letter                     GET     401 403 403 403 403 403 ok  ok  ok  403
referrals.programmes_list                     GET     401 ok  403 403 403 403 ok  ok  ok  ok
referrals.programme_new                       GET     401 ok  403 403 403 403 403 403 403 403
referrals.programme_new                       POST    401 ok  403 403 403 403 403 403 403 403
referrals.programme_edit                      GET     401 ok  403 403 403 403 403 403 403 403
referrals.programme_edit                      POST    401 ok  403 403 403 403 403 403 403 403
referrals.slrt_settings                       GET     401 ok  403 403 403 403 403 403 403 403
referrals.step_limits_save                    POST    401 ok  403 403 403 403 403 403 403 403
referrals.intake_condition_save               POST    401 ok  403 403 403 403 403 403 403 403
slrt_cases_api.get_cases                      GET     401 ok  403 403 403 403 ok  ok  ok  ok
slrt_cases_api.get_case                       GET     401 ok  403 403 403 403 ok  ok  ok  ok
slrt_cases_api.post_case                      POST    401 ok  403 403 403 403 ok  403 403 403
slrt_cases_api.post_need                      POST    401 ok  403 403 403 403 ok  ok  403 403
slrt_cases_api.post_handling                  POST    401 ok  403 403 403 403 403 ok  403 403
slrt_cases_api.post_findings                  POST    401 ok  403 403 403 403 403 ok  403 403
slrt_cases_api.post_referral                  POST    401 ok  403 403 403 403 403 ok  403 403
slrt_cases_api.post_to_decision               POST    401 ok  403 403 403 403 403 ok  403 403
slrt_cases_api.post_referred                  POST    401 ok  403 403 403 403 403 403 ok  403
slrt_cases_api.post_close                     POST    401 ok  403 403 403 403 403 ok  ok  403
slrt_cases_api.post_step_back                 POST    401 ok  403 403 403 403 403 ok  ok  403
slrt_cases_api.post_referral_decision         POST    401 ok  403 403 403 403 403 403 ok  403
slrt_cases_api.post_reconsider                POST    401 ok  403 403 403 403 403 403 ok  403
slrt_cases_api.post_outcome                   POST    401 ok  403 403 403 403 403 ok  ok  403
slrt_programmes_api.get_programmes            GET     401 ok  403 403 403 403 ok  ok  ok  ok
slrt_programmes_api.post_programme            POST    401 ok  403 403 403 403 403 403 403 403
slrt_programmes_api.patch_programme           PATCH   401 ok  403 403 403 403 403 403 403 403
slrt_programmes_api.get_step_limits           GET     401 ok  403 403 403 403 ok  ok  ok  ok
slrt_programmes_api.put_step_limit            PUT     401 ok  403 403 403 403 403 403 403 403
slrt_programmes_api.get_intake_conditions     GET     401 ok  403 403 403 403 ok  ok  ok  ok
slrt_programmes_api.patch_intake_condition    PATCH   401 ok  403 403 403 403 403 403 403 403
"""

_CASE = {"case_id": "slrt_case"}
_REFERRAL = {"referral_id": "slrt_referral"}
CALLS: dict = {
    **{f"referrals.{name} POST": {"path": _CASE} for name in (
        "case_add_need", "case_take", "case_findings", "case_propose", "case_to_decision",
        "case_refer", "case_close", "case_step_back")},
    "referrals.case_page GET": {"path": _CASE},
    **{f"referrals.{name} POST": {"path": _REFERRAL} for name in (
        "referral_decide", "referral_reconsider", "referral_outcome")},
    "referrals.referral_letter GET": {"path": {"referral_id": "slrt_letter_referral"}},
    "referrals.programme_edit GET": {"path": {"programme_id": "slrt_programme"}},
    "referrals.programme_edit POST": {"path": {"programme_id": "slrt_programme"}},
    "referrals.intake_condition_save POST": {"path": {"condition_id": "slrt_condition"}},
    **{f"slrt_cases_api.{name} POST": {"path": _CASE} for name in (
        "post_handling", "post_findings", "post_referral", "post_to_decision",
        "post_referred")},
    "slrt_cases_api.get_case GET": {"path": _CASE},
    "slrt_cases_api.post_need POST": {"path": _CASE, "json": lambda ids: {
        "category": "lainnya", "description": "Matriks peran."}},
    "slrt_cases_api.post_close POST": {"path": _CASE,
                                       "json": lambda ids: {"outcome": "tidak_tertangani"}},
    "slrt_cases_api.post_step_back POST": {"path": _CASE, "json": lambda ids: {
        "reason": "Matriks peran.", "to": "pendaftaran"}},
    "slrt_cases_api.post_referral_decision POST": {"path": _REFERRAL},
    "slrt_cases_api.post_reconsider POST": {"path": _REFERRAL},
    "slrt_cases_api.post_outcome POST": {"path": _REFERRAL,
                                         "json": lambda ids: {"to": "dikirim"}},
    "slrt_programmes_api.patch_programme PATCH": {"path": {"programme_id": "slrt_programme"}},
    "slrt_programmes_api.put_step_limit PUT": {"path": {"status": "penanganan"}},
    "slrt_programmes_api.patch_intake_condition PATCH": {
        "path": {"condition_id": "slrt_condition"}},
}
