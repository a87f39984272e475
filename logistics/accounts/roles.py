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


ALL_ROLES = frozenset(Role)

GRANTS: dict[Permission, frozenset[Role]] = {
    Permission.MANAGE_USERS: frozenset({Role.ADMIN}),
    Permission.MANAGE_REGIONS: frozenset({Role.ADMIN}),
    Permission.VIEW_REGIONS: ALL_ROLES,
    Permission.VIEW_PERSONAL_DATA: frozenset(
        {Role.PUSKESOS_FRONT, Role.PUSKESOS_BACK, Role.PUSKESOS_MANAGER}
    ),
}


def role_can(role: str | Role, permission: Permission) -> bool:
    """Answer whether a role holds a permission; unknown roles hold none."""
    try:
        return Role(role) in GRANTS[permission]
    except ValueError:
        return False
