"""OrderCancelled: one more cancellation (the event carries no amount: nothing was earned)."""

from app.context import Context, Tx
from app.events.envelope import Envelope, OrderCancelled
from app.handlers.sales import count


async def handle(event: Envelope[OrderCancelled], tx: Tx, ctx: Context) -> None:
    order = event["data"]
    await count(tx, order["orderId"], order["userId"], "cancelled", 0.0, "")
    ctx.log.info("order cancelled at %s: %s", order["failedStep"], order["reason"])
