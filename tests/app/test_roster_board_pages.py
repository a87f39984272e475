"""The dispatch board and a posko's people page, as a coordinator and posko staff use them:
who is where and checked in, dispatching once per form token, a clash named beside its field,
the buttons with their readable refusals, hours served, and what posko staff never see.
Both databases."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from logistics.accounts import queries as account_queries
from logistics.emergency import access
from logistics.emergency.models import Posko
from logistics.roster import deployments
from logistics.roster import dispatch_errors as errors
from logistics.roster.deployment_models import Deployment
from logistics.roster.models import Volunteer
from tests.app.pages import in_indonesian
from tests.roster.dispatch_factories import hours_from_now

STAFF = "staf-posko"


def local_input(moment: datetime) -> str:
    """A moment as a datetime-local box holds it (the tests' zone is WIB, UTC+7)."""
    return (moment + timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M")


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.fixture
def scene(dispatching, make_user):
    """An event with two posko, the first staffed by STAFF: Budi checked in there and a boat,
    Siti due there later; Agus at the second."""
    make_user(role="posko_staff", username=STAFF)
    first = dispatching.posko()
    with dispatching.app.app_context():
        event_id = db.session.get(Posko, first).event_id
    second = dispatching.emergency.posko(event_id, name="Dapur Umum Pasar", kind="dapur_umum")
    with dispatching.app.app_context():  # STAFF staffs the first posko only
        access.set_staffed_posko(db.session, account_queries.get_user_by_username(
            db.session, STAFF), {first})
        db.session.commit()
    budi, siti = dispatching.volunteer("Budi Santoso"), dispatching.volunteer("Siti Aminah")
    agus, boat = dispatching.volunteer("Agus Salim"), dispatching.equipment("Perahu Merah")
    on_site = dispatching.send(period=hours_from_now(-4, 24), posko_id=first,
                               volunteers=[{"volunteer_id": budi, "role": "dapur umum"}],
                               equipment=[{"equipment_id": boat, "role": "evakuasi"}])
    later = dispatching.send(period=hours_from_now(3, 24), posko_id=first,
                             volunteers=[{"volunteer_id": siti, "role": "psikososial"}])
    dispatching.send(period=hours_from_now(0, 24), posko_id=second,
                     volunteers=[{"volunteer_id": agus, "role": "logistik"}])
    budi_deployment = dispatching.deployment_ids(on_site)[0]
    with dispatching.app.app_context():
        deployments.check_in(db.session, actor=account_queries.get_user_by_username(
            db.session, dispatching.coordinator()), deployment_id=budi_deployment,
            at=hours_from_now(-4, 1)[0])
        db.session.commit()
    return {"first": first, "second": second, "event": event_id, "budi": budi, "siti": siti,
            "agus": agus, "boat": boat, "budi_deployment": budi_deployment,
            "siti_deployment": dispatching.deployment_ids(later)[0],
            "on_site": dispatching.number(on_site)}


def board_url(scene) -> str:
    return f"/roster/events/{scene['event']}/board"


def section(page: str, posko_id: int) -> str:
    return page.split(f'data-testid="board-posko-{posko_id}"', 1)[1].split("</section>", 1)[0]


def test_the_board_shows_each_posko_with_who_is_there_and_who_checked_in(
        scene, dispatching, client, auth):
    auth.login(dispatching.coordinator())
    page = text_of(client.get(board_url(scene)))
    first, second = section(page, scene["first"]), section(page, scene["second"])
    assert "Budi Santoso" in first
    assert "Siti Aminah" in first
    assert "Perahu Merah" in first
    assert "Agus Salim" in second
    assert "Budi Santoso" not in second
    budi_row = first.split(f'data-deployment="{scene["budi_deployment"]}"')[1].split("</tr>")[0]
    assert "dapur umum" in budi_row
    assert 'data-testid="check-out-' in budi_row  # checked in: the next step is leaving
    siti_row = first.split(f'data-deployment="{scene["siti_deployment"]}"')[1].split("</tr>")[0]
    assert 'data-testid="check-in-' in siti_row
    assert scene["on_site"] in first
    assert page.count('name="csrf_token"') >= 5  # every button posts with its token
    hours = page.split('data-testid="hours"')[1].split("</table>")[0]
    assert "Budi Santoso" in hours
    assert "Siti Aminah" not in hours


def test_the_board_is_reached_from_the_event_the_posko_and_the_roster(
        scene, dispatching, client, auth):
    auth.login(dispatching.coordinator())
    event_page = client.get(f"/emergency/events/{scene['event']}").get_data(as_text=True)
    assert f'href="{board_url(scene)}"' in event_page
    posko_page = client.get(f"/emergency/posko/{scene['first']}").get_data(as_text=True)
    assert f'href="/roster/posko/{scene["first"]}/people"' in posko_page
    assert 'href="/roster/boards"' in client.get("/roster/volunteers").get_data(as_text=True)
    boards = client.get("/roster/boards").get_data(as_text=True)
    assert f'href="{board_url(scene)}"' in boards


def _form(dispatching, scene, token, **changes) -> dict:
    starts, ends = hours_from_now(30, 24)
    values = {"form_token": token, "posko_id": str(scene["second"]),
              "starts_at": local_input(starts), "ends_at": local_input(ends),
              "role": "dapur umum", "equipment_role": "evakuasi"}
    values.update(changes)
    return values


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Deployment))


