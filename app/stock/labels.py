"""Display names for stock enums, translated in the web layer."""

import copy

from flask_babel import get_locale, gettext
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


def lot_source(lot) -> str:
    """Where a lot came from, as a reader says it: "Donor: PT Maju" or "Kemensos"."""
    if lot is None:
        return ""
    source = stock_label(lot.source)
    return gettext("%(source)s: %(donor)s", source=source, donor=lot.donor_name) \
        if lot.donor_name else source


def from_to(line) -> str:
    """The kartu stok's "dari/kepada" for one line: who the goods came from or went to.

    A receipt names the lot's source and donor and the supplier's papers; a release its
    recipient; a transfer the other warehouse; an adjustment or count its reason; a reversal
    the document it undoes.
    """
    document = line.document
    kind = document.kind
    if kind == "receipt":
        parts = [lot_source(line.lot), document.supplier_ref]
        return " · ".join(part for part in parts if part)
    if kind == "issue":
        return document.recipient_name or ""
    if kind == "transfer":
        other = document.to_warehouse if line.warehouse_id == document.warehouse_id \
            else document.warehouse
        return other.name if other else ""
    if kind == "transfer_receipt":
        return document.transfer.warehouse.name if document.transfer else ""
    if kind == "reversal" and document.reverses is not None:
        return gettext("reverses %(number)s", number=document.reverses.number)
    return stock_label(document.reason) if document.reason else ""


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
