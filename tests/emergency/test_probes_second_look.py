"""Second look at issue 17: what a posko, a coordinator and an assessor do that the first
probes did not try. Each test states what a user relies on; the docstring names the defect
when it failed before its fix.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from marshmallow import ValidationError
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.core import identity
from logistics.emergency import census, events, kobo, requests
from logistics.emergency.assessment_models import HouseholdAssessment
from logistics.emergency.assessment_schemas import HouseholdIn
from logistics.emergency.lookups import event_area_codes
from logistics.emergency.models import Census, EmergencyStatus, Posko
from logistics.emergency.request_models import StockRequest
from logistics.errors import Conflict, DomainError, InvalidInput
from logistics.stock import operations
from logistics.stock.verify import ledger_problems
from tests.concurrency import at_once
from tests.emergency.request_factories import (  # noqa: F401  (the fixture)
    COORDINATOR,
    KEEPER,
    SIGNERS,
    STAFF,
    requests_world_fixture,
)

TODAY = local_today()
WOMAN_NIK = identity.make_nik("17.03.01", date(1990, 4, 12), "F", 12)
MAN_NIK = identity.make_nik("17.03.01", date(1988, 1, 3), "M", 7)


def _user(name):
    return account_queries.get_user_by_username(db.session, name)


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


# --- census -----------------------------------------------------------------------------------

COUNTED_AT = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)


def _census(app, posko_id, *, key=None, today=None, **counts):
    with app.app_context():
        row = census.record_census(
            db.session, actor=_user(STAFF), posko_id=posko_id, counted_at=COUNTED_AT,
            idempotency_key=key, today=today, **counts)
        db.session.commit()
        return row.id


def test_under_fives_and_elderly_together_cannot_outnumber_the_persons(app, requests_world):
    """A child under five is never 60 or older: 6 under fives and 6 elderly among 10 persons
    is a typo, and the event's baby food and the lansia kits would be computed from it."""
    w = requests_world
    with pytest.raises(census.CensusRefused) as refused:
        _census(app, w.ids["posko"], households=3, male=5, female=5, under_five=6, elderly=6)
    assert {p.field for p in refused.value.problems} & {"under_five", "elderly"}
    assert _count(app, Census) == 0


def test_a_census_retried_after_midnight_wib_is_recorded_once(app, requests_world):
    w = requests_world
    first = _census(app, w.ids["posko"], key="census-1", households=4, male=6, female=7)
    again = _census(app, w.ids["posko"], key="census-1", today=TODAY + timedelta(days=1),
                    households=4, male=6, female=7)
    assert again == first
    assert _count(app, Census) == 1


# --- household members ------------------------------------------------------------------------

def _household(**member):
    return {"desa_code": "17.03.01.2001", "assessed_on": TODAY.isoformat(),
            "head_name": "Ahmad", "house_damage": "rusak_berat",
            "members": [{"name": "Ahmad", "sex": "L"}, {"name": "Anggota", **member}]}


@pytest.mark.parametrize("member", [
    {"sex": "L", "nik": WOMAN_NIK},  # the NIK's day of birth has 40 added: a woman
    {"sex": "P", "nik": MAN_NIK},
    {"sex": "L", "is_pregnant": True},
    {"sex": "L", "is_breastfeeding": True},
], ids=["man-with-a-womans-nik", "woman-with-a-mans-nik", "pregnant-man",
        "breastfeeding-man"])
def test_a_member_the_nik_or_the_sex_contradicts_is_refused_on_the_member(app, member):
    """The roster refuses a sex the NIK contradicts (`identity.mismatches`); the household
    assessment took it, and a pregnant man counted in the needs for ibu hamil. SLRT will
    turn these records into cases: refused on the member's field, as the roster does."""
    with app.app_context(), pytest.raises(ValidationError) as refused:
        HouseholdIn().load(_household(**member))
    assert any(key == 1 for key in refused.value.messages.get("members", {}))


def test_a_woman_with_her_own_nik_pregnant_is_taken(app):
    with app.app_context():
        data = HouseholdIn().load(_household(sex="P", nik=WOMAN_NIK, is_pregnant=True))
    assert data["members"][1]["is_pregnant"] is True


# --- the event's area and a posko's close -----------------------------------------------------

