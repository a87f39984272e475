"""A small world in which every route can be called: one user per role, stock, documents.

Built once per database for the role matrix and the API fuzzer (each module keeps one app per
backend, so logins and tokens are made once). Built through the same factories as other tests
(`StockWorld`, `Auth`) and the real operations, and wiped at the end like any test's rows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from logistics.accounts import operations as accounts
from logistics.accounts.models import User
from logistics.accounts.roles import Role
from logistics.calendar import local_today
from logistics.core.identity import make_nik
from logistics.emergency import requests as emergency_requests
from logistics.roster import availability as roster_availability
from logistics.roster import dispatch as roster_dispatch
from logistics.roster import equipment as roster_equipment
from logistics.roster import skills as roster_skills
from logistics.roster import teams as roster_teams
from logistics.roster import volunteers as roster_volunteers
from logistics.stock import operations as stock_operations
from tests.accounts.factories import TEST_PASSWORD, Auth
from tests.app.world_slrt import build_slrt
from tests.conftest import _delete_all_rows, make_app
from tests.emergency.factories import EmergencyWorld
from tests.stock.factories import StockWorld

ANONYMOUS = "anonymous"
KEEPER_ELSEWHERE = "keeper_elsewhere"  # a warehouse keeper who does not keep the home warehouse
ROLES = tuple(role.value for role in Role)
IDENTITIES = (ANONYMOUS, *ROLES, KEEPER_ELSEWHERE)

TODAY = local_today()
BAST = {"recipient_kind": "other", "recipient_name": "Kantor Desa Kahyapu", "giver_name": "Siti",
        "receiver_name": "Rahmat"}


@dataclass
class World:
    """Ids of what the world holds, and each identity's username, token and page client."""

    app: object
    ids: dict[str, int] = field(default_factory=dict)
    usernames: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    fuzzing: str | None = None  # the operation the fuzzer is on, and how many cases it sent
    cases: int = 0

    def bearer(self, identity: str) -> dict:
        """The Authorization header of an identity (none for the anonymous one)."""
        token = self.tokens.get(identity)
        return {"Authorization": f"Bearer {token}"} if token else {}

    def user(self, session, identity: str) -> User:
        return session.scalar(select(User).where(User.username == self.usernames[identity]))

    def login(self, identity: str):
        """A fresh test client holding the identity's page session (anonymous: none)."""
        client = self.app.test_client()
        if identity != ANONYMOUS:
            response = Auth(client).login(self.usernames[identity])
            assert response.status_code == 302, f"{identity} could not log in"
        return client

    def restore_identities(self) -> None:
        """Give every identity back its role, its access and a working token.

        The fuzzer, acting as an admin, may deactivate users, change their roles or revoke
        tokens; the next test must still run as the role it names.
        """
        with self.app.app_context():
            for identity in (*ROLES, KEEPER_ELSEWHERE):
                user = self.user(db.session, identity)
                role = Role.WAREHOUSE_KEEPER if identity == KEEPER_ELSEWHERE else Role(identity)
                if user.role != role or not user.is_active:
                    user.role, user.is_active = role, True
                token_works = True
                try:
                    accounts.resolve_token(db.session, self.tokens[identity])
                except Exception:  # noqa: BLE001 - any refusal means: issue a new one
                    token_works = False
                if not token_works:
                    self.tokens[identity] = accounts.issue_token(
                        db.session, user=user, name="fuzz", valid_for=timedelta(days=1)).secret
            db.session.commit()


