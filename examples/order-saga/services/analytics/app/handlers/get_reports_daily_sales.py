"""GET /reports/daily-sales[?day=YYYY-MM-DD]: the day's orders, cancellations, revenue and refunds, newest day first."""

from datetime import date
from typing import Annotated

from fastapi import Query

from app.api.deps import ContextDep
from app.models.daily_sales import DailySales


async def handle(ctx: ContextDep, day: Annotated[date | None, Query()] = None) -> list[DailySales]:
    rows = await ctx.db.fetch_all(
        'SELECT "id", "day", "orders", "cancellations", "revenue", "refunds" FROM "daily_saleses"'
        ' WHERE %s::date IS NULL OR "day" = %s::date ORDER BY "day" DESC LIMIT 366',
        (day, day),
    )
    return [DailySales.model_validate(row) for row in rows]
