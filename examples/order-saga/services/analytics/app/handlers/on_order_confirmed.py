"""OrderConfirmed: one more order and its total in the day's revenue."""

from app.context import Context, Tx
from app.events.envelope import Envelope, OrderConfirmed
from app.handlers.sales import count


async def handle(event: Envelope[OrderConfirmed], tx: Tx, ctx: Context) -> None:
    order = event["data"]
    await count(tx, order["orderId"], order["userId"], "confirmed", order["total"], order["currency"])
