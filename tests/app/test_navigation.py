"""The page frame for keyboard, screen-reader and sunlit-phone users: readable bar, visible
focus, a skip link, the current section marked, labels in the reader's language."""

import re
from pathlib import Path

import pytest

import app as app_package
from tests.browser.conftest import gettext_id

APP_CSS = Path(app_package.__file__).parent / "static/css/app.css"


def css_colour(name: str) -> str:
    """A colour custom property as app.css declares it (`--ls-nav-bg: #146c43;`)."""
    found = re.search(rf"--ls-{name}:\s*(#[0-9a-fA-F]{{6}})\s*;", APP_CSS.read_text())
    assert found, f"app.css declares no --ls-{name}"
    return found.group(1)


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_formula_matches_wcag_examples():
    assert contrast("#ffffff", "#000000") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_menu_text_on_the_bar_meets_aa_and_focus_rings_stand_out():
    bar, text = css_colour("nav-bg"), css_colour("nav-fg")
    assert contrast(text, bar) >= 4.5  # AA for normal text (was 2.4:1)
    assert contrast(css_colour("focus-on-nav"), bar) >= 3  # WCAG 1.4.11, non-text
    assert contrast(css_colour("focus"), css_colour("page-bg")) >= 3
    assert contrast(css_colour("focus"), "#ffffff") >= 3  # on cards and form fields


def test_the_bar_uses_those_colours_and_not_bootstraps_faint_ones():
    css = APP_CSS.read_text()
    assert re.search(r"\.app-nav\s*\{[^}]*background-color:\s*var\(--ls-nav-bg\)", css)
    assert re.search(r"\.app-nav \.nav-link\s*\{[^}]*color:\s*var\(--ls-nav-fg\)", css)
    assert re.search(r":focus-visible[^{]*\{[^}]*outline:\s*3px solid var\(--ls-focus\)", css)


def home(client, make_user, auth, path="/home") -> str:
    make_user("admin", username="ani")
    auth.login("ani")
    return client.get(path).get_data(as_text=True)


def test_the_first_link_skips_to_the_content(app, client, make_user, auth):
    page = home(client, make_user, auth)
    body = page.split("<body>", 1)[1]
    first_link = re.search(r"<a [^>]*>[^<]*</a>", body).group(0)
    assert 'href="#content"' in first_link
    assert gettext_id(app, "Skip to content") in first_link
    assert gettext_id(app, "Skip to content") == "Langsung ke isi"
    assert re.search(r'<main [^>]*id="content"', page)


@pytest.mark.parametrize(("path", "current", "kind"), [
    ("/home", "/home", "page"),
    ("/stock/", "/stock/", "page"),
    ("/stock/alerts", "/stock/", "true"),
    ("/regions/", "/regions/", "page"),
    ("/admin/users/", "/admin/users/", "page"),
])
def test_the_menu_marks_where_you_are(client, make_user, auth, path, current, kind):
    page = home(client, make_user, auth, path)
    marked = re.findall(r'<a class="nav-link" href="([^"]+)"\s*aria-current="([a-z]+)"', page)
    assert marked == [(current, kind)]


def test_breadcrumbs_are_labelled_in_the_readers_language(app, client, make_user, auth):
    page = home(client, make_user, auth, "/admin/users/new")
    assert 'aria-label="breadcrumb"' not in page
    assert f'aria-label="{gettext_id(app, "Breadcrumb")}"' in page
    assert gettext_id(app, "Breadcrumb") != "Breadcrumb"


def test_the_menu_button_and_message_close_buttons_say_what_they_are(app, client, make_user,
                                                                       auth):
    page = home(client, make_user, auth)
    assert f'aria-label="{gettext_id(app, "Main menu")}"' in page
    assert 'aria-label="Close"' not in page
    assert re.search(r'<button class="navbar-toggler"[^>]*aria-expanded="false"', page)
