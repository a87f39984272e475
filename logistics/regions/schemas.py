"""Region input and output shapes for the API."""

from marshmallow import Schema, fields
from shapely.geometry import mapping

from logistics.core.fields import Limit, Text, Whole
from logistics.i18n import N_


class GeometryField(fields.Field):
    """Serialize a shapely geometry as a GeoJSON geometry object."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else mapping(value)


class RegionOut(Schema):
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    level = fields.Integer()
    parent_code = fields.String(allow_none=True)
    source = fields.String()
    is_synthetic = fields.Boolean()
    geometry_source = fields.String(allow_none=True)
    centroid = GeometryField(metadata={"description": "GeoJSON Point, or null"})


class RegionDetailOut(RegionOut):
    boundary = GeometryField(metadata={"description": "GeoJSON Polygon/MultiPolygon, or null"})
    children_by_kind = fields.Dict(keys=fields.String(), values=fields.Integer())


class RegionQuery(Schema):
    parent = Text(13, metadata={"description": "list the children of this code"})
    level = Whole(minimum=1, maximum=4, error=N_("A whole number from 1 to 4."))
    q = Text(60, min_length=2, length_error=N_("2 to 60 characters."),
             metadata={"description": "name contains, or code starts with"})
    after = Text(13, metadata={"description": "cursor: the last code of the previous page"})
    limit = Limit()
