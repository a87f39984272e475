"""The emergency gate is the domain's rule: no caller can forget it (issue 14, finding 11)."""

from datetime import date

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from logistics.accounts.models import User
from logistics.core.settings import DEFAULTS, settings_for
from logistics.stock import errors, operations

TODAY = date(2026, 11, 24)
BAST = {"recipient_kind": "other", "recipient_name": "Kantor Desa Enggano", "giver_name": "Andi",
        "receiver_name": "Budi", "witness_name": "Citra"}


def _release(session, user, warehouse, item, **fields):
    return operations.issue_stock(session, actor=user, warehouse_id=warehouse, today=TODAY,
                                  lines=[{"item_id": item, "qty": 1}], **{**BAST, **fields})


@pytest.fixture
def world(session, stock, make_user):
    site, central, rice = stock.warehouse(kind="lumbung_sosial"), stock.warehouse(), stock.item()
    stock.receive(site, rice, 10)
    stock.receive(central, rice, 10)
    user = session.scalar(select(User).where(User.username == make_user("admin")))
    return user, site, central, rice


def test_a_caller_that_says_nothing_gets_the_gate(session, world):
    user, site, central, rice = world
    with pytest.raises(errors.AuthorityRequired) as refused:
        _release(session, user, site, rice)
    assert refused.value.field == "authority_ref"
    session.rollback()
    _release(session, user, central, rice)  # the central gudang is not a lumbung sosial
    document = _release(session, user, site, rice,
                        authority_ref="SK Bupati 360/12/2026 status tanggap darurat")
    session.commit()
    assert document.authority_ref.startswith("SK Bupati")


def test_the_gate_cannot_be_switched_off_by_an_argument(session, world):
    user, site, _, rice = world
    with pytest.raises(TypeError):
        _release(session, user, site, rice, emergency_gate=False)


def test_an_engine_nobody_configured_keeps_the_strict_default():
    with Session(create_engine("sqlite://")) as plain:
        assert settings_for(plain) == DEFAULTS
        assert settings_for(plain).stock_emergency_gate is True


class TestGateOffBySetting:
    @pytest.fixture
    def app_config(self):
        return {"STOCK_EMERGENCY_GATE": False}

    def test_the_setting_turns_it_off_for_every_caller(self, session, world):
        user, site, _, rice = world
        document = _release(session, user, site, rice)
        session.commit()
        assert document.authority_ref is None
