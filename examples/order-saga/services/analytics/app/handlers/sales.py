"""What the order events add to the figures: one fact per order and outcome, and the day's totals."""

from datetime import UTC, date, datetime
from typing import Literal
from uuid import UUID

from app.context import Tx

Outcome = Literal["confirmed", "cancelled", "refunded"]


def today() -> date:
    return datetime.now(UTC).date()


async def count(tx: Tx, order_id: str, user_id: str, outcome: Outcome, amount: float, currency: str) -> None:
    """Records the fact and adds it to the day's row, in the event's transaction (a redelivery never counts twice)."""
    day = today()
    await tx.sql.execute(
        'INSERT INTO "order_facts" ("id", "order_id", "user_id", "outcome", "amount", "currency", "day")'
        " VALUES (gen_random_uuid(), %s, %s, %s, %s, %s, %s)",
        (UUID(order_id), UUID(user_id), outcome, amount, currency, day),
    )
    # One row per day, even when two events of a new day are applied at once.
    await tx.sql.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"daily-sales-{day.isoformat()}",))
    changed = await tx.sql.execute(
        'UPDATE "daily_saleses" SET "orders" = "orders" + %s, "cancellations" = "cancellations" + %s,'
        ' "revenue" = "revenue" + %s, "refunds" = "refunds" + %s WHERE "day" = %s',
        (*_deltas(outcome, amount), day),
    )
    if changed == 0:
        await tx.sql.execute(
            'INSERT INTO "daily_saleses" ("id", "day", "orders", "cancellations", "revenue", "refunds")'
            " VALUES (gen_random_uuid(), %s, %s, %s, %s, %s)",
            (day, *_deltas(outcome, amount)),
        )


def _deltas(outcome: Outcome, amount: float) -> tuple[int, int, float, float]:
    if outcome == "confirmed":
        return (1, 0, amount, 0.0)
    if outcome == "cancelled":
        return (0, 1, 0.0, 0.0)
    return (0, 0, 0.0, amount)