def test_dispatching_from_the_board_posts_once_per_form_token(
        app, scene, dispatching, client, auth):
    auth.login(dispatching.coordinator())
    crew = dispatching.volunteers(2)
    before = _count(app)
    form = {**_form(dispatching, scene, "tok-board-1"),
            "volunteer_ids": [str(v) for v in crew]}
    first = client.post(f"/roster/events/{scene['event']}/dispatches", data=form)
    assert first.status_code == 302
    assert "dispatch=" in first.headers["Location"]
    for _ in range(3):  # a double tap, a resend after a lost answer
        again = client.post(f"/roster/events/{scene['event']}/dispatches", data=form)
        assert again.headers["Location"] == first.headers["Location"]
    assert _count(app) == before + 2
    shown = client.get(first.headers["Location"]).get_data(as_text=True)
    assert shown.count("https://wa.me/62") >= 2  # each message ready to send


def test_a_clash_on_the_board_names_the_deployment_beside_the_volunteers(
        app, scene, dispatching, client, auth):
    auth.login(dispatching.coordinator())
    before = _count(app)
    starts, ends = hours_from_now(2, 5)
    answer = client.post(f"/roster/events/{scene['event']}/dispatches", data={
        **_form(dispatching, scene, "tok-clash", starts_at=local_input(starts),
                ends_at=local_input(ends)),
        "volunteer_ids": [str(dispatching.volunteer()), str(scene["budi"])],
        "equipment_ids": [str(scene["boat"])]})
    assert answer.status_code == 409
    page = text_of(answer)
    volunteers_field = page.split('id="f-volunteer_ids"')[1].split("</select>")[1].split(
        "<label")[0]
    assert "Budi Santoso" in volunteers_field
    assert scene["on_site"] in volunteers_field
    equipment_field = page.split('id="f-equipment_ids"')[1].split("</select>")[1].split(
        "<label")[0]
    assert "Perahu Merah" in equipment_field
    assert scene["on_site"] in equipment_field
    assert _count(app) == before


def test_missing_fields_are_told_beside_them_and_nothing_is_written(
        app, scene, dispatching, client, auth):
    auth.login(dispatching.coordinator())
    before = _count(app)
    answer = client.post(f"/roster/events/{scene['event']}/dispatches", data={
        **_form(dispatching, scene, "tok-bad", role="", posko_id="", ends_at=""),
        "volunteer_ids": [str(dispatching.volunteer())]})
    assert answer.status_code == 422
    page = answer.get_data(as_text=True)
    for field in ("posko_id", "role", "ends_at"):
        assert f'id="f-{field}-error"' in page, field
    assert _count(app) == before


