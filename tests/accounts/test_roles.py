"""Who may do what (no database)."""

import pytest

from logistics.accounts.roles import GRANTS, Permission, Role, role_can


def test_only_admins_manage_users():
    assert [r for r in Role if role_can(r, Permission.MANAGE_USERS)] == [Role.ADMIN]


def test_every_role_may_browse_regions():
    assert all(role_can(r, Permission.VIEW_REGIONS) for r in Role)


@pytest.mark.parametrize("role", [Role.LEADERSHIP, Role.POSKO_STAFF, Role.COORDINATOR,
                                  Role.WAREHOUSE_KEEPER, Role.ADMIN])
def test_personal_data_is_for_puskesos_staff_only(role):
    assert not role_can(role, Permission.VIEW_PERSONAL_DATA)


def test_unknown_role_holds_nothing():
    assert not any(role_can("superuser", p) for p in Permission)


def test_every_permission_is_granted_somewhere():
    assert set(GRANTS) == set(Permission)
