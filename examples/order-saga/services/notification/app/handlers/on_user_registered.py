"""UserRegistered: the new customer is welcomed."""

from app.context import Context, Tx
from app.events.envelope import Envelope, UserRegistered
from app.handlers.mail import send


async def handle(event: Envelope[UserRegistered], tx: Tx, ctx: Context) -> None:
    user = event["data"]
    send(ctx, user["email"], f"Welcome, {user['name']}")
