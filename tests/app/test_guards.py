"""Every route is guarded by the one role check unless it is deliberately public."""

from app import create_app

PUBLIC = {
    "static", "favicon", "bootstrap.static", "vendor.vendor_file",  # assets
    "api-docs.openapi_json", "api-docs.openapi_swagger_ui",  # the API's own description
    "main.root", "main.health", "main.ready", "auth.login", "auth.logout", "auth.set_language",
    "auth_api.post_login_token",  # password for a token
}


def test_every_non_public_endpoint_goes_through_require():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    unguarded = sorted(
        endpoint for endpoint, view in app.view_functions.items()
        if endpoint not in PUBLIC and not hasattr(view, "required_permission")
    )
    assert unguarded == []


def test_the_public_list_names_only_endpoints_that_exist():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    assert set(app.view_functions) >= PUBLIC
