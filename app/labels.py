"""Display names for domain enums, translated in the web layer."""

from flask_babel import lazy_gettext as _l

from logistics.accounts.roles import Role

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.COORDINATOR: _l("Tagana coordinator"),
    Role.WAREHOUSE_KEEPER: _l("Warehouse keeper"),
    Role.POSKO_STAFF: _l("Posko staff"),
    Role.PUSKESOS_FRONT: _l("Puskesos front office"),
    Role.PUSKESOS_BACK: _l("Puskesos back office"),
    Role.PUSKESOS_MANAGER: _l("Puskesos manager"),
    Role.LEADERSHIP: _l("Leadership (Kepala Dinas)"),
}

REGION_KIND_LABELS = {
    "provinsi": _l("Province"),
    "kabupaten": _l("Regency (kabupaten)"),
    "kota": _l("City (kota)"),
    "kecamatan": _l("Kecamatan"),
    "desa": _l("Desa"),
    "kelurahan": _l("Kelurahan"),
}


def role_label(role: str) -> str:
    try:
        return str(ROLE_LABELS[Role(role)])
    except ValueError:
        return role


def role_choices() -> list[tuple[str, str]]:
    return [(role.value, str(label)) for role, label in ROLE_LABELS.items()]
