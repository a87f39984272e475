"""Region errors."""

from logistics.errors import InvalidInput, NotFound
from logistics.i18n import N_


class UnknownRegionCode(NotFound):
    message = N_("No region has the Kemendagri code %(code)s.")


class GeoJSONRejected(InvalidInput):
    """A boundary file that cannot be attached whole; nothing from it is written."""

    message = N_("The GeoJSON file was rejected: %(reason)s")


class RegionNotDesa(InvalidInput):
    message = N_("%(code)s is not a desa or kelurahan.")


class PointOutsideDesa(InvalidInput):
    message = N_("The point lies outside desa %(desa)s.")
