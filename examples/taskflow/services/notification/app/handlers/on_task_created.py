"""TaskCreated: the assignee (if any, else the creator) hears of the new task."""

from app.context import Context, Tx
from app.events.envelope import Envelope, TaskCreated
from app.handlers.notify import notify


async def handle(event: Envelope[TaskCreated], tx: Tx, ctx: Context) -> None:
    task = event["data"]
    recipient = task.get("assigneeId") or task["createdBy"]
    await notify(tx, recipient, task["taskId"], f"New task: {task['title']}", f"The task '{task['title']}' was created.")