def test_narrowing_the_event_area_cannot_leave_a_posko_outside_it(app, requests_world,
                                                                  emergency):
    """The posko stands in desa Kahyapu. Narrowing the event to Banjarsari only would leave a
    posko of the event outside its area (and its households unassessable there): refused on
    the area, and the area stays as it was."""
    w = requests_world
    with app.app_context():
        with pytest.raises(DomainError) as refused:
            events.change_event(db.session, actor=_user(COORDINATOR), event_id=w.ids["event"],
                                region_codes=[emergency.OTHER_DESA])
        db.session.rollback()
        assert refused.value.field == "region_codes"
        assert event_area_codes(db.session, w.ids["event"]) == {emergency.KECAMATAN}


def test_a_posko_close_cannot_be_dated_before_its_last_census(app, requests_world):
    """Counted this morning, then recorded as closed yesterday: the totals would drop people
    the posko was seen sheltering today. Refused on the day closed."""
    w = requests_world
    _census(app, w.ids["posko"], households=4, male=6, female=7)
    with app.app_context():
        with pytest.raises(InvalidInput) as refused:
            events.change_posko(db.session, actor=_user(COORDINATOR), posko_id=w.ids["posko"],
                                closed_on=TODAY - timedelta(days=1))
        db.session.rollback()
        assert refused.value.field == "closed_on"
        assert db.session.get(Posko, w.ids["posko"]).closed_on is None


# --- requests ---------------------------------------------------------------------------------

def test_a_request_retried_after_midnight_wib_is_one_request(app, requests_world):
    w = requests_world
    lines = [{"item_id": w.ids["rice"], "qty": 20}]
    first = w.ask(lines, idempotency_key="ask-1")
    again = w.ask(lines, idempotency_key="ask-1", today=TODAY + timedelta(days=1))
    assert again == first
    assert _count(app, StockRequest) == 1


def test_a_request_of_many_lines_naming_items_twice_is_met_in_one_release(app, requests_world,
                                                                         stock):
    """Forty lines, twenty items each asked twice (two needed-by dates): approved less on
    some, delivered in one release; each line gets what was approved, the ledger agrees."""
    w = requests_world
    items = [stock.item(base_unit="pcs") for _ in range(20)]
    for item in items:
        stock.receive(w.ids["warehouse"], item, 30)
    lines = [{"item_id": item, "qty": 10 + turn, "needed_by": TODAY + timedelta(days=turn)}
             for turn in (1, 2) for item in items]
    request_id = w.ask(lines)
    approved = [qty - (index % 3) for index, qty in enumerate(line["qty"] for line in lines)]
    w.approve(request_id, *approved)
    w.fulfil(request_id, *approved)
    status, state = w.state(request_id)
    assert status == "fulfilled"
    assert [(asked, fulfilled) for asked, _, fulfilled in state] == [
        (line["qty"], qty) for line, qty in zip(lines, approved, strict=True)]
    for item, first, second in zip(items, approved[:20], approved[20:], strict=True):
        assert stock.on_hand(w.ids["warehouse"], item) == 30 - first - second
    with app.app_context():
        assert ledger_problems(db.session) == []


def test_a_delivery_and_a_cancellation_at_once_leave_one_of_them(app, requests_world):
    """The keeper posts the release as the posko withdraws the request: either it was
    delivered (and the cancellation is refused) or withdrawn (and nothing left the shelf)."""
    w = requests_world
    request_id = w.ask([{"item_id": w.ids["rice"], "qty": 30}])
    w.approve(request_id, 30)
    line_id = w.line_ids(request_id)[0]

    def deliver(session, actor):
        requests.fulfil_request(session, actor=actor, request_id=request_id,
                                warehouse_id=w.ids["warehouse"],
                                lines=[{"line_id": line_id, "qty": 30}], **SIGNERS)

    def cancel(session, actor):
        requests.cancel_request(session, actor=actor, request_id=request_id,
                                reason="Pengungsi sudah pulang")

    outcome = at_once(app, [(KEEPER, deliver), (STAFF, cancel)], refused=Conflict)
    status, [(_, _, fulfilled)] = w.state(request_id)
    if outcome[0] == "ok":
        assert outcome[1] != "ok"
        assert (status, fulfilled) == ("fulfilled", 30)
        assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 70
    else:
        assert outcome[1] == "ok"
        assert (status, fulfilled) == ("cancelled", 0)
        assert w.releases() == 0
        assert w.stock.on_hand(w.ids["warehouse"], w.ids["rice"]) == 100


