"""What the input-bounds tests share: a keeper and an admin with their tokens, a shelf of rice
the keeper keeps, and the refusal reader. Imported by the test modules for their fixtures."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from logistics.calendar import local_today
from logistics.stock.documents import Document

TODAY = local_today()
INT32_OVER = 2**31
INT64_OVER = 2**63
BAST = {"recipient_kind": "other", "recipient_name": "Kantor Desa Kahyapu", "giver_name": "Siti",
        "receiver_name": "Rahmat"}


@pytest.fixture(name="keeper")
def keeper_fixture(make_user, auth):
    username = make_user("warehouse_keeper")
    return username, auth.headers(username)


@pytest.fixture(name="admin")
def admin_fixture(make_user, auth):
    return auth.headers(make_user("admin"))


@pytest.fixture(name="shelf")
def shelf_fixture(stock, keeper):
    """A warehouse the keeper keeps, with 2,000 kg of rice in one lot (a karung is 25 kg)."""
    warehouse = stock.warehouse(keepers=[keeper[0]])
    rice = stock.item(perishable=True, packs=[("karung", 25)])
    lot = stock.receive(warehouse, rice, 2000, batch_no="R-1", expires_on=TODAY + timedelta(300))
    return {"warehouse": warehouse, "rice": rice, "lot": lot}


def documents(session) -> int:
    count = session.scalar(select(func.count(Document.id)))
    session.rollback()
    return count


def receipt(shelf, **line):
    return {"warehouse_id": shelf["warehouse"], "lines": [
        {"item_id": shelf["rice"], "expires_on": str(TODAY + timedelta(200)), **line}]}


def refused_on(response, field, status=422) -> list[str]:
    """The messages a refusal put on one field, after checking it was refused."""
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    errors = response.get_json()["errors"]
    assert field in errors, errors
    return errors[field]

