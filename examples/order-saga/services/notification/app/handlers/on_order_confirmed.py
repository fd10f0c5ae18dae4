"""OrderConfirmed: the customer hears that the order is on its way."""

from app.context import Context, Tx
from app.events.envelope import Envelope, OrderConfirmed
from app.handlers.mail import send


async def handle(event: Envelope[OrderConfirmed], tx: Tx, ctx: Context) -> None:
    order = event["data"]
    send(ctx, order["userId"], f"Order {order['orderId']} confirmed: {order['total']} {order['currency']}")
