"""Real boundaries shipped with the demo, attached through the same import as `import-geojson`.

Files live in `seeds/data/boundaries/` as `<kabupaten code>-<level>.geojson` with the Kemendagri
code in the `code` property; their licence (MIT, Cahya DSN) travels beside them.
"""

from __future__ import annotations

import json
from importlib.resources import files
from importlib.resources.abc import Traversable

from sqlalchemy.orm import Session

from logistics.regions import operations as regions

DATA_DIR: Traversable = files("seeds") / "data" / "boundaries"
CODE_PROPERTY = "code"
SOURCE = "wilayah_boundaries (Cahya DSN, Kepmendagri 300.2.2-2430/2025), MIT licence"


def files_for(kabupaten_code: str) -> list[Traversable]:
    """Return the boundary files shipped for a kabupaten, by name; empty if there are none."""
    if not DATA_DIR.is_dir():
        return []
    prefix = kabupaten_code + "-"
    return sorted(
        (path for path in DATA_DIR.iterdir()
         if path.name.startswith(prefix) and path.name.endswith(".geojson")),
        key=lambda path: path.name,
    )


def attach(session: Session, kabupaten_code: str) -> regions.GeoJSONImport | None:
    """Attach a kabupaten's shipped boundaries as one all-or-nothing import; None if none ship."""
    paths = files_for(kabupaten_code)
    if not paths:
        return None
    features = [
        feature
        for path in paths
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]
    ]
    return regions.import_geojson(
        session, collection={"type": "FeatureCollection", "features": features},
        code_property=CODE_PROPERTY, geometry_source=SOURCE,
    )