def build_world(app) -> World:
    """Users of every role, three warehouses, two items with stock, and posted documents.

    - ``home``: a central warehouse kept by the warehouse_keeper, with rice and soap;
    - ``elsewhere``: kept by keeper_elsewhere, with rice; a transfer from it to home is on the
      road (``transfer``);
    - ``spare``: kept by nobody, for the routes that change a warehouse's settings;
    - ``receipt``: a receipt posted in home; ``lot``: its rice lot;
    - ``spare_token_page`` / ``spare_token_api``: the admin's tokens the matrix revokes.
    """
    world = World(app=app)
    stock = StockWorld(app, itertools.count(1))
    with app.app_context():
        for identity in (*ROLES, KEEPER_ELSEWHERE):
            role = Role.WAREHOUSE_KEEPER.value if identity == KEEPER_ELSEWHERE else identity
            username = f"w_{identity}"
            accounts.create_user(db.session, username=username, full_name=f"World {identity}",
                                 role=role, password=TEST_PASSWORD)
            world.usernames[identity] = username
        db.session.commit()
    ids = world.ids
    ids["home"] = stock.warehouse(name="Gudang Rumah",
                                  keepers=[world.usernames[Role.WAREHOUSE_KEEPER]])
    ids["elsewhere"] = stock.warehouse(name="Gudang Lain",
                                       keepers=[world.usernames[KEEPER_ELSEWHERE]])
    ids["spare"] = stock.warehouse(name="Gudang Cadangan", kind="lumbung_sosial")
    ids["rice"] = stock.item(perishable=True, packs=[("karung", 25)], base_unit="kg")
    ids["soap"] = stock.item(category="kebersihan", base_unit="pcs")
    ids["lot"] = stock.receive(ids["home"], ids["rice"], 1_000, batch_no="HOME-1",
                               expires_on=TODAY + timedelta(days=300),
                               actor=world.usernames[Role.ADMIN])
    ids["soap_lot"] = stock.receive(ids["home"], ids["soap"], 1_000,
                                    actor=world.usernames[Role.ADMIN])
    ids["elsewhere_lot"] = stock.receive(ids["elsewhere"], ids["rice"], 1_000,
                                         batch_no="AWAY-1",
                                         expires_on=TODAY + timedelta(days=300),
                                         actor=world.usernames[Role.ADMIN])
    with app.app_context():
        admin = world.user(db.session, Role.ADMIN)
        receipt = stock_operations.receive_stock(
            db.session, actor=admin, warehouse_id=ids["home"],
            lines=[{"item_id": ids["soap"], "qty": 10}])
        transfer = stock_operations.transfer_stock(
            db.session, actor=admin, warehouse_id=ids["elsewhere"], to_warehouse_id=ids["home"],
            lines=[{"item_id": ids["rice"], "qty": 50, "lot_id": ids["elsewhere_lot"]}])
        for name in ("spare_token_page", "spare_token_api"):
            ids[name] = accounts.issue_token(db.session, user=admin, name=name,
                                             valid_for=timedelta(days=1)).token.id
        for identity in (*ROLES, KEEPER_ELSEWHERE):  # what POST /api/v1/auth/token issues
            world.tokens[identity] = accounts.issue_token(
                db.session, user=world.user(db.session, identity), name="world",
                valid_for=timedelta(days=1)).secret
        db.session.commit()
        ids["receipt"], ids["transfer"] = receipt.id, transfer.id
        ids["posko_staff_user"] = world.user(db.session, Role.POSKO_STAFF).id
        ids["keeper_elsewhere_user"] = world.user(db.session, KEEPER_ELSEWHERE).id
    _build_emergency(world, stock)
    _build_assessments(world)
    _build_roster(world)
    _build_deployment(world)
    build_slrt(world)
    return world


def _build_emergency(world: World, stock: StockWorld) -> None:
    """An event in tanggap darurat over the home kecamatan, with ``posko`` (staffed by the
    posko_staff identity), ``posko_unstaffed`` (staffed by nobody) and ``posko_spare`` (for
    the routes that close or change a posko)."""
    emergency = EmergencyWorld(world.app, stock)
    admin = world.usernames[Role.ADMIN]
    world.ids["event"] = emergency.event(actor=admin, status="tanggap_darurat")
    world.ids["posko"] = emergency.posko(world.ids["event"], actor=admin, name="Balai Desa",
                                         staff=[world.usernames[Role.POSKO_STAFF]])
    world.ids["posko_unstaffed"] = emergency.posko(world.ids["event"], actor=admin,
                                                   name="Masjid Raya", kind="dapur_umum")
    world.ids["posko_spare"] = emergency.posko(world.ids["event"], actor=admin, name="SD Negeri 1")
    _build_requests(world)


