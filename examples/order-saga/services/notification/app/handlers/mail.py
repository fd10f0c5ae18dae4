"""Sending an e-mail: a log line stands in for the mail provider of a real deployment."""

from app.context import Context


def send(ctx: Context, to: str, subject: str) -> None:
    ctx.log.info("e-mail to %s: %s", to, subject)
