"""Reading what a rendered page tells its user, for page tests."""

import html
import re

from flask_babel import force_locale

from app.i18n import translate_error


def beside(response, field_id: str) -> list[str]:
    """The messages a page shows under one field, as Bootstrap-Flask renders them."""
    page = response.get_data(as_text=True)
    after = re.split(r"<label|</form>", page.split(f'id="{field_id}"', 1)[1], maxsplit=1)[0]
    return [html.unescape(text)
            for text in re.findall(r'class="invalid-feedback[^"]*">(.*?)</div>', after)]


def in_indonesian(app, error) -> str:
    """What a domain error reads on an Indonesian page, from the catalog."""
    with app.test_request_context(), force_locale("id"):
        return translate_error(error)
