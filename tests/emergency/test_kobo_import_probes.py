"""Probes against the KoboToolbox / ODK import (issue 17), written the way assessors break it:
the same submission twice in one file, an edited submission pointing at another event's
household, two assessors importing one export at once, rows dated before the event or in the
future. Moved here from the general probe module once their defects were fixed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.calendar import local_today
from logistics.emergency import kobo
from logistics.emergency.assessment_models import HouseholdAssessment
from logistics.errors import Conflict

TODAY = local_today()


def _user(name):
    return account_queries.get_user_by_username(db.session, name)


HEADER = "_uuid,deprecatedID,desa_code,assessed_on,head_name,kk_number,house_damage\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(row + "\n" for row in rows)).encode()


def _import(app, event_id, content, username="emergency-admin"):
    with app.app_context():
        export = kobo.read_export(content, "export.csv")
        try:
            summary = kobo.import_households(db.session, actor=_user(username),
                                             event_id=event_id, export=export)
            db.session.commit()
            return summary
        except Exception:
            db.session.rollback()
            raise


def _households(app):
    with app.app_context():
        return sorted((h.event_id, h.submission_id, h.head_name, h.desa_code)
                      for h in db.session.scalars(select(HouseholdAssessment)))


def test_the_same_submission_twice_in_one_file_is_refused_whole(app, emergency):
    event = emergency.event()
    day = (TODAY - timedelta(days=1)).isoformat()
    row = f"uuid:aaa,,{emergency.DESA},{day},Budi,,berat"
    with pytest.raises(kobo.ImportInvalid) as refused:
        _import(app, event, _csv(row, f"uuid:bbb,,{emergency.DESA},{day},Sari,,ringan", row))
    assert [(p.row, p.column) for p in refused.value.problems] == [(4, "_uuid")]
    assert _households(app) == []


def test_an_edited_submission_cannot_take_over_a_household_of_another_event(app, emergency):
    """Event A imported submission X. A Kobo edit of X (new _uuid Y, deprecatedID X) is
    imported into event B: the household of event A must not be rewritten from B's file (its
    desa is then outside its own event's area, and B's staff edit A's records). Refused like
    a plain re-import into another event is."""
    a = emergency.event(name="Banjir A", region_codes=[emergency.DESA])
    b = emergency.event(name="Banjir B", region_codes=[emergency.OTHER_DESA])
    day = (TODAY - timedelta(days=1)).isoformat()
    _import(app, a, _csv(f"uuid:xxx,,{emergency.DESA},{day},Budi,,berat"))
    with pytest.raises(kobo.ImportInvalid):
        _import(app, b, _csv(f"uuid:yyy,uuid:xxx,{emergency.OTHER_DESA},{day},Sari,,ringan"))
    assert _households(app) == [(a, "xxx", "Budi", emergency.DESA)]


def test_two_assessors_importing_one_export_at_once_get_one_household_each(app, emergency):
    """Two assessors upload the same export at the same moment (a shared laptop, a double
    tap on a slow line). One household per submission results, and the other upload either
    updates it or is told to try again (a 409): never a 500 from the unique index."""
    event = emergency.event()
    day = (TODAY - timedelta(days=1)).isoformat()
    outcomes = []
    for round_ in range(3):
        content = _csv(*(f"uuid:r{round_}s{i},,{emergency.DESA},{day},Kepala {i},,ringan"
                         for i in range(30)))
        barrier = threading.Barrier(2)

        def one(_, content=content, barrier=barrier):
            with app.app_context():
                export = kobo.read_export(content, "export.csv")
                actor = _user("emergency-admin")
                db.session.rollback()  # no transaction open while waiting
                barrier.wait()
                try:
                    kobo.import_households(db.session, actor=actor, event_id=event,
                                           export=export)
                    db.session.commit()
                    return "ok"
                except Conflict as conflict:
                    db.session.rollback()
                    return type(conflict).__name__
                except Exception as error:  # noqa: BLE001  (what a 500 would be)
                    db.session.rollback()
                    return f"500 {type(error).__name__}"

        with ThreadPoolExecutor(2) as pool:
            outcomes += list(pool.map(one, range(2)))
    assert not [o for o in outcomes if o.startswith("500")], outcomes
    assert len(_households(app)) == 90


def test_an_import_dated_before_the_event_or_in_the_future_lists_both_rows(app, emergency):
    event = emergency.event(started_on=TODAY - timedelta(days=3))
    before = (TODAY - timedelta(days=4)).isoformat()
    future = (TODAY + timedelta(days=1)).isoformat()
    with pytest.raises(kobo.ImportInvalid) as refused:
        _import(app, event, _csv(f"uuid:a,,{emergency.DESA},{before},Budi,,berat",
                                 f"uuid:b,,{emergency.DESA},{future},Sari,,ringan",
                                 f"uuid:c,,{emergency.DESA},{TODAY.isoformat()},Ani,12AB,x"))
    found = {(p.row, p.column) for p in refused.value.problems}
    assert {(2, "assessed_on"), (3, "assessed_on"), (4, "kk_number"),
            (4, "house_damage")} <= found
    assert _households(app) == []

