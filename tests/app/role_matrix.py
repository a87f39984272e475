"""Who gets what from every route: the expected answer per route and identity, as data.

`tests/app/test_role_matrix.py` calls every cell with a real request on both databases and
fails when a route of the app has no row here, or a row names a route that is gone. A new
route gets its row in TABLE (and, if its path or body needs the world's objects, an entry in
CALLS) in the same commit that adds it.

Answers:
    ok    the guard let the request through: no 401, 403 or 404, no login redirect, no 5xx
          (a 422 for an empty body or a 409 for a document already reversed is fine)
    401   not logged in: the API answers 401, a page redirects to the login page
    403   the role may not do this, or (keeper_elsewhere) not in this warehouse
    404   the object exists but is not the caller's (another user's token)

Columns are the identities of `tests/app/world.py`: nobody logged in, one user per role, and
``kpX``, a warehouse keeper who keeps another warehouse than the one the request names.
Pages are called with a session cookie, the API with a bearer token (POST /api/v1/auth/tokens,
which a token may not use, with the session cookie it is made for).
"""

from __future__ import annotations

from logistics.calendar import local_today
from tests.app import (
    role_matrix_maps,
    role_matrix_maps_api,
    role_matrix_roster,
    role_matrix_slrt_cases,
    role_matrix_slrt_households,
    role_matrix_slrt_monitoring,
)
from tests.app.world import BAST, TODAY

COLUMNS = {
    "anon": "anonymous", "adm": "admin", "coo": "coordinator", "kpr": "warehouse_keeper",
    "kpX": "keeper_elsewhere", "pos": "posko_staff", "pfr": "puskesos_front",
    "pbk": "puskesos_back", "pmg": "puskesos_manager", "lea": "leadership",
}

