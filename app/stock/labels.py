"""Display names for stock enums, translated in the web layer."""

import copy

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from app.i18n import translate_error

STOCK_LABELS = {
    # document kinds
    "receipt": _l("Receipt"), "issue": _l("Release (BAST)"), "transfer": _l("Transfer"),
    "transfer_receipt": _l("Transfer received"), "adjustment": _l("Adjustment"),
    "count": _l("Stock count"), "reversal": _l("Reversal"),
    # transfer status
    "in_transit": _l("in transit"), "received": _l("received"), "cancelled": _l("cancelled"),
    # adjustment reasons
    "damaged": _l("damaged"), "expired": _l("expired (write-off)"), "lost": _l("lost"),
    "found": _l("found"), "count_correction": _l("count correction"),
    "donation_in_kind": _l("donation in kind"),
    # recipients
    "posko": _l("Posko"), "dapur_umum": _l("Public kitchen (dapur umum)"),
    "person": _l("Person"), "other": _l("Other"),
    # warehouse kinds and alert levels
    "central": _l("Central warehouse"), "lumbung_sosial": _l("Lumbung sosial"),
    "ok": _l("OK"), "warning": _l("Attention"), "danger": _l("Action needed"),
    # categories
    "pangan": _l("Food"), "sandang": _l("Clothing"), "hunian": _l("Shelter"),
    "kit_keluarga": _l("Family kit"), "kit_anak": _l("Kids kit"),
    "kebersihan": _l("Hygiene"),
    "lainnya": _l("Other"),
    # lot sources
    "kemensos": _l("Kemensos"), "provinsi": _l("Province"), "apbd": _l("APBD purchase"),
    "donor": _l("Donor"),
}
LEVEL_COLOURS = {"ok": "success", "warning": "warning", "danger": "danger"}


def stock_label(value) -> str:
    return str(STOCK_LABELS.get(str(value), value))


def item_name(item) -> str:
    """The item's name in the reader's language."""
    return item.name(str(get_locale()))


def choices(*values) -> list[tuple[str, str]]:
    return [(str(value), stock_label(value)) for value in values]


# Parameters of a domain error that hold a code (``damaged``), shown as its label ("rusak").
CODED_PARAMS = frozenset({"reason", "kind", "source", "recipient_kind", "status", "category"})


def stock_error(error) -> str:
    """A domain error's message in the reader's language, with coded values as their labels:
    "Alasan rusak…", never "Alasan damaged…"."""
    coded = {name: stock_label(value) for name, value in error.params.items()
             if name in CODED_PARAMS and isinstance(value, str) and value in STOCK_LABELS}
    if not coded:
        return translate_error(error)
    labelled = copy.copy(error)
    labelled.params = {**error.params, **coded}
    return translate_error(labelled)
