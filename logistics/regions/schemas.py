"""Region input and output shapes for the API."""

from marshmallow import Schema, fields, validate
from shapely.geometry import mapping


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
    parent = fields.String(metadata={"description": "list the children of this code"})
    level = fields.Integer(validate=validate.Range(min=1, max=4))
    q = fields.String(validate=validate.Length(min=2, max=60),
                      metadata={"description": "name contains, or code starts with"})
    after = fields.String(metadata={"description": "cursor: the last code of the previous page"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
