"""Dispatch suggestions over the API and on the page, on both databases: validation with a
message per field, reasons in the reader's language, no NIK anywhere, and the page's
dispatch-from-suggestions flow (a double submit posts once; someone booked meanwhile is a
readable 409 naming the clashing dispatch)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from logistics.calendar import local_time
from logistics.roster.deployment_models import Deployment, Dispatch
from tests.roster.suggestion_factories import next_day_period

URL = "/api/v1/roster/suggestions"


def body(posko_id, skills=None, equipment=None, period=None):
    starts_at, ends_at = period or next_day_period()
    return {"posko_id": posko_id, "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "need": {"skills": skills or {}, "equipment": equipment or {}}}


def test_the_api_ranks_with_reasons_in_the_readers_language_and_never_shows_a_nik(
        client, auth, suggesting, dispatching):
    posko = suggesting.posko()
    cook = suggesting.volunteer({"dapur_umum": 3}, km=12.5, name="Siti Aminah")
    helper = suggesting.volunteer({"dapur_umum": 1}, km=3)
    boat = suggesting.boat()
    headers = auth.headers(dispatching.coordinator()) | {"Accept-Language": "id"}
    response = client.post(URL, headers=headers, json=body(
        posko, {"dapur_umum": 1}, {"perahu_karet": 1}))
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    (kitchen,) = answer["skills"]
    assert [c["volunteer_id"] for c in kitchen["candidates"]] == [cook, helper]
    first = kitchen["candidates"][0]
    assert first["score"] == sum(r["points"] for r in first["reasons"])
    assert {"code": "distance", "text": "Tinggal 12,5 km dari posko", "points": -6} in first[
        "reasons"]
    assert kitchen["proposed"] == [cook]
    assert answer["proposal"] == {
        "volunteers": [{"volunteer_id": cook, "skill_code": "dapur_umum", "role": "Dapur umum"}],
        "equipment": [{"equipment_id": boat, "role": "perahu karet"}]}
    text = response.get_data(as_text=True)
    assert "nik" not in text.lower()
    assert "170302" not in text  # the factory's NIKs begin so
    assert "home_l" not in text


def test_bad_input_is_a_422_on_its_field(client, auth, suggesting, dispatching, app):
    posko = suggesting.posko()
    headers = auth.headers(dispatching.coordinator())
    cases = [  # the messages in Indonesian, the default language
        (body(posko, {"masak": 2}), "need.skills.masak", "Keahlian tidak ditemukan: masak."),
        (body(posko, {"dapur_umum": 0}), "need.skills.dapur_umum.value",
         "Bilangan bulat dari 1 sampai 50."),
        (body(posko, {"dapur_umum": "2"}), "need.skills.dapur_umum.value", None),
        (body(posko, equipment={"kapal_selam": 1}), "need.equipment.kapal_selam.key",
         "Bukan salah satu pilihan."),
        (body(posko), "need.skills", None),
        (body(posko, {"dapur_umum": 1}, period=next_day_period()[::-1]), "ends_at",
         "Waktu selesai harus sesudah waktu mulai."),
    ]
    for payload, field, message in cases:
        response = client.post(URL, headers=headers, json=payload)
        assert response.status_code == 422, (payload, response.get_json())
        errors = response.get_json()["errors"]
        assert field in errors, (field, errors)
        if message:
            assert errors[field] == [message]
    closed = dispatching.emergency.posko(dispatching.emergency.event(), name="Posko tutup",
                                         opened_on=local_time(next_day_period()[0]).date()
                                         - timedelta(days=5))
    with app.app_context():
        from app.extensions import db
        from logistics.emergency.models import Posko
        db.session.get(Posko, closed).closed_on = local_time(
            next_day_period()[0]).date() - timedelta(days=1)
        db.session.commit()
    response = client.post(URL, headers=headers, json=body(closed, {"dapur_umum": 1}))
    assert response.status_code == 422
    assert list(response.get_json()["errors"]) == ["posko_id"]


def test_posko_staff_may_not_ask_for_suggestions(client, auth, suggesting, dispatching):
    staff = dispatching.coordinator("staf-posko-saran", role="posko_staff")
    response = client.post(URL, headers=auth.headers(staff),
                           json=body(suggesting.posko(), {"dapur_umum": 1}))
    assert response.status_code == 403


def _counts(session):
    counts = (session.scalar(select(func.count(Dispatch.id))),
              session.scalar(select(func.count(Deployment.id))))
    session.rollback()
    return counts


def _page_form(client, posko, period, **counts):
    start, end = (local_time(moment).strftime("%Y-%m-%dT%H:%M") for moment in period)
    query = {"starts_at": start, "ends_at": end, **counts}
    return client.get(f"/roster/posko/{posko}/suggestions", query_string=query)


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def test_the_page_dispatches_the_chosen_once_and_shows_a_wa_link_per_person(
        client, auth, suggesting, dispatching, session):
    posko = suggesting.posko()
    cooks = [suggesting.volunteer({"dapur_umum": 2}, km=km, name=f"Juru masak {km}")
             for km in (2, 4, 6)]
    counsellor = suggesting.volunteer({"ldp": 3}, km=8, name="Dewi Konselor")
    auth.login(dispatching.coordinator())
    period = next_day_period()
    page = _page_form(client, posko, period, **{"skill-dapur_umum": "2", "skill-ldp": "1"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for proposed in (cooks[0], cooks[1]):
        assert re.search(rf'value="{proposed}:dapur_umum" id="[^"]+" checked', html)
    assert not re.search(rf'value="{cooks[2]}:dapur_umum" id="[^"]+" checked', html)
    assert "Tinggal 2,0 km dari posko" in html
    form = {"csrf_token": "", "form_token": _hidden(html, "form_token"),
            "starts_at": _hidden(html, "starts_at"), "ends_at": _hidden(html, "ends_at"),
            "skill-dapur_umum": "2", "skill-ldp": "1", "report_to": "Pak Rahmat",
            # the coordinator swaps the second cook for the third and keeps the counsellor
            "volunteer": [f"{cooks[0]}:dapur_umum", f"{cooks[2]}:dapur_umum",
                          f"{counsellor}:ldp"]}
    before = _counts(session)
    url = f"/roster/posko/{posko}/suggestions"
    first = client.post(url, data=form)
    again = client.post(url, data=form)  # the double tap
    assert first.status_code == again.status_code == 200
    assert _counts(session) == (before[0] + 1, before[1] + 3)
    sent = first.get_data(as_text=True)
    assert sent == again.get_data(as_text=True)
    links = re.findall(r'href="(https://wa\.me/[^"]+)"', sent)
    assert len(links) == 3
    assert all("Pak%20Rahmat" in link for link in links)
    rows = session.execute(select(Deployment.volunteer_id, Deployment.skill_code, Deployment.role)
                           .order_by(Deployment.id)).all()
    session.rollback()
    assert rows[-3:] == [(cooks[0], "dapur_umum", "Dapur umum"),
                         (cooks[2], "dapur_umum", "Dapur umum"),
                         (counsellor, "ldp", "Layanan dukungan psikososial")]


def test_someone_booked_meanwhile_is_a_readable_409_and_nothing_is_dispatched(
        client, auth, suggesting, dispatching, session):
    posko = suggesting.posko()
    taken = suggesting.volunteer({"logistik": 3}, km=1, name="Budi Cepat")
    other = suggesting.volunteer({"logistik": 1}, km=1)
    auth.login(dispatching.coordinator())
    period = next_day_period()
    html = _page_form(client, posko, period, **{"skill-logistik": "2"}).get_data(as_text=True)
    meanwhile = dispatching.send(period=period, volunteers=[
        {"volunteer_id": taken, "role": "logistik"}])  # another coordinator was quicker
    before = _counts(session)
    response = client.post(f"/roster/posko/{posko}/suggestions", data={
        "form_token": _hidden(html, "form_token"), "starts_at": _hidden(html, "starts_at"),
        "ends_at": _hidden(html, "ends_at"), "skill-logistik": "2",
        "volunteer": [f"{taken}:logistik", f"{other}:logistik"]})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'data-testid="dispatch-problems"' in page
    assert "Budi Cepat" in page
    assert dispatching.number(meanwhile) in page
    assert _counts(session) == before
    # the fresh list below no longer offers the one booked meanwhile
    assert f'value="{taken}:logistik"' not in page
    assert f'value="{other}:logistik"' in page


def test_the_page_shows_a_typed_count_error_beside_its_field(client, auth, suggesting,
                                                             dispatching):
    posko = suggesting.posko()
    auth.login(dispatching.coordinator())
    response = _page_form(client, posko, next_day_period(), **{"skill-dapur_umum": "banyak"})
    assert response.status_code == 422
    assert 'id="need-skills-dapur_umum-error"' in response.get_data(as_text=True)


def test_back_to_the_suggestions_and_dispatch_again_shows_the_first_dispatch(
        client, auth, suggesting, dispatching, session):
    """The back button asks for the same address again; its fresh candidates (the first are
    booked now) must not go out as a second dispatch. Asking anew from the need form may."""
    posko = suggesting.posko()
    for km in (2, 4, 6, 8):
        suggesting.volunteer({"dapur_umum": 2}, km=km, name=f"Juru masak {km}")
    auth.login(dispatching.coordinator())
    period = next_day_period()
    need = _hidden(_page_form(client, posko, period).get_data(as_text=True), "token")
    assert _hidden(_page_form(client, posko, period).get_data(as_text=True), "token") != need

    def dispatch_from(html: str):
        chosen = re.findall(r'name="volunteer" value="([^"]+)" id="[^"]+" checked', html)
        assert len(chosen) == 2
        return client.post(f"/roster/posko/{posko}/suggestions", data={
            "csrf_token": "", "form_token": _hidden(html, "form_token"),
            "starts_at": _hidden(html, "starts_at"), "ends_at": _hidden(html, "ends_at"),
            "skill-dapur_umum": "2", "volunteer": chosen})

    before = _counts(session)
    shown = _page_form(client, posko, period, token=need, **{"skill-dapur_umum": "2"})
    first = dispatch_from(shown.get_data(as_text=True))
    number = re.search(r"DSP-\d{4}-\d+", first.get_data(as_text=True)).group()
    back = _page_form(client, posko, period, token=need, **{"skill-dapur_umum": "2"})
    assert _hidden(back.get_data(as_text=True), "form_token") == _hidden(
        shown.get_data(as_text=True), "form_token")
    again = dispatch_from(back.get_data(as_text=True))  # the next two, preselected now
    assert again.status_code == 200
    assert number in again.get_data(as_text=True)
    assert _counts(session) == (before[0] + 1, before[1] + 2)
    anew = _page_form(client, posko, period, token="not-a-token", **{"skill-dapur_umum": "2"})
    second = dispatch_from(anew.get_data(as_text=True))
    assert second.status_code == 200
    assert number not in second.get_data(as_text=True)
    assert _counts(session) == (before[0] + 2, before[1] + 4)