TABLE = """
endpoint                          method  anon adm coo kpr kpX pos pfr pbk pmg lea

static                            GET     ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
favicon                           GET     ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
bootstrap.static                  GET     ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
vendor.vendor_file                GET     ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
main.root                         GET     ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
main.health                       GET     ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
main.ready                        GET     ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
main.home                         GET     401  ok  ok  ok  ok  ok  ok  ok  ok  ok

auth.login                        GET     ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
auth.login                        POST    ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
auth.logout                       POST    ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
auth.end_all_sessions             POST    401  ok  ok  ok  ok  ok  ok  ok  ok  ok
auth.set_language                 POST    ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
auth.change_password              GET     401  ok  ok  ok  ok  ok  ok  ok  ok  ok
auth.change_password              POST    401  ok  ok  ok  ok  ok  ok  ok  ok  ok
auth.tokens                       GET     401  ok  ok  ok  ok  ok  ok  ok  ok  ok
auth.tokens                       POST    401  ok  ok  ok  ok  ok  ok  ok  ok  ok
auth.revoke_token                 POST    401  ok  404 404 404 404 404 404 404 404

users.index                       GET     401  ok  403 403 403 403 403 403 403 403
users.create                      GET     401  ok  403 403 403 403 403 403 403 403
users.create                      POST    401  ok  403 403 403 403 403 403 403 403
users.edit                        GET     401  ok  403 403 403 403 403 403 403 403
users.edit                        POST    401  ok  403 403 403 403 403 403 403 403
users.reset_password              POST    401  ok  403 403 403 403 403 403 403 403

regions.index                     GET     401  ok  ok  ok  ok  ok  ok  ok  ok  ok
regions.show                      GET     401  ok  ok  ok  ok  ok  ok  ok  ok  ok

stock.index                       GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock.warehouse                   GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock.on_hand                     GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock.on_hand_xlsx                GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock.stock_card                  GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock.stock_card_print            GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock.stock_card_xlsx             GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock.documents                   GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock.document                    GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock.document_print              GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock.alert_list                  GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock.shortfalls                  GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock.receive_form                GET     401  ok  ok  ok  403 403 403 403 403 403
stock.receive_form                POST    401  ok  ok  ok  403 403 403 403 403 403
stock.issue_form                  GET     401  ok  ok  ok  403 403 403 403 403 403
stock.issue_form                  POST    401  ok  ok  ok  403 403 403 403 403 403
stock.transfer_form               GET     401  ok  ok  ok  403 403 403 403 403 403
stock.transfer_form               POST    401  ok  ok  ok  403 403 403 403 403 403
stock.transfer_receipt_form       GET     401  ok  ok  ok  403 403 403 403 403 403
stock.transfer_receipt_form       POST    401  ok  ok  ok  403 403 403 403 403 403
stock.adjust_form                 GET     401  ok  ok  ok  403 403 403 403 403 403
stock.adjust_form                 POST    401  ok  ok  ok  403 403 403 403 403 403
stock.count_form                  GET     401  ok  ok  ok  403 403 403 403 403 403
stock.count_form                  POST    401  ok  ok  ok  403 403 403 403 403 403
stock.reverse_form                GET     401  ok  ok  ok  403 403 403 403 403 403
stock.reverse_form                POST    401  ok  ok  ok  403 403 403 403 403 403
stock.new_warehouse               GET     401  ok  ok  403 403 403 403 403 403 403
stock.new_warehouse               POST    401  ok  ok  403 403 403 403 403 403 403
stock.warehouse_settings          GET     401  ok  ok  403 403 403 403 403 403 403
stock.warehouse_settings          POST    401  ok  ok  403 403 403 403 403 403 403
stock.import_sheet                GET     401  ok  ok  403 403 403 403 403 403 403
stock.import_sheet                POST    401  ok  ok  403 403 403 403 403 403 403

api-docs.openapi_json             GET     ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
api-docs.openapi_swagger_ui       GET     ok   ok  ok  ok  ok  ok  ok  ok  ok  ok

auth_api.post_login_token         POST    ok   ok  ok  ok  ok  ok  ok  ok  ok  ok
auth_api.get_me                   GET     401  ok  ok  ok  ok  ok  ok  ok  ok  ok
auth_api.get_tokens               GET     401  ok  ok  ok  ok  ok  ok  ok  ok  ok
auth_api.post_token               POST    401  ok  ok  ok  ok  ok  ok  ok  ok  ok
auth_api.delete_token             DELETE  401  ok  404 404 404 404 404 404 404 404

users_api.get_users               GET     401  ok  403 403 403 403 403 403 403 403
users_api.post_user               POST    401  ok  403 403 403 403 403 403 403 403
users_api.put_user                PUT     401  ok  403 403 403 403 403 403 403 403

regions_api.get_regions           GET     401  ok  ok  ok  ok  ok  ok  ok  ok  ok
regions_api.get_region            GET     401  ok  ok  ok  ok  ok  ok  ok  ok  ok

stock_api.get_items               GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock_api.get_warehouses          GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock_api.get_lots                GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock_api.get_stock_on_hand       GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock_api.get_stock_card          GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock_api.get_documents           GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock_api.get_document            GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock_api.get_shortfalls          GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock_api.post_receipt            POST    401  ok  ok  ok  403 403 403 403 403 403
stock_api.post_issue              POST    401  ok  ok  ok  403 403 403 403 403 403
stock_api.post_transfer           POST    401  ok  ok  ok  403 403 403 403 403 403
stock_api.post_transfer_receipt   POST    401  ok  ok  ok  403 403 403 403 403 403
stock_api.post_adjustment         POST    401  ok  ok  ok  403 403 403 403 403 403
stock_api.post_count              POST    401  ok  ok  ok  403 403 403 403 403 403
stock_api.post_reversal           POST    401  ok  ok  ok  403 403 403 403 403 403
stock_setup_api.get_alerts        GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock_setup_api.get_warehouse     GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock_setup_api.post_warehouse    POST    401  ok  ok  403 403 403 403 403 403 403
stock_setup_api.put_keeper        PUT     401  ok  ok  403 403 403 403 403 403 403
stock_setup_api.delete_keeper     DELETE  401  ok  ok  403 403 403 403 403 403 403
stock_setup_api.put_minimum       PUT     401  ok  ok  403 403 403 403 403 403 403
stock_setup_api.post_item         POST    401  ok  ok  403 403 403 403 403 403 403
stock_files_api.post_import       POST    401  ok  ok  403 403 403 403 403 403 403
stock_files_api.get_on_hand_xlsx  GET     401  ok  ok  ok  ok  ok  403 403 403 ok
stock_files_api.get_stock_card_xlsx GET   401  ok  ok  ok  ok  ok  403 403 403 ok

emergency.events_list             GET     401  ok  ok  ok  ok  ok  403 403 403 ok
emergency.event                   GET     401  ok  ok  ok  ok  ok  403 403 403 ok
emergency.new_event               GET     401  ok  ok  403 403 403 403 403 403 403
emergency.new_event               POST    401  ok  ok  403 403 403 403 403 403 403
emergency.record_status           POST    401  ok  ok  403 403 403 403 403 403 403
emergency.new_posko               GET     401  ok  ok  403 403 403 403 403 403 403
emergency.new_posko               POST    401  ok  ok  403 403 403 403 403 403 403
emergency.posko                   GET     401  ok  ok  ok  ok  ok  403 403 403 ok
emergency.record_census           POST    401  ok  ok  403 403 ok  403 403 403 403
emergency.close_posko             POST    401  ok  ok  403 403 403 403 403 403 403

emergency_events_api.get_events   GET     401  ok  ok  ok  ok  ok  403 403 403 ok
emergency_events_api.post_event   POST    401  ok  ok  403 403 403 403 403 403 403
emergency_events_api.get_event    GET     401  ok  ok  ok  ok  ok  403 403 403 ok
emergency_events_api.patch_event  PATCH   401  ok  ok  403 403 403 403 403 403 403
emergency_events_api.post_status  POST    401  ok  ok  403 403 403 403 403 403 403
emergency_events_api.get_event_posko GET  401  ok  ok  ok  ok  ok  403 403 403 ok
emergency_events_api.post_posko   POST    401  ok  ok  403 403 403 403 403 403 403
emergency_events_api.get_posko    GET     401  ok  ok  ok  ok  ok  403 403 403 ok
emergency_events_api.patch_posko  PATCH   401  ok  ok  403 403 403 403 403 403 403
emergency_events_api.get_censuses GET     401  ok  ok  ok  ok  ok  403 403 403 ok
emergency_events_api.post_census  POST    401  ok  ok  403 403 ok  403 403 403 403
emergency.assessments_index       GET     401  ok  ok  ok  ok  ok  403 403 403 ok
emergency.rapid_assessment_form   GET     401  ok  ok  403 403 ok  403 403 403 403
emergency.rapid_assessment_form   POST    401  ok  ok  403 403 ok  403 403 403 403
emergency.household_form          GET     401  ok  ok  403 403 ok  403 403 403 403
emergency.household_form          POST    401  ok  ok  403 403 ok  403 403 403 403
emergency.assessment_import       GET     401  ok  ok  403 403 ok  403 403 403 403
emergency.assessment_import       POST    401  ok  ok  403 403 ok  403 403 403 403
assessments_api.get_rapid_assessments GET 401  ok  ok  ok  ok  ok  403 403 403 ok
assessments_api.post_rapid_assessment POST 401 ok  ok  403 403 ok  403 403 403 403
assessments_api.get_households    GET     401  ok  ok  ok  ok  ok  403 403 403 ok
assessments_api.post_household    POST    401  ok  ok  403 403 ok  403 403 403 403
assessments_api.get_household     GET     401  ok  ok  ok  ok  ok  403 403 403 ok
assessments_api.put_household     PUT     401  ok  ok  403 403 ok  403 403 403 403
assessments_api.post_assessment_import POST 401 ok ok  403 403 ok  403 403 403 403
emergency.request_queue           GET     401  ok  ok  ok  ok  ok  403 403 403 ok
emergency.request_new             GET     401  ok  ok  403 403 ok  403 403 403 403
emergency.request_new             POST    401  ok  ok  403 403 ok  403 403 403 403
emergency.request_page            GET     401  ok  ok  ok  ok  ok  403 403 403 ok
emergency.request_submit          POST    401  ok  ok  403 403 ok  403 403 403 403
emergency.request_approve         POST    401  ok  ok  403 403 403 403 403 403 403
emergency.request_reject          POST    401  ok  ok  403 403 403 403 403 403 403
emergency.request_cancel          POST    401  ok  ok  403 403 ok  403 403 403 403
emergency.request_fulfil_choose   GET     401  ok  ok  ok  ok  403 403 403 403 403
emergency.request_fulfil          GET     401  ok  ok  ok  403 403 403 403 403 403
emergency.request_fulfil          POST    401  ok  ok  ok  403 403 403 403 403 403
emergency.request_unmet           GET     401  ok  ok  ok  ok  ok  403 403 403 ok

emergency_requests_api.post_request    POST  401  ok  ok  403 403 ok  403 403 403 403
emergency_requests_api.get_requests    GET   401  ok  ok  ok  ok  ok  403 403 403 ok
emergency_requests_api.get_request     GET   401  ok  ok  ok  ok  ok  403 403 403 ok
emergency_requests_api.post_submit     POST  401  ok  ok  403 403 ok  403 403 403 403
emergency_requests_api.post_approve    POST  401  ok  ok  403 403 403 403 403 403 403
emergency_requests_api.post_reject     POST  401  ok  ok  403 403 403 403 403 403 403
emergency_requests_api.post_cancel     POST  401  ok  ok  403 403 ok  403 403 403 403
emergency_requests_api.post_fulfilment POST  401  ok  ok  ok  403 403 403 403 403 403
emergency_requests_api.get_proposal    GET   401  ok  ok  ok  ok  ok  403 403 403 ok
emergency_requests_api.get_unmet       GET   401  ok  ok  ok  ok  ok  403 403 403 ok
emergency.event_needs             GET     401  ok  ok  ok  ok  ok  403 403 403 ok
emergency.posko_needs             GET     401  ok  ok  ok  ok  ok  403 403 403 ok
emergency.standards               GET     401  ok  403 403 403 403 403 403 403 403
emergency.standards               POST    401  ok  403 403 403 403 403 403 403 403
emergency_overview_api.get_event_needs GET 401 ok  ok  ok  ok  ok  403 403 403 ok
emergency_overview_api.get_posko_needs GET 401 ok  ok  ok  ok  ok  403 403 403 ok
emergency_overview_api.get_standards GET  401  ok  ok  ok  ok  ok  403 403 403 ok
emergency_overview_api.put_standards PUT  401  ok  403 403 403 403 403 403 403 403

"""


