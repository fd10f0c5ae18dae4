"""PaymentRefunded: the refunded amount goes into the day's refunds."""

from app.context import Context, Tx
from app.events.envelope import Envelope, PaymentRefunded
from app.handlers.sales import count


async def handle(event: Envelope[PaymentRefunded], tx: Tx, ctx: Context) -> None:
    refund = event["data"]
    # The refund's fact is kept under the order; the customer is not in the event.
    await count(tx, refund["orderId"], refund["orderId"], "refunded", refund["amount"], refund["currency"])
