"""The event and posko needs overview against a hand-worked example, on both databases.

The example (today is the test's day; the event began three days ago):
- Posko A: an older census of 80 persons, then the latest: 120 persons (60 men, 60 women),
  30 households, 10 children under five. Covered area 700 m².
- Posko B: 45 persons (20 + 25), 12 households, 4 under five.
- Posko C: 50 persons, closed yesterday: counts for nothing in the event.
- Rice at 3,600 kcal per kg. The warehouse received 500 kg (good to next year) and 50 kg
  that expired last week. A got a release of 100 kg and one of 40 kg; the 40 kg release was
  reversed. C got 30 kg before it closed.

Worked by hand, for the default horizon of 7 days:
- event persons 120 + 45 = 165 (C left out), households 42, under five 14;
- food needed, event: 165 × 2,100 kcal × 7 days = 2,425,500 kcal;
  posko A: 120 × 2,100 × 7 = 1,764,000 kcal; B: 45 × 2,100 × 7 = 661,500 kcal;
- delivered to A: 100 kg net (140 released, 40 returned) = 100 × 3,600 = 360,000 kcal;
  the event's delivered is A's alone (C is closed): 360,000 kcal;
- missing at A: 1,764,000 − 360,000 = 1,404,000 kcal = 390 kg of rice (1,404,000 / 3,600);
- available: 500 − 100 − 40 + 40 (returned) − 30 (to C) = 370 kg unexpired; the 50 expired
  kg are on the shelf but not usable: 370 × 3,600 = 1,332,000 kcal;
- days of cover at A: delivered 360,000 / (120 × 2,100 = 252,000 a day) = 1.43 days (red:
  under 3); available 1,332,000 / 252,000 = 5.29 days;
  event: 360,000 / (165 × 2,100 = 346,500) = 1.04 days;
- water at A: 120 × 15 L × 7 = 12,600 L; child food at A: 10 × 2 packs × 7 = 140 packs;
  hygiene kits at A: 30 households × 1 kit a started month = 30; capacity 700 / 3.5 = 200.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import select, update

from app.extensions import db
from logistics.accounts.models import User
from logistics.calendar import local_today
from logistics.emergency import overview, standard_edits
from logistics.emergency.assessment_models import (
    HouseholdAssessment,
    HouseholdMember,
    RapidAssessment,
)
from logistics.emergency.models import Census, Posko
from logistics.errors import InvalidInput, PermissionDenied
from logistics.stock import operations as stock_operations

TODAY = local_today()


def _user(username):
    return db.session.scalar(select(User).where(User.username == username))


def census(posko_id, *, male, female, households, under_five=0, hours_ago=1, **groups):
    actor = _user("emergency-admin")
    db.session.add(Census(posko_id=posko_id, counted_at=datetime.now(UTC) - timedelta(
        hours=hours_ago), male=male, female=female, households=households,
        under_five=under_five, pregnant=groups.get("pregnant", 0),
        breastfeeding=groups.get("breastfeeding", 0), elderly=groups.get("elderly", 0),
        disabled=groups.get("disabled", 0), recorded_by_id=actor.id))


def release(warehouse_id, item_id, qty, posko_id):
    document = stock_operations.issue_stock(
        db.session, actor=_user("stock-admin"), warehouse_id=warehouse_id,
        lines=[{"item_id": item_id, "qty": qty}], giver_name="Siti", receiver_name="Rahmat",
        posko_id=posko_id)
    db.session.commit()
    return document.id


@pytest.fixture
def example(app, emergency, stock):
    """The example of the module docstring; returns its ids."""
    event_id = emergency.event(status="tanggap_darurat")
    posko_a = emergency.posko(event_id, name="Balai Desa A", covered_m2=700)
    posko_b = emergency.posko(event_id, name="Masjid B", covered_m2=140)
    posko_c = emergency.posko(event_id, name="Sekolah C", covered_m2=300,
                              opened_on=TODAY - timedelta(days=3))
    warehouse = stock.warehouse()
    rice = stock.item(code="BRS", kcal_per_unit=3600, perishable=True)
    stock.receive(warehouse, rice, 500, batch_no="R-GOOD", expires_on=TODAY + timedelta(300))
    stock.receive(warehouse, rice, 50, batch_no="R-OLD", expires_on=TODAY - timedelta(7))
    with app.app_context():
        census(posko_a, male=40, female=40, households=20, under_five=6, hours_ago=30)
        census(posko_a, male=60, female=60, households=30, under_five=10, hours_ago=2)
        census(posko_b, male=20, female=25, households=12, under_five=4)
        census(posko_c, male=25, female=25, households=10)
        db.session.commit()
        release(warehouse, rice, 100, posko_a)
        returned = release(warehouse, rice, 40, posko_a)
        stock_operations.reverse_document(db.session, actor=_user("stock-admin"),
                                          document_id=returned, notes="wrong posko")
        release(warehouse, rice, 30, posko_c)
        db.session.execute(update(Posko).where(Posko.id == posko_c)
                           .values(closed_on=TODAY - timedelta(days=1)))
        db.session.commit()
    return {"event": event_id, "a": posko_a, "b": posko_b, "c": posko_c, "rice": rice,
            "warehouse": warehouse}


def _line(lines, code):
    return next(line for line in lines if line.code == code)


def test_the_event_needs_match_the_hand_worked_example(app, example):
    with app.app_context():
        needs = overview.event_needs(db.session, example["event"], today=TODAY)
    assert needs.days == 7
    assert (needs.population.persons, needs.population.households,
            needs.population.under_five) == (165, 42, 14)
    assert [posko.id for posko in needs.posko] == [example["a"], example["b"]]
    food = _line(needs.lines, "food_energy")
    assert food.coverage.needed == Decimal(2_425_500)
    assert food.coverage.delivered == Decimal(360_000)
    assert food.coverage.available == Decimal(1_332_000)
    assert food.coverage.days_delivered.quantize(Decimal("0.01")) == Decimal("1.04")
    assert food.main_item.id == example["rice"]
    assert food.units(food.coverage.available) == 370
    assert food.is_low


def test_a_posko_needs_match_the_hand_worked_example(app, example):
    with app.app_context():
        needs = overview.event_needs(db.session, example["event"], today=TODAY)
        alone, _ = overview.posko_needs(db.session, example["a"], today=TODAY)
    a = needs.posko[0]
    assert (a.persons, a.capacity, a.over_capacity) == (120, 200, False)
    food = a.line("food_energy")
    assert food.coverage.needed == Decimal(1_764_000)
    assert food.coverage.delivered == Decimal(360_000)
    assert food.coverage.missing == Decimal(1_404_000)
    assert food.units(food.coverage.missing) == 390
    assert food.coverage.days_delivered.quantize(Decimal("0.01")) == Decimal("1.43")
    assert food.coverage.days_available.quantize(Decimal("0.01")) == Decimal("5.29")
    assert a.line("water").coverage.needed == Decimal(12_600)
    assert a.line("child_food").coverage.needed == Decimal(140)
    assert a.line("hygiene_kit").coverage.needed == Decimal(30)
    b = needs.posko[1]
    assert b.line("food_energy").coverage.needed == Decimal(661_500)
    assert b.line("food_energy").coverage.delivered == 0
    assert (b.capacity, b.over_capacity) == (40, True)  # 140 m² / 3.5 for 45 persons
    assert alone.line("food_energy").coverage == food.coverage


def test_a_reversed_release_nets_out_and_a_closed_posko_keeps_its_own_figures(app, example):
    with app.app_context():
        delivered = overview.delivered_per_posko(
            db.session, [example["a"], example["b"], example["c"]])
        closed, _ = overview.posko_needs(db.session, example["c"], today=TODAY)
    assert delivered == {example["a"]: {example["rice"]: 100},
                         example["c"]: {example["rice"]: 30}}
    assert closed.persons == 50
    assert closed.closed_on == TODAY - timedelta(days=1)


def test_standards_edited_by_an_admin_change_the_result(app, example, make_user):
    admin = make_user("admin")
    with app.app_context():
        standard_edits.set_standards(db.session, actor=_user(admin), standards=[{
            "code": "food_energy", "amount": Decimal(2400), "group": "persons", "per": "day",
            "supplies": [{"item_id": example["rice"], "content": Decimal(3500)}]}])
        db.session.commit()
        needs = overview.event_needs(db.session, example["event"], today=TODAY, days=3)
    food = needs.posko[0].line("food_energy")
    assert food.coverage.needed == 120 * 2400 * 3
    assert food.coverage.delivered == 100 * 3500
    assert food.main_item.content == 3500


def test_a_bad_standard_row_changes_nothing(app, example, make_user):
    admin, staff = make_user("admin"), make_user("posko_staff")
    rows = [{"code": "water", "amount": Decimal(20), "group": "persons", "per": "day",
             "supplies": []},
            {"code": "blanket", "amount": Decimal(2), "group": "persons", "per": "once",
             "supplies": [{"item_id": 999_999, "content": Decimal(1)}]}]
    with app.app_context():
        with pytest.raises(InvalidInput) as refused:
            standard_edits.set_standards(db.session, actor=_user(admin), standards=rows)
        assert refused.value.field == "standards.1.supplies.0.item_id"
        db.session.rollback()
        with pytest.raises(PermissionDenied):
            standard_edits.set_standards(db.session, actor=_user(staff), standards=rows[:1])
        db.session.rollback()
        table = {row["code"]: row for row in standard_edits.standards_table(db.session)}
    assert table["water"]["amount"] == 15


def test_who_is_affected_sums_the_latest_assessment_of_each_desa(app, emergency, example):
    with app.app_context():
        actor = _user("emergency-admin").id
        event_id, desa, other = example["event"], emergency.DESA, emergency.OTHER_DESA
        for day, code, counts in ((3, desa, {"dead": 1, "displaced": 90}),
                                  (1, desa, {"dead": 2, "displaced": 150, "houses_heavy": 12}),
                                  (2, other, {"injured": 3, "access_cut": True})):
            db.session.add(RapidAssessment(event_id=event_id, desa_code=code,
                                           assessed_on=TODAY - timedelta(days=day),
                                           recorded_by_id=actor, **counts))
        for members in (4, 2, 3):
            household = HouseholdAssessment(event_id=event_id, desa_code=desa,
                                            assessed_on=TODAY, head_name="Kepala",
                                            house_damage="rusak_berat", recorded_by_id=actor)
            household.members = [HouseholdMember(position=n, name=f"Anggota {n}", sex="P")
                                 for n in range(members)]
            db.session.add(household)
        db.session.commit()
        found = overview.affected(db.session, event_id)
    assert (found.desa_assessed, found.dead, found.displaced, found.injured,
            found.houses_heavy, found.desa_access_cut) == (2, 2, 150, 3, 12, 1)
    assert (found.households, found.members) == (3, 9)


def test_the_overview_reads_a_fixed_number_of_queries_whatever_the_posko_count(
        app, emergency, example):
    def statements():
        seen = []
        engine = db.engine

        def count(*_args):
            seen.append(1)

        sa_event.listen(engine, "before_cursor_execute", count)
        try:
            overview.event_needs(db.session, example["event"], today=TODAY)
        finally:
            sa_event.remove(engine, "before_cursor_execute", count)
        db.session.rollback()
        return len(seen)

    with app.app_context():
        few = statements()
    for n in range(6):
        posko = emergency.posko(example["event"], name=f"Posko {n}")
        with app.app_context():
            census(posko, male=n + 1, female=n, households=1)
            db.session.commit()
    with app.app_context():
        many = statements()
    assert many == few <= 15