def _parse(table: str) -> dict[str, dict[str, str]]:
    lines = [line.split() for line in table.strip().splitlines() if line.strip()]
    header, rows = lines[0], lines[1:]
    columns = [COLUMNS[name] for name in header[2:]]
    matrix = {}
    for endpoint, method, *cells in rows:
        key = f"{endpoint} {method}"
        assert key not in matrix, f"{key} has two rows"
        assert len(cells) == len(columns), f"{key} has {len(cells)} cells"
        matrix[key] = dict(zip(columns, cells, strict=True))
    return matrix


# "endpoint METHOD" -> {identity: answer}
MATRIX = _parse(TABLE)

# How a route is called. Path parameters default by name (PATH_DEFAULTS, world ids by name);
# a row listed in CALLS overrides them and may send a body: ``json`` for the API, ``form`` for
# pages (empty when not given), built from the world's ids. Bodies that post stock are valid,
# so that the warehouse scope, not the schema, decides a keeper's answer.
PATH_DEFAULTS = {
    "warehouse_id": "home", "item_id": "rice", "document_id": "receipt",
    "transfer_id": "transfer", "user_id": "posko_staff_user", "volunteer_id": "volunteer",
    "deployment_id": "deployment",
}
PATH_LITERALS = {"code": "17", "kind": "catalogue", "package": "jquery"}