def test_the_gate_cites_the_sk_in_force_on_the_release_date_not_today(app, requests_world):
    """A second SK from yesterday: a release backdated to the day before cites the first
    decree, one dated today the second (the SK in force on the BAST's date, not today's)."""
    w = requests_world
    with app.app_context():
        events.record_status(db.session, actor=_user(COORDINATOR), event_id=w.ids["event"],
                             phase="tanggap_darurat", decree_number="SK 360/99/2026",
                             starts_on=TODAY - timedelta(days=1))
        db.session.commit()
    cited = []
    for day in (TODAY - timedelta(days=2), TODAY):
        with app.app_context():
            document = operations.issue_stock(
                db.session, actor=_user(KEEPER), warehouse_id=w.ids["warehouse"],
                lines=[{"item_id": w.ids["rice"], "qty": 1}], posko_id=w.ids["posko"],
                document_date=day, **SIGNERS)
            db.session.commit()
            cited.append(document.authority_ref)
    assert cited == [f"SK Bupati 360/{w.ids['event']}/2026", "SK 360/99/2026"]


# --- Kobo import ------------------------------------------------------------------------------

def _export(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["start", "household/desa_code", "household/head_name",
                     "household/house_damage", "assessed_on", "deaths", "_uuid", "_index"])
    for index, (uuid, desa, name, damage) in enumerate(rows, start=1):
        writer.writerow([f"{TODAY}T08:00:00", desa, name, damage, TODAY.isoformat(), "0",
                         uuid, index])
    return out.getvalue().encode()


def _import(app, event_id, content):
    with app.app_context():
        summary = kobo.import_households(
            db.session, actor=_user("emergency-admin"), event_id=event_id,
            export=kobo.read_export(content, "export.csv"))
        db.session.commit()
        return summary


def test_one_bad_row_among_forty_writes_nothing_and_a_reimport_updates(app, emergency):
    """Forty households; row 30 names a desa of another kecamatan. Nothing is written and
    that row alone is listed. Fixed, all forty are created; exported again after the
    assessors edited the damage, the same forty are updated and none added."""
    event_id = emergency.event()
    rows = [(f"uuid-{n:03d}", emergency.DESA if n % 2 else emergency.OTHER_DESA,
             f"Kepala {n}", "ringan") for n in range(40)]
    bad = list(rows)
    bad[28] = (bad[28][0], emergency.OUTSIDE_DESA, bad[28][2], bad[28][3])
    with pytest.raises(kobo.ImportInvalid) as refused:
        _import(app, event_id, _export(bad))
    assert [(p.row, p.column) for p in refused.value.problems] == [(30, "desa_code")]
    assert _count(app, HouseholdAssessment) == 0
    assert _import(app, event_id, _export(rows)).created == 40
    edited = [(uuid, desa, name, "berat") for uuid, desa, name, _ in rows]
    summary = _import(app, event_id, _export(edited))
    assert (summary.created, summary.updated) == (0, 40)
    with app.app_context():
        assert set(db.session.scalars(select(HouseholdAssessment.house_damage))) == {
            "rusak_berat"}
    assert _count(app, HouseholdAssessment) == 40


def test_an_event_cannot_be_ended_before_a_release_that_cited_its_sk(app, requests_world):
    """Goods left today citing the tanggap darurat SK; recording the event as ended yesterday
    makes that BAST cite a decree of an event already over."""
    w = requests_world
    with app.app_context():
        operations.issue_stock(db.session, actor=_user(KEEPER), warehouse_id=w.ids["warehouse"],
                               lines=[{"item_id": w.ids["rice"], "qty": 1}],
                               posko_id=w.ids["posko"], **SIGNERS)
        db.session.commit()
        with pytest.raises(DomainError) as refused:
            events.change_event(db.session, actor=_user(COORDINATOR), event_id=w.ids["event"],
                                ended_on=TODAY - timedelta(days=1))
        assert refused.value.field == "ended_on"
        db.session.rollback()
        status = db.session.scalar(select(EmergencyStatus).where(
            EmergencyStatus.event_id == w.ids["event"]).order_by(EmergencyStatus.id.desc()))
        with pytest.raises(DomainError) as refused:
            events.end_status(db.session, actor=_user(COORDINATOR), status_id=status.id,
                              ends_on=TODAY - timedelta(days=1))
        assert refused.value.field == "ends_on"
        db.session.rollback()
        # Ended on the day of the release, both are taken.
        events.end_status(db.session, actor=_user(COORDINATOR), status_id=status.id,
                          ends_on=TODAY)
        events.change_event(db.session, actor=_user(COORDINATOR), event_id=w.ids["event"],
                            ended_on=TODAY)
        db.session.commit()