def _status(app, deployment_id) -> str:
    with app.app_context():
        return db.session.get(Deployment, deployment_id).status


def test_check_in_and_out_from_the_board_with_readable_refusals(
        app, scene, dispatching, client, auth):
    auth.login(dispatching.coordinator())
    siti = scene["siti_deployment"]
    early_out = client.post(f"/roster/deployments/{siti}/check-out")
    assert early_out.status_code == 409
    assert in_indonesian(app, errors.NotCheckedIn()) in text_of(early_out).split(
        f"row-error-{siti}")[1]
    for _ in range(2):  # the second tap finds it done and says so
        tapped = client.post(f"/roster/deployments/{siti}/check-in")
        assert tapped.status_code == 303
    assert _status(app, siti) == "checked_in"
    budi = scene["budi_deployment"]
    before_in = client.post(f"/roster/deployments/{budi}/check-out",
                            data={"at": local_input(hours_from_now(-6, 1)[0])})
    assert before_in.status_code == 422
    assert _status(app, budi) == "checked_in"
    no_reason = client.post(f"/roster/deployments/{budi}/end", data={"reason": " "})
    assert no_reason.status_code == 422
    ended = client.post(f"/roster/deployments/{budi}/end", data={"reason": "Sakit"})
    assert ended.status_code == 303
    assert _status(app, budi) == "ended"
    page = client.get(board_url(scene)).get_data(as_text=True)
    assert f'data-deployment="{budi}"' not in page  # gone from the board...
    hours = page.split('data-testid="hours"')[1].split("</table>")[0]
    assert "Budi Santoso" in hours  # ...its hours stay


def test_leadership_reads_the_board_without_buttons_and_may_not_press_them(
        scene, dispatching, client, auth, make_user):
    make_user(role="leadership", username="kadis")
    auth.login("kadis")
    page = client.get(board_url(scene)).get_data(as_text=True)
    assert "Budi Santoso" in page
    assert "check-in-" not in page
    assert 'data-testid="dispatch-form"' not in page
    assert client.post(f"/roster/deployments/{scene['siti_deployment']}/check-in"
                       ).status_code == 403


def test_posko_staff_see_names_roles_and_phones_at_their_posko_never_nik_or_home(
        app, scene, dispatching, client, auth):
    auth.login(STAFF)
    answer = client.get(f"/roster/posko/{scene['first']}/people")
    assert answer.status_code == 200
    page = text_of(answer)
    with app.app_context():
        people = {v.name: v for v in db.session.scalars(select(Volunteer))}
        desa = db.session.get(Posko, scene["first"]).desa.name
    for name in ("Budi Santoso", "Siti Aminah"):
        person = people[name]
        assert name in page
        assert f'href="tel:{person.phone}"' in page
        assert f"https://wa.me/{person.phone.lstrip('+')}" in page
        assert person.nik not in page
        assert person.nik[:4] + "*" not in page  # not even masked
    assert "Agus Salim" not in page  # at another posko
    assert "Perahu Merah" in page
    assert "NIK" not in page
    body = page.split('data-testid="posko-people"')[1]
    assert desa not in body.split("</table>")[0]  # nobody's home desa (it is the posko's too)
    posko_page = client.get(f"/emergency/posko/{scene['first']}").get_data(as_text=True)
    assert f'href="/roster/posko/{scene["first"]}/people"' in posko_page


def test_posko_staff_may_not_open_another_posko_s_people(scene, client, auth):
    auth.login(STAFF)
    assert client.get(f"/roster/posko/{scene['second']}/people").status_code == 403
    other = client.get(f"/emergency/posko/{scene['second']}").get_data(as_text=True)
    assert f"/roster/posko/{scene['second']}/people" not in other
    assert client.get(board_url(scene)).status_code == 403
