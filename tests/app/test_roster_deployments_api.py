"""Dispatch and deployments over the API: a dispatch posted once per Idempotency-Key, a clash
a 409 naming the deployment it meets with nothing written, 422s on their fields, the list
filtered and paged, check-in/check-out/end/cancel with their refusals, and the hours of an
event. Both databases."""

from __future__ import annotations

from datetime import timedelta

from app.extensions import db
from logistics.roster import dispatch_errors as errors
from logistics.roster.deployment_models import Deployment
from tests.app.pages import in_indonesian
from tests.roster.dispatch_factories import hours_from_now

DISPATCHES = "/api/v1/roster/dispatches"
DEPLOYMENTS = "/api/v1/roster/deployments"


def period(start: float, length: float) -> dict:
    starts, ends = hours_from_now(start, length)
    return {"starts_at": starts.isoformat(), "ends_at": ends.isoformat()}


def body(dispatching, volunteers=(), equipment=(), posko_id=None, **changes) -> dict:
    return {"posko_id": posko_id or dispatching.posko(), **period(0, 24),
            "volunteers": [{"volunteer_id": v, "role": "dapur umum"} for v in volunteers],
            "equipment": [{"equipment_id": e, "role": "evakuasi"} for e in equipment],
            **changes}


def headers(auth, dispatching, key=None) -> dict:
    found = auth.headers(dispatching.coordinator())
    return {**found, "Idempotency-Key": key} if key else found


def test_a_dispatch_retried_with_its_key_is_made_once(client, auth, dispatching):
    crew, boat = dispatching.volunteers(3), dispatching.equipment()
    sent = body(dispatching, crew, [boat], report_to="Pak Camat")
    first = client.post(DISPATCHES, json=sent, headers=headers(auth, dispatching, "hp-1"))
    assert first.status_code == 201, first.get_json()
    answer = first.get_json()
    assert answer["number"].startswith("DSP")
    assert [d["volunteer_id"] for d in answer["deployments"][:3]] == crew
    assert answer["deployments"][3]["equipment_id"] == boat
    for _ in range(3):
        again = client.post(DISPATCHES, json=sent, headers=headers(auth, dispatching, "hp-1"))
        assert again.status_code == 201
        assert again.get_json() == answer
    assert dispatching.counts() == (1, 4, 3)
    other = client.post(DISPATCHES, json={**sent, "notes": "lain"},
                        headers=headers(auth, dispatching, "hp-1"))
    assert other.status_code == 409
    assert dispatching.counts() == (1, 4, 3)


def test_a_clash_is_a_409_naming_the_deployment_it_meets_and_writes_nothing(
        client, auth, dispatching):
    budi, boat = dispatching.volunteer("Budi Santoso"), dispatching.equipment("Perahu Merah")
    first = client.post(DISPATCHES, json=body(dispatching, [budi], [boat]),
                        headers=headers(auth, dispatching))
    number = first.get_json()["number"]
    before = dispatching.counts()
    other = dispatching.volunteers(2)
    clash = client.post(DISPATCHES, json={**body(dispatching, [*other, budi]), **period(6, 24)},
                        headers=headers(auth, dispatching))
    assert clash.status_code == 409
    answer = clash.get_json()
    assert "Budi Santoso" in answer["message"]
    assert number in answer["message"]
    assert "Balai Desa" in answer["message"]
    assert list(answer["errors"]) == ["volunteers.2.volunteer_id"]
    boat_clash = client.post(DISPATCHES, json={**body(dispatching, [], [boat]),
                                               **period(23, 5)},
                             headers=headers(auth, dispatching))
    assert boat_clash.status_code == 409
    assert "Perahu Merah" in boat_clash.get_json()["message"]
    assert number in boat_clash.get_json()["message"]
    assert dispatching.counts() == before
    touching = client.post(DISPATCHES, json={**body(dispatching, [budi], [boat]),
                                             **period(24, 5)},
                           headers=headers(auth, dispatching))
    assert touching.status_code == 201  # half-open periods: back to back is no clash


def test_bad_input_is_a_422_on_each_field(client, auth, dispatching):
    budi = dispatching.volunteer()
    answer = client.post(DISPATCHES, json={"volunteers": [{"volunteer_id": budi}],
                                           "starts_at": "besok"},
                         headers=headers(auth, dispatching))
    assert answer.status_code == 422
    assert set(answer.get_json()["errors"]) == {"posko_id", "starts_at", "ends_at",
                                                "volunteers.0.role"}
    backwards = client.post(DISPATCHES, json={**body(dispatching, [budi]), **period(5, -2)},
                            headers=headers(auth, dispatching))
    assert backwards.status_code == 422
    assert list(backwards.get_json()["errors"]) == ["ends_at"]
    assert dispatching.counts() == (0, 0, 0)


