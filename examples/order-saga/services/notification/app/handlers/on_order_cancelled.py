"""OrderCancelled: the customer hears why the order could not be placed."""

from app.context import Context, Tx
from app.events.envelope import Envelope, OrderCancelled
from app.handlers.mail import send


async def handle(event: Envelope[OrderCancelled], tx: Tx, ctx: Context) -> None:
    order = event["data"]
    send(ctx, order["userId"], f"Order {order['orderId']} cancelled ({order['failedStep']}): {order['reason']}")
