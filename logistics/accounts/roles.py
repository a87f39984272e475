"""Roles and the permissions they grant: the single place that decides who may do what."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"  # Tagana coordinator
    WAREHOUSE_KEEPER = "warehouse_keeper"
    POSKO_STAFF = "posko_staff"
    PUSKESOS_FRONT = "puskesos_front"
    PUSKESOS_BACK = "puskesos_back"
    PUSKESOS_MANAGER = "puskesos_manager"
    LEADERSHIP = "leadership"  # Kepala Dinas: reads everything, changes nothing


class Permission(StrEnum):
    MANAGE_USERS = "manage_users"
    MANAGE_REGIONS = "manage_regions"
    VIEW_REGIONS = "view_regions"
    VIEW_PERSONAL_DATA = "view_personal_data"  # unmasked NIK / No. KK
    VIEW_STOCK = "view_stock"
    POST_STOCK = "post_stock"  # keepers: only in their assigned warehouses (logistics.stock.access)
    MANAGE_STOCK_SETUP = "manage_stock_setup"  # warehouses, catalogue, keepers, imports
    VIEW_EMERGENCY = "view_emergency"  # events, posko, censuses, assessments, requests
    MANAGE_EVENTS = "manage_events"  # open events, record their SK, open and close posko
    RECORD_POSKO = "record_posko"  # census and requests: posko staff only at their posko
    RECORD_ASSESSMENTS = "record_assessments"  # kaji cepat and households, and their imports
    DECIDE_REQUESTS = "decide_requests"  # approve (possibly less) or reject a posko's request
    MANAGE_STANDARDS = "manage_standards"  # the Sphere table the needs are computed from
    VIEW_ROSTER = "view_roster"  # volunteers, skills, trainings, equipment, deployments
    MANAGE_ROSTER = "manage_roster"  # register volunteers, trainings, regu, equipment, imports
    DISPATCH = "dispatch"  # send volunteers and equipment to posko, check them in and out
    # who is deployed at a posko, with roles and phones (never NIK nor home): posko staff
    # only at the posko they staff
    VIEW_POSKO_PEOPLE = "view_posko_people"
    # SLRT: households and cases; Puskesos staff only in the Puskesos they work for
    VIEW_CASES = "view_cases"
    REGISTER_CASES = "register_cases"  # front office: households, members, complaints
    HANDLE_CASES = "handle_cases"  # back office: verify, check the register, recommend
    DECIDE_CASES = "decide_cases"  # manager: decide referrals, sign letters, close
    EXPORT_PERSONAL_DATA = "export_personal_data"  # lists with NIK / No. KK in full
    MANAGE_PROGRAMMES = "manage_programmes"  # programmes, intake conditions, step limits
    VIEW_AUDIT_TRAIL = "view_audit_trail"  # who saw or changed a household's personal data


ALL_ROLES = frozenset(Role)

GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.MANAGE_USERS: frozenset({Role.ADMIN}),
    Permission.MANAGE_REGIONS: frozenset({Role.ADMIN}),
    Permission.VIEW_REGIONS: ALL_ROLES,
    Permission.VIEW_PERSONAL_DATA: frozenset(
        {Role.PUSKESOS_FRONT, Role.PUSKESOS_BACK, Role.PUSKESOS_MANAGER}
    ),
    Permission.VIEW_STOCK: frozenset(
        {Role.ADMIN, Role.COORDINATOR, Role.WAREHOUSE_KEEPER, Role.POSKO_STAFF, Role.LEADERSHIP}
    ),
    Permission.POST_STOCK: frozenset({Role.ADMIN, Role.COORDINATOR, Role.WAREHOUSE_KEEPER}),
    Permission.MANAGE_STOCK_SETUP: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Permission.VIEW_EMERGENCY: frozenset(
        {Role.ADMIN, Role.COORDINATOR, Role.WAREHOUSE_KEEPER, Role.POSKO_STAFF, Role.LEADERSHIP}
    ),
    Permission.MANAGE_EVENTS: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Permission.RECORD_POSKO: frozenset({Role.ADMIN, Role.COORDINATOR, Role.POSKO_STAFF}),
    Permission.RECORD_ASSESSMENTS: frozenset({Role.ADMIN, Role.COORDINATOR, Role.POSKO_STAFF}),
    Permission.DECIDE_REQUESTS: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Permission.MANAGE_STANDARDS: frozenset({Role.ADMIN}),
    Permission.VIEW_ROSTER: frozenset({Role.ADMIN, Role.COORDINATOR, Role.LEADERSHIP}),
    Permission.MANAGE_ROSTER: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Permission.DISPATCH: frozenset({Role.ADMIN, Role.COORDINATOR}),
    Permission.VIEW_POSKO_PEOPLE: frozenset(
        {Role.ADMIN, Role.COORDINATOR, Role.POSKO_STAFF, Role.LEADERSHIP}
    ),
    Permission.VIEW_CASES: frozenset({Role.ADMIN, Role.PUSKESOS_FRONT, Role.PUSKESOS_BACK,
                                      Role.PUSKESOS_MANAGER, Role.LEADERSHIP}),
    Permission.REGISTER_CASES: frozenset({Role.ADMIN, Role.PUSKESOS_FRONT}),
    Permission.HANDLE_CASES: frozenset({Role.ADMIN, Role.PUSKESOS_BACK}),
    Permission.DECIDE_CASES: frozenset({Role.ADMIN, Role.PUSKESOS_MANAGER}),
    Permission.EXPORT_PERSONAL_DATA: frozenset({Role.PUSKESOS_BACK, Role.PUSKESOS_MANAGER}),
    Permission.MANAGE_PROGRAMMES: frozenset({Role.ADMIN}),
    # The manager answers a citizen's "who looked at my family's data?"; admin for support.
    Permission.VIEW_AUDIT_TRAIL: frozenset({Role.ADMIN, Role.PUSKESOS_MANAGER}),
}

PUSKESOS_ROLES = (Role.PUSKESOS_FRONT, Role.PUSKESOS_BACK, Role.PUSKESOS_MANAGER)


class Scope(StrEnum):
    """Where a scoped grant holds; each module adds its own (posko, desa, team, puskesos)."""

    WAREHOUSE = "warehouse"
    POSKO = "posko"
    PUSKESOS = "puskesos"


# A role listed here holds the permission only within its scope (the objects it is assigned
# to); every other role granted the permission holds it everywhere. Which objects a user is
# assigned to is each module's data, answered through `logistics.accounts.scopes`.
SCOPED: dict[Permission, dict[Role, Scope]] = {
    Permission.POST_STOCK: {Role.WAREHOUSE_KEEPER: Scope.WAREHOUSE},
    # Posko staff count and ask at the posko they staff, and assess in those posko's events.
    Permission.RECORD_POSKO: {Role.POSKO_STAFF: Scope.POSKO},
    Permission.RECORD_ASSESSMENTS: {Role.POSKO_STAFF: Scope.POSKO},
    # Posko staff call the volunteers at their own posko, not at every posko.
    Permission.VIEW_POSKO_PEOPLE: {Role.POSKO_STAFF: Scope.POSKO},
    # Puskesos staff see and act on the households of the Puskesos they work for (a manager
    # given every Puskesos of a kecamatan is its supervisor).
    **{permission: dict.fromkeys(PUSKESOS_ROLES, Scope.PUSKESOS) for permission in (
        Permission.VIEW_CASES, Permission.REGISTER_CASES, Permission.HANDLE_CASES,
        Permission.DECIDE_CASES, Permission.EXPORT_PERSONAL_DATA,
        Permission.VIEW_AUDIT_TRAIL)},
}


def scope_of(role: str | Role, permission: Permission) -> Scope | None:
    """The scope limiting a role's permission, or None when it holds everywhere."""
    try:
        return SCOPED.get(permission, {}).get(Role(role))
    except ValueError:
        return None


def role_scopes(role: str | Role) -> frozenset[Scope]:
    """Every scope limiting some permission of the role (a keeper: the warehouses)."""
    try:
        role = Role(role)
    except ValueError:
        return frozenset()
    return frozenset(per_role[role] for per_role in SCOPED.values() if role in per_role)


def scoped_scopes() -> list[Scope]:
    """Every scope some role is limited to, in declared order: each is assigned per user."""
    return [scope for scope in Scope
            if any(scope in per_role.values() for per_role in SCOPED.values())]


def role_can(role: str | Role, permission: Permission) -> bool:
    """Answer whether a role holds a permission; unknown roles hold none."""
    try:
        return Role(role) in GRANTS[permission]
    except ValueError:
        return False
