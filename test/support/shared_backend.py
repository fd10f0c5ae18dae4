"""A generated Python service's own database layer against dev's PGlite server, hard: run from the
service's folder with its venv's Python and DATABASE_URL. Ten pool connections at once: readers
running each query past psycopg's prepare threshold, read-modify-write transactions under an advisory
lock, and the migrator three times alongside. Prints one JSON line: what it counted and every error."""

import asyncio
import json
import os

from app.db.database import open_database
from app.db.migrate import migrate

READERS, WRITERS, ROUNDS = 6, 4, 25


async def main() -> None:
    errors: list[str] = []
    prepared = os.environ.get("DATABASE_PREPARED_STATEMENTS", "true") != "false"
    async with open_database(os.environ["DATABASE_URL"], prepared_statements=prepared) as db:
        await db.execute("CREATE TABLE IF NOT EXISTS stress_counter (id int PRIMARY KEY, n int NOT NULL)")
        await db.execute("INSERT INTO stress_counter VALUES (1, 0) ON CONFLICT (id) DO UPDATE SET n = 0")

        async def reader(i: int) -> None:
            for k in range(ROUNDS):
                row = await db.fetch_one(f"SELECT %s::int AS k, %s::text AS who, {i} AS reader", (k, f"r{i}"))
                if row != {"k": k, "who": f"r{i}", "reader": i}:
                    errors.append(f"reader {i} round {k} got {row}")

        async def writer(i: int) -> None:
            for _ in range(ROUNDS):
                async with db.transaction() as tx:
                    await tx.execute("SELECT pg_advisory_xact_lock(%s)", (99,))
                    row = await tx.fetch_one("SELECT n FROM stress_counter WHERE id = %s", (1,))
                    await asyncio.sleep(0.002)
                    await tx.execute("UPDATE stress_counter SET n = %s WHERE id = %s", (row["n"] + 1, 1))

        async def guarded(work, i: int) -> None:
            try:
                await work(i)
            except Exception as error:  # every failure is reported, none stops the others
                errors.append(f"{work.__name__} {i}: {error!r}")

        await asyncio.gather(
            *(guarded(reader, i) for i in range(READERS)),
            *(guarded(writer, i) for i in range(WRITERS)),
            *(guarded(lambda _: migrate(db), i) for i in range(3)),
        )
        counted = await db.fetch_one("SELECT n FROM stress_counter WHERE id = %s", (1,))
        await db.execute("DROP TABLE stress_counter")
    print(json.dumps({"counter": counted["n"] if counted else None, "expected": WRITERS * ROUNDS, "errors": errors}))


asyncio.run(main())
