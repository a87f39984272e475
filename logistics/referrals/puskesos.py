"""One Puskesos per desa and kelurahan: the SLRT door every household is registered at."""

from __future__ import annotations

from sqlalchemy import select

from logistics.referrals import errors
from logistics.referrals.models import Puskesos
from logistics.regions.models import Kind, Region


def open_puskesos_everywhere(session) -> int:
    """Give every desa and kelurahan without one its Puskesos; returns how many were opened."""
    served = set(session.scalars(select(Puskesos.desa_code)))
    opened = 0
    for region in session.scalars(select(Region).where(Region.level == 4).order_by(Region.code)):
        if region.code in served:
            continue
        word = "Kelurahan" if region.kind == Kind.KELURAHAN else "Desa"
        session.add(Puskesos(desa_code=region.code, name=f"Puskesos {word} {region.name}"))
        opened += 1
    session.flush()
    return opened


def puskesos_of_desa(session, desa_code: str) -> Puskesos:
    puskesos = session.scalar(select(Puskesos).where(Puskesos.desa_code == desa_code))
    if puskesos is None or not puskesos.is_active:
        raise errors.UnknownPuskesos(field="desa_code")
    return puskesos