def _household():
    return {"desa_code": "17.03.01.2001", "assessed_on": TODAY.isoformat(),
            "head_name": "Ahmad Fauzi", "house_damage": "rusak_berat",
            "members": [{"name": "Ahmad Fauzi", "sex": "L"}]}


def _soap(ids, **line):
    return [{"item_id": ids["soap"], **line}]


CALLS = {
    "static GET": {"path": {"filename": "css/app.css"}},
    "bootstrap.static GET": {"path": {"filename": "css/bootstrap.min.css"}},
    "vendor.vendor_file GET": {"path": {"filename": "jquery.min.js"}},
    "auth.set_language POST": {"path": {"code": "id"}},
    "auth.logout POST": {"fresh_session": True},  # leaves the shared sessions logged in
    "auth.end_all_sessions POST": {"ends_all_sessions": True},
    "auth.revoke_token POST": {"path": {"token_id": "spare_token_page"}},
    "auth_api.delete_token DELETE": {"path": {"token_id": "spare_token_api"}},
    "auth_api.post_token POST": {"session": True,
                                 "json": lambda ids: {"name": "matrix", "days": 1}},
    "stock.warehouse_settings POST": {"path": {"warehouse_id": "spare"}},
    "stock_setup_api.put_keeper PUT": {
        "path": {"warehouse_id": "spare", "user_id": "keeper_elsewhere_user"}},
    "stock_setup_api.delete_keeper DELETE": {
        "path": {"warehouse_id": "spare", "user_id": "keeper_elsewhere_user"}},
    "stock_setup_api.put_minimum PUT": {
        "json": lambda ids: {"item_id": ids["rice"], "min_qty": 10}},
    "stock_api.post_receipt POST": {
        "json": lambda ids: {"warehouse_id": ids["home"], "lines": _soap(ids, qty=1)}},
    "stock_api.post_issue POST": {
        "json": lambda ids: {"warehouse_id": ids["home"], **BAST, "lines": _soap(ids, qty=1)}},
    "stock_api.post_transfer POST": {
        "json": lambda ids: {"warehouse_id": ids["home"], "to_warehouse_id": ids["spare"],
                             "lines": _soap(ids, qty=1)}},
    "stock_api.post_transfer_receipt POST": {"json": lambda ids: {}},
    "stock_api.post_adjustment POST": {
        "json": lambda ids: {"warehouse_id": ids["home"], "reason": "found",
                             "lines": _soap(ids, lot_id=ids["soap_lot"], qty=1)}},
    "stock_api.post_count POST": {
        "json": lambda ids: {"warehouse_id": ids["home"],
                             "lines": _soap(ids, lot_id=ids["soap_lot"], counted_qty=900)}},
    "stock_api.post_reversal POST": {"json": lambda ids: {"notes": "role matrix"}},
    **{f"{endpoint} {method}": {"path": {"event_id": "event"}} for endpoint, method in (
        ("emergency.assessments_index", "GET"), ("emergency.rapid_assessment_form", "GET"),
        ("emergency.rapid_assessment_form", "POST"), ("emergency.household_form", "GET"),
        ("emergency.household_form", "POST"), ("emergency.assessment_import", "GET"),
        ("emergency.assessment_import", "POST"), ("assessments_api.get_rapid_assessments", "GET"),
        ("assessments_api.get_households", "GET"),
        ("assessments_api.post_assessment_import", "POST"))},
    "assessments_api.post_rapid_assessment POST": {
        "path": {"event_id": "event"},
        "json": lambda ids: {"desa_code": "17.03.01.2001", "assessed_on": TODAY.isoformat(),
                             "displaced": 40}},
    "assessments_api.post_household POST": {
        "path": {"event_id": "event"}, "json": lambda ids: _household()},
    "assessments_api.get_household GET": {"path": {"household_id": "household"}},
    "assessments_api.put_household PUT": {
        "path": {"household_id": "household"}, "json": lambda ids: _household()},
    "emergency.request_page GET": {"path": {"request_id": "request_approved"}},
    "emergency.request_submit POST": {"path": {"request_id": "request_draft"}},
    "emergency.request_approve POST": {"path": {"request_id": "request_submitted"}},
    "emergency.request_reject POST": {"path": {"request_id": "request_submitted"}},
    "emergency.request_cancel POST": {"path": {"request_id": "request_to_cancel"}},
    "emergency.request_fulfil_choose GET": {"path": {"request_id": "request_approved"}},
    "emergency.request_fulfil GET": {"path": {"request_id": "request_approved"}},
    "emergency.request_fulfil POST": {"path": {"request_id": "request_approved"}},
    "emergency.request_unmet GET": {"path": {"event_id": "event"}},
    "emergency_requests_api.post_request POST": {
        "path": {"posko_id": "posko"},
        "json": lambda ids: {"lines": [{"item_id": ids["rice"], "qty": 5}], "submit": True}},
    "emergency_requests_api.get_request GET": {"path": {"request_id": "request_approved"}},
    "emergency_requests_api.post_submit POST": {"path": {"request_id": "request_draft"}},
    "emergency_requests_api.post_approve POST": {
        "path": {"request_id": "request_submitted"},
        "json": lambda ids: {"lines": [{"line_id": ids["request_submitted_line"],
                                        "approved_qty": 100}]}},
    "emergency_requests_api.post_reject POST": {
        "path": {"request_id": "request_submitted"}, "json": lambda ids: {"reason": "matrix"}},
    "emergency_requests_api.post_cancel POST": {
        "path": {"request_id": "request_to_cancel"}, "json": lambda ids: {"reason": "matrix"}},
    "emergency_requests_api.post_fulfilment POST": {
        "path": {"request_id": "request_approved"},
        "json": lambda ids: {"warehouse_id": ids["home"], "giver_name": "Siti",
                             "receiver_name": "Rahmat",
                             "lines": [{"line_id": ids["request_approved_line"], "qty": 1}]}},
    "emergency_requests_api.get_proposal GET": {"path": {"request_id": "request_approved"}},
    "emergency_requests_api.get_unmet GET": {"path": {"event_id": "event"}},
    "emergency.event_needs GET": {"path": {"event_id": "event"}},
    "emergency.posko_needs GET": {"path": {"posko_id": "posko"}},
    "emergency_overview_api.get_event_needs GET": {"path": {"event_id": "event"}},
    "emergency_overview_api.get_posko_needs GET": {"path": {"posko_id": "posko"}},
    "emergency_overview_api.put_standards PUT": {"json": lambda ids: {"standards": [
        {"code": "water", "amount": "15", "group": "persons", "per": "day"}]}},
}


