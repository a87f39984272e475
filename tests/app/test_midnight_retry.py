"""A retry after midnight WIB is still a replay (docs/conventions.md, atomic.idempotent):
the same key and the same body return the document the first try created. The new
schema-level and form-level rules read the clock before the replay is looked up."""

from datetime import timedelta

from sqlalchemy import func, select

from logistics import calendar
from logistics.stock.documents import Document

TODAY = calendar.local_today()


def documents(session) -> int:
    count = session.scalar(select(func.count(Document.id)))
    session.rollback()
    return count


def after_midnight(monkeypatch):
    """The clock moves to the next day in the field's zone, for every module reading it."""
    tomorrow = TODAY + timedelta(days=1)
    import app.stock.posting
    import logistics.stock.operations
    import logistics.stock.schemas
    for module in (calendar, app.stock.posting, logistics.stock.schemas,
                   logistics.stock.operations):
        monkeypatch.setattr(module, "local_today", lambda: tomorrow)


def test_api_receipt_retry_after_midnight_replays_when_expiry_was_today(
        client, stock, auth, keeper, session, monkeypatch):
    warehouse = stock.warehouse(keepers=[keeper])
    milk = stock.item(perishable=True)
    headers = {**auth.headers(keeper), "Idempotency-Key": "rcpt-midnight-1"}
    body = {"warehouse_id": warehouse, "document_date": str(TODAY),
            "lines": [{"item_id": milk, "qty": 12, "expires_on": str(TODAY)}]}
    first = client.post("/api/v1/stock/receipts", headers=headers, json=body)
    assert first.status_code == 201, first.get_json()
    before = documents(session)

    after_midnight(monkeypatch)
    retry = client.post("/api/v1/stock/receipts", headers=headers, json=body)
    assert retry.status_code in (200, 201), retry.get_json()
    assert retry.get_json()["id"] == first.get_json()["id"]
    assert documents(session) == before
    assert stock.on_hand(warehouse, milk) == 12


def test_issue_form_resent_after_midnight_lands_on_the_same_document_when_lot_expired_at_midnight(
        client, stock, keeper, session, monkeypatch):
    warehouse = stock.warehouse(keepers=[keeper])
    milk = stock.item(perishable=True)
    lot = stock.receive(warehouse, milk, 30, batch_no="SUSU-1", expires_on=TODAY)
    url = f"/stock/warehouses/{warehouse}/issue"
    form = {"form_token": "issue-midnight-1", "recipient_kind": "other",
            "recipient_name": "Kantor Desa", "giver_name": "A", "receiver_name": "B",
            "document_date": str(TODAY),
            "item_id": [str(milk)], "lot_id": [str(lot)], "qty": ["5"]}
    first = client.post(url, data=form)
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    before = documents(session)

    after_midnight(monkeypatch)
    again = client.post(url, data=form)  # a double tap that reached the server at 00:00:01
    assert again.status_code == 302, again.status_code
    assert again.headers["Location"] == first.headers["Location"]
    assert documents(session) == before
    assert stock.on_hand(warehouse, milk) == 25
