"""Stock errors: each names the item, lot or warehouse so a tired keeper knows what to fix."""

from logistics.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from logistics.i18n import N_


class InsufficientStock(Conflict):
    message = N_("Not enough %(item)s in %(warehouse)s: %(available)s on hand, "
                 "%(requested)s requested.")
    lot_message = N_("Not enough %(item)s of lot %(lot)s in %(warehouse)s: %(available)s on hand, "
                     "%(requested)s requested.")


class ExpiredStockOnly(Conflict):
    message = N_("Only %(usable)s of %(requested)s %(item)s can be issued; "
                 "%(expired)s more has expired and can only be written off.")


class ExpiredLot(Conflict):
    message = N_("Lot %(lot)s of %(item)s expired on %(expires_on)s; it can only be written off.")


class UnknownWarehouse(NotFound):
    message = N_("No such warehouse.")


class UnknownDocument(NotFound):
    message = N_("No such stock document.")


class UnknownItem(InvalidInput):
    message = N_("No such item: %(item)s.")


class UnknownLot(InvalidInput):
    message = N_("No such lot: %(lot)s.")


class LotOfAnotherItem(InvalidInput):
    message = N_("Lot %(lot)s belongs to %(lot_item)s, not %(item)s.")


class LotMismatch(InvalidInput):
    message = N_("Lot %(lot)s of %(item)s already exists with expiry %(expires_on)s.")


class LotCountedTwice(InvalidInput):
    message = N_("Lot %(lot)s is counted on line %(line)s already; a count states what the "
                 "shelf holds, so give each lot once.")


class ExpiryPassed(InvalidInput):
    message = N_("This expiry date has already passed. Check it; if the goods really are "
                 "expired, confirm the expiry dates below.")


class ExpiryFar(InvalidInput):
    message = N_("This expiry date is more than ten years away. Check it, or confirm the expiry "
                 "dates below.")


class ExpiryRequired(InvalidInput):
    message = N_("%(item)s is perishable: give the expiry date.")


class UnknownPack(InvalidInput):
    message = N_("%(item)s has no pack called %(pack)s.")


class InactiveWarehouse(Conflict):
    message = N_("Warehouse %(warehouse)s is closed.")


class NotYourWarehouse(PermissionDenied):
    message = N_("You may post only in the warehouses you keep; %(warehouse)s is not one of them.")


class PoskoRequired(InvalidInput):
    message = N_("Pick the posko this release goes to.")


class RecipientRequired(InvalidInput):
    message = N_("Say who receives the goods.")


class AuthorityRequired(InvalidInput):
    message = N_("Releasing from a lumbung sosial needs an active emergency status or the "
                 "reference of a written order.")


class SameWarehouse(InvalidInput):
    message = N_("A transfer needs two different warehouses.")


class WrongSign(InvalidInput):
    message = N_("The reason %(reason)s does not fit a quantity of %(qty)s.")


class TransferNotInTransit(Conflict):
    message = N_("Transfer %(number)s is no longer in transit: it was received or cancelled.")


class TransferNotReceived(Conflict):
    message = N_("Transfer %(number)s has not been received yet; receive it first.")


class ReceivedMoreThanSent(InvalidInput):
    message = N_("Transfer %(number)s carried %(sent)s of lot %(lot)s; %(received)s cannot "
                 "have arrived.")
    lines_message = N_("Transfer %(number)s carried %(sent)s of lot %(lot)s; its lines for that "
                       "lot add up to %(received)s.")


class NotATransfer(InvalidInput):
    message = N_("Document %(number)s is not a transfer.")


class NothingToSettle(Conflict):
    message = N_("Transfer %(number)s has no open shortfall of lot %(lot)s this large.")
    lines_message = N_("Transfer %(number)s has %(open)s of lot %(lot)s still open; its lines "
                       "for that lot write off %(requested)s.")


class CannotReverse(Conflict):
    message = N_("Document %(number)s cannot be reversed: %(why)s")


class AlreadyReversed(Conflict):
    message = N_("Document %(number)s was reversed already by %(reversal)s.")


class DuplicateCode(Conflict):
    message = N_("The code %(code)s is already in use.")



class BatchTaken(Conflict):
    """Someone typed, at the same moment, the batch number a receipt was generating."""

    message = N_("Batch %(lot)s was created by another receipt at the same moment; post again.")


class LineTooLarge(InvalidInput):
    """Packs times the pack's size past what one line may move; each factor alone was fine."""

    message = N_("%(packs)s %(pack)s of %(size)s make %(qty)s; one line may move at most "
                 "10,000,000.")
