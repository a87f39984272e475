"""The stock demo a new user meets after `make run`: it must show every kind of alert."""

from sqlalchemy import func, select

from logistics.calendar import local_today
from logistics.stock import alerts, queries
from logistics.stock.models import Item, Warehouse
from logistics.stock.verify import balance_mismatches
from seeds import demo
from seeds.catalogue import KEMENSOS_ITEMS
from tests.accounts.factories import TEST_PASSWORD


def test_demo_stock_shows_a_kabupatens_working_months(session):
    demo.load_demo(session, region_code="17.03", password=TEST_PASSWORD)
    session.commit()
    today = local_today()
    warehouses = list(session.scalars(select(Warehouse)))
    assert len(warehouses) == 6
    assert "Enggano" in {w.name.split()[-1] for w in warehouses}
    assert session.scalar(select(func.count()).select_from(Item)) == len(KEMENSOS_ITEMS)
    windows = {lot.window for lot in alerts.expiring_lots(session, today=today)}
    assert windows == {0, 30, 60, 90}
    assert [low.item.code for low in alerts.items_under_minimum(session)] == ["BRS"]
    assert len(queries.list_documents(session, kind="transfer", status="in_transit")) == 1
    assert balance_mismatches(session) == []


def test_seed_demo_if_empty_adds_nothing_the_second_time(app, runner, session):
    assert runner.invoke(args=["seed-demo", "--if-empty"]).exit_code == 0
    documents = session.scalar(select(func.count()).select_from(Warehouse))
    session.rollback()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "Demo loaded" not in result.output
    assert session.scalar(select(func.count()).select_from(Warehouse)) == documents
