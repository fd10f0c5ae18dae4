"""TaskAssigned: the new assignee hears that the task is theirs."""

from app.context import Context, Tx
from app.events.envelope import Envelope, TaskAssigned
from app.handlers.notify import notify


async def handle(event: Envelope[TaskAssigned], tx: Tx, ctx: Context) -> None:
    task = event["data"]
    await notify(
        tx, task["assigneeId"], task["taskId"], f"Assigned to you: {task['title']}", f"The task '{task['title']}' is now yours."
    )