# Events, posko and censuses (issue 17): the world's event and its staffed posko; the routes
# that close or change a posko take the spare one, so the others stay open for every row.
_EVENT, _POSKO = {"event_id": "event"}, {"posko_id": "posko"}
CALLS.update({
    "emergency.event GET": {"path": _EVENT},
    "emergency.record_status POST": {"path": _EVENT},
    "emergency.new_posko GET": {"path": _EVENT},
    "emergency.new_posko POST": {"path": _EVENT},
    "emergency.posko GET": {"path": _POSKO},
    "emergency.record_census POST": {"path": _POSKO},
    "emergency.close_posko POST": {"path": {"posko_id": "posko_spare"}},
    "emergency_events_api.post_event POST": {
        "json": lambda ids: {"hazard": "banjir", "name": "Banjir matriks",
                             "started_on": TODAY.isoformat(), "region_codes": ["17.03.01"]}},
    "emergency_events_api.get_event GET": {"path": _EVENT},
    "emergency_events_api.patch_event PATCH": {
        "path": _EVENT, "json": lambda ids: {"description": "role matrix"}},
    "emergency_events_api.post_status POST": {
        "path": _EVENT, "json": lambda ids: {"phase": "tanggap_darurat",
                                             "decree_number": "SK Bupati 360/99/2026",
                                             "starts_on": TODAY.isoformat()}},
    "emergency_events_api.get_event_posko GET": {"path": _EVENT},
    "emergency_events_api.post_posko POST": {
        "path": _EVENT, "json": lambda ids: {"name": "Posko matriks", "kind": "posko_lapangan",
                                             "desa_code": "17.03.01.2001"}},
    "emergency_events_api.get_posko GET": {"path": _POSKO},
    "emergency_events_api.patch_posko PATCH": {
        "path": {"posko_id": "posko_spare"}, "json": lambda ids: {"contact_name": "Matriks"}},
    "emergency_events_api.get_censuses GET": {"path": _POSKO},
    "emergency_events_api.post_census POST": {
        "path": _POSKO, "json": lambda ids: {
            "counted_at": f"{local_today().isoformat()}T00:00:00", "households": 3, "male": 5,
            "female": 6, "under_five": 2, "pregnant": 1}},
})


# The roster's rows and calls live in their own module (issue 18 added some seventy routes).
MATRIX.update(_parse(role_matrix_roster.TABLE))
CALLS.update(role_matrix_roster.CALLS)

# SLRT queues, monitoring and exports (issue 19, part 7).
MATRIX.update(_parse(role_matrix_slrt_monitoring.TABLE))
CALLS.update(role_matrix_slrt_monitoring.CALLS)
# SLRT cases, referrals, letters and programmes (issue 19 part 2).
MATRIX.update(_parse(role_matrix_slrt_cases.TABLE))
CALLS.update(role_matrix_slrt_cases.CALLS)
# SLRT households and members (issue 19 part 1).
MATRIX.update(_parse(role_matrix_slrt_households.TABLE))
CALLS.update(role_matrix_slrt_households.CALLS)
# Map pages (issue 20, part C).
MATRIX.update(_parse(role_matrix_maps.TABLE))
CALLS.update(role_matrix_maps.CALLS)
# The GeoJSON API (issue 20, part A).
MATRIX.update(_parse(role_matrix_maps_api.TABLE))
CALLS.update(role_matrix_maps_api.CALLS)
