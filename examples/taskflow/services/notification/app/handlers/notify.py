"""What both task events become: one queued e-mail notification per recipient and task event."""

from uuid import UUID

from app.context import Tx
from app.models.notification import NotificationInput


async def notify(tx: Tx, recipient_id: str, task_id: str, subject: str, body: str) -> None:
    """Records the notification in the event's transaction: a redelivered event never records it twice."""
    await tx.notifications.create(
        NotificationInput.model_validate(
            {
                "recipientId": UUID(recipient_id),
                "channel": "email",
                "subject": subject,
                "body": body,
                "taskId": UUID(task_id),
                "status": "queued",
            }
        )
    )