def _build_requests(world: World) -> None:
    """Requests of ``posko`` for the request routes: ``request_draft`` and ``request_to_cancel``
    (drafts), ``request_submitted`` (waiting for a decision) and ``request_approved`` (500 kg
    of rice approved, none delivered)."""
    ids = world.ids
    with world.app.app_context():
        staff = world.user(db.session, Role.POSKO_STAFF)
        admin = world.user(db.session, Role.ADMIN)
        lines = [{"item_id": ids["rice"], "qty": 500}]
        for name, submit in (("request_draft", False), ("request_to_cancel", False),
                             ("request_submitted", True), ("request_approved", True)):
            ids[name] = emergency_requests.request_stock(
                db.session, actor=staff, posko_id=ids["posko"], lines=lines, submit=submit).id
        approved = emergency_requests.approve_request(
            db.session, actor=admin, request_id=ids["request_approved"],
            lines=[{"line_id": line.id, "approved_qty": 500} for line in
                   emergency_requests.request_or_fail(db.session, ids["request_approved"]).lines])
        ids["request_approved_line"] = approved.lines[0].id
        ids["request_submitted_line"] = emergency_requests.request_or_fail(
            db.session, ids["request_submitted"]).lines[0].id
        db.session.commit()


def _build_assessments(world: World) -> None:
    """``household``: one assessed household of the event, for the routes that name one."""
    from logistics.emergency import assessments

    with world.app.app_context():
        household = assessments.record_household_assessment(
            db.session, actor=world.user(db.session, Role.ADMIN), event_id=world.ids["event"],
            desa_code=EmergencyWorld.DESA, assessed_on=TODAY, head_name="Ahmad Fauzi",
            kk_number="1703120202112254", head_nik="1703122707726875",
            house_damage="rusak_berat", members=[{"name": "Ahmad Fauzi", "sex": "L"}])
        db.session.commit()
        world.ids["household"] = household.id


def _build_roster(world: World) -> None:
    """``volunteer``: a Tagana living in the event's desa, leading regu ``team`` and with a
    period away already over (``past_period``); ``equipment``: a rubber boat; the skills
    catalogue."""
    with world.app.app_context():
        admin = world.user(db.session, Role.ADMIN)
        volunteer = roster_volunteers.register_volunteer(
            db.session, actor=admin, kind="tagana", nia="TGN-1703-0001", name="Relawan Dunia",
            nik=make_nik("17.03.01", date(1990, 4, 12), "M", 6001),
            home_desa_code=EmergencyWorld.DESA, phone="081234560001")
        boat = roster_equipment.register_equipment(db.session, actor=admin, code="PK-01",
                                            kind="perahu_karet", name="Perahu karet 1")
        roster_skills.seed_defaults(db.session)
        team = roster_teams.create_team(db.session, actor=admin, name="Regu Dunia",
                                        leader_id=volunteer.id)
        past = roster_availability.declare_unavailable(
            db.session, actor=admin, volunteer_id=volunteer.id,
            starts_on=TODAY - timedelta(days=20), ends_on=TODAY - timedelta(days=10))
        db.session.commit()
        world.ids["volunteer"], world.ids["equipment"] = volunteer.id, boat.id
        world.ids["team"], world.ids["past_period"] = team.id, past.id


def _build_deployment(world: World) -> None:
    """``deployment``: ``deployed_volunteer`` (not the world's volunteer, whom other routes
    dispatch) sent to ``posko`` from an hour ago for a day, not checked in yet: the routes
    that check in, out, end or cancel name it (the first to move it wins, later ones get a
    409, which the matrix counts as let through)."""
    with world.app.app_context():
        admin = world.user(db.session, Role.ADMIN)
        volunteer = roster_volunteers.register_volunteer(
            db.session, actor=admin, kind="sahabat_tagana", name="Relawan Posko",
            nik=make_nik("17.03.01", date(1995, 8, 17), "F", 6002),
            home_desa_code=EmergencyWorld.DESA, phone="081234560002")
        now = datetime.now(UTC).replace(microsecond=0)
        record = roster_dispatch.dispatch(
            db.session, actor=admin, posko_id=world.ids["posko"], starts_at=now - timedelta(
                hours=1), ends_at=now + timedelta(days=1),
            volunteers=[{"volunteer_id": volunteer.id, "role": "dapur umum"}])
        db.session.commit()
        world.ids["deployed_volunteer"] = volunteer.id
        world.ids["deployment"] = record.deployments[0].id


def world_fixture(database_url, **config):
    """Body of a module-scoped fixture: one app and one world per backend, wiped afterwards."""
    app = make_app(database_url, LOGIN_RATE_LIMIT="100000 per minute", **config)
    try:
        yield build_world(app)
    finally:
        _delete_all_rows(app)