def test_the_list_filters_by_event_posko_volunteer_and_live(client, auth, dispatching):
    posko, elsewhere = dispatching.posko(), dispatching.posko(name="Masjid")
    budi, siti, boat = dispatching.volunteer(), dispatching.volunteer(), dispatching.equipment()
    dispatching.send(volunteers=[{"volunteer_id": budi, "role": "logistik"}],
                     equipment=[{"equipment_id": boat, "role": "evakuasi"}])
    gone = dispatching.deployment_ids(dispatching.send(
        period=hours_from_now(30, 5), volunteers=[{"volunteer_id": siti, "role": "x"}]))[0]
    dispatching.send(posko_id=elsewhere, volunteers=[{"volunteer_id": siti, "role": "y"}])
    found = headers(auth, dispatching)

    def ids(**query):
        answer = client.get(DEPLOYMENTS, query_string=query, headers=found)
        assert answer.status_code == 200, answer.get_json()
        return [row["volunteer_id"] or -row["equipment_id"] for row in answer.get_json()["items"]]

    assert ids(posko_id=posko) == [budi, -boat, siti]
    assert ids(volunteer_id=siti) == [siti, siti]
    assert ids(equipment_id=boat) == [-boat]
    with dispatching.app.app_context():
        event_id = db.session.get(Deployment, gone).event_id
        db.session.get(Deployment, gone).status = "cancelled"
        db.session.commit()
    assert ids(event_id=event_id, active="true") == [budi, -boat]
    assert ids(event_id=event_id) == [budi, -boat, siti]
    first = client.get(DEPLOYMENTS, query_string={"limit": 2}, headers=found).get_json()
    rest = client.get(DEPLOYMENTS, query_string={"limit": 2, "after": first["next"]},
                      headers=found).get_json()
    assert len(first["items"]) == 2
    assert len(rest["items"]) == 2
    assert rest["next"] is None
    row = first["items"][0]
    assert row["posko_name"] == "Balai Desa"
    assert row["dispatch_number"].startswith("DSP")
    assert "nik" not in row
    assert "phone" not in row


def _one(dispatching, start=-3, length=24):
    volunteer = dispatching.volunteer("Rina")
    record = dispatching.send(period=hours_from_now(start, length),
                              volunteers=[{"volunteer_id": volunteer, "role": "psikososial"}])
    return volunteer, dispatching.deployment_ids(record)[0]


def test_check_in_out_and_their_refusals(app, client, auth, dispatching):
    found = headers(auth, dispatching)
    _, deployment = _one(dispatching)
    early_out = client.post(f"{DEPLOYMENTS}/{deployment}/check-out", headers=found)
    assert early_out.status_code == 409
    assert early_out.get_json()["message"] == in_indonesian(app, errors.NotCheckedIn())
    checked = client.post(f"{DEPLOYMENTS}/{deployment}/check-in", headers=found,
                          json={"at": (hours_from_now(-3, 1)[0]).isoformat()})
    assert checked.status_code == 200, checked.get_json()
    assert checked.get_json()["status"] == "checked_in"
    assert client.post(f"{DEPLOYMENTS}/{deployment}/check-in", headers=found).status_code == 409
    before_in = client.post(f"{DEPLOYMENTS}/{deployment}/check-out", headers=found,
                            json={"at": hours_from_now(-5, 1)[0].isoformat()})
    assert before_in.status_code == 422
    assert list(before_in.get_json()["errors"]) == ["at"]
    no_reason = client.post(f"{DEPLOYMENTS}/{deployment}/end", headers=found, json={})
    assert no_reason.status_code == 422
    assert "reason" in no_reason.get_json()["errors"]
    ended = client.post(f"{DEPLOYMENTS}/{deployment}/end", headers=found,
                        json={"reason": "Sakit"})
    assert ended.status_code == 200
    assert ended.get_json()["status"] == "ended"
    assert ended.get_json()["ended_reason"] == "Sakit"
    assert client.post(f"{DEPLOYMENTS}/999999/check-in", headers=found).status_code == 404


def test_cancel_frees_the_period_for_another_dispatch(client, auth, dispatching):
    found = headers(auth, dispatching)
    volunteer, deployment = _one(dispatching, start=2)
    again = body(dispatching, [volunteer])
    assert client.post(DISPATCHES, json=again, headers=found).status_code == 409
    cancelled = client.post(f"{DEPLOYMENTS}/{deployment}/cancel", headers=found,
                            json={"reason": "Tidak datang"})
    assert cancelled.get_json()["status"] == "cancelled"
    assert client.post(DISPATCHES, json=again, headers=found).status_code == 201


def test_hours_of_an_event_per_person_and_in_all(client, auth, dispatching):
    found = headers(auth, dispatching)
    rina, first = _one(dispatching, start=-5)
    second_volunteer = dispatching.volunteer("Agus")
    second = dispatching.deployment_ids(dispatching.send(
        period=hours_from_now(-5, 24),
        volunteers=[{"volunteer_id": second_volunteer, "role": "logistik"}]))[0]
    arrived = hours_from_now(-5, 1)[0]
    for deployment in (first, second):
        client.post(f"{DEPLOYMENTS}/{deployment}/check-in", headers=found,
                    json={"at": arrived.isoformat()})
    client.post(f"{DEPLOYMENTS}/{first}/check-out", headers=found,
                json={"at": (arrived + timedelta(hours=2, minutes=30)).isoformat()})
    with dispatching.app.app_context():
        event_id = db.session.get(Deployment, first).event_id
    answer = client.get(f"/api/v1/roster/events/{event_id}/hours", headers=found)
    assert answer.status_code == 200
    report = answer.get_json()
    people = {row["name"]: row for row in report["people"]}
    assert people["Rina"]["hours"] == 2.5
    assert 4 <= people["Agus"]["hours"] <= 5  # still there: counted until now (from 4-5 h ago)
    assert report["volunteers"] == 2
    assert report["hours"] == round(people["Rina"]["hours"] + people["Agus"]["hours"], 2)
    assert report["people"][0]["name"] == "Agus"  # most first
    assert client.get("/api/v1/roster/events/999999/hours", headers=found).status_code == 404


def test_who_may_not_dispatch_is_refused_and_nothing_is_written(
        client, auth, dispatching, make_user):
    make_user(role="leadership", username="kadis")
    budi = dispatching.volunteer()
    answer = client.post(DISPATCHES, json=body(dispatching, [budi]),
                         headers=auth.headers("kadis"))
    assert answer.status_code == 403
    assert client.get(DEPLOYMENTS, headers=auth.headers("kadis")).status_code == 200
    assert dispatching.counts() == (0, 0, 0)
