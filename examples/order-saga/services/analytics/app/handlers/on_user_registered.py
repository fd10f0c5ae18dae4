"""UserRegistered: not a sale; the figures count orders only."""

from app.context import Context, Tx
from app.events.envelope import Envelope, UserRegistered


async def handle(event: Envelope[UserRegistered], tx: Tx, ctx: Context) -> None:
    ctx.log.debug("user %s registered", event["data"]["userId"])
