"""Region pages say where a boundary comes from, and call only made-up geometry synthetic."""

import html

from flask_babel import force_locale, gettext
from shapely.geometry import Point

from logistics.regions import operations as region_operations
from seeds import boundaries


def _in_indonesian(app, message: str, **params) -> str:
    with app.test_request_context(), force_locale("id"):
        return gettext(message, **params)


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_real_boundaries_show_their_source_and_licence_and_no_synthetic_label(
        app, client, make_user, auth, session):
    region_operations.import_regions(session, code="17.03")
    boundaries.attach(session, "17.03")
    session.commit()
    make_user("posko_staff", username="andi")
    auth.login("andi")
    synthetic = _in_indonesian(app, "synthetic geometry")
    attribution = _in_indonesian(app, "Boundary: %(source)s", source=boundaries.SOURCE)
    for path in ("/regions/17.03", "/regions/17.03.01", "/regions/17.03.25.2005"):
        page = _page(client, path)
        assert attribution in page, path
        assert "MIT" in page, path
        assert synthetic not in page, path
    assert synthetic not in _page(client, "/regions/?q=enggano")


def test_synthetic_geometry_is_still_labelled_synthetic(app, client, make_user, auth, session):
    region_operations.import_regions(session, code="17.03")
    region_operations.set_geometry(session, code="17.03.09", centroid=Point(102.2, -3.6),
                                   boundary=None, is_synthetic=True, geometry_source="demo")
    session.commit()
    make_user("posko_staff", username="andi")
    auth.login("andi")
    page = _page(client, "/regions/17.03.09")
    assert _in_indonesian(app, "synthetic geometry") in page
    assert _in_indonesian(app, "Boundary: %(source)s", source="demo") not in page
