"""Dispatch input shapes are built from the shared bounded fields (no database)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from marshmallow import ValidationError

from logistics.roster import dispatch_schemas
from tests.app.test_input_bounds import _unbounded

INPUTS = [dispatch_schemas.DispatchIn, dispatch_schemas.MomentIn, dispatch_schemas.EndIn,
          dispatch_schemas.CancelIn]


@pytest.mark.parametrize("schema", INPUTS, ids=lambda schema: schema.__name__)
def test_every_dispatch_input_uses_the_bounded_field_types(schema):
    assert _unbounded(schema) == []


def test_a_dispatch_body_loads_with_defaults_and_refuses_loose_types():
    loaded = dispatch_schemas.DispatchIn().load({
        "posko_id": 3, "starts_at": "2026-12-07T08:00:00+07:00",
        "ends_at": "2026-12-08T08:00:00",
        "volunteers": [{"volunteer_id": 5, "role": "dapur umum"}]})
    assert loaded["starts_at"] == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
    assert loaded["ends_at"].tzinfo is None  # local time: the operation reads it as WIB
    assert (loaded["equipment"], loaded["team_id"], loaded["report_to"]) == ([], None, None)
    with pytest.raises(ValidationError) as raised:
        dispatch_schemas.DispatchIn().load({
            "posko_id": "3", "starts_at": "2026-12-07T08:00:00", "ends_at": "x",
            "volunteers": [{"volunteer_id": 5, "role": ""}, {"volunteer_id": 1.5, "role": "a"}],
            "equipment": [{"equipment_id": 2, "role": "b" * 61}]})
    assert set(raised.value.messages) == {"posko_id", "ends_at", "volunteers", "equipment"}
    assert set(raised.value.messages["volunteers"]) == {0, 1}
    with pytest.raises(ValidationError):
        dispatch_schemas.DispatchIn().load({
            "posko_id": 3, "starts_at": "2026-12-07T08:00:00", "ends_at": "2026-12-08T08:00:00",
            "volunteers": [{"volunteer_id": n, "role": "a"} for n in range(1, 202)]})
