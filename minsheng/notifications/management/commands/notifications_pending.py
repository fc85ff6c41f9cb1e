"""Queue again (or send here) the messages whose sending task was lost."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from minsheng.notifications import services
from minsheng.notifications.models import MessageStatus
from minsheng.notifications.tasks import enqueue_send


class Command(BaseCommand):
    help = (
        "补发待发送但已逾期的消息（发送队列丢失时）。"
        " Queue (or, with --run, send in this process) overdue queued messages."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--run", action="store_true", help="在本进程中直接发送")
        parser.add_argument("--limit", type=int, default=10_000)

    def handle(self, *args: Any, **options: Any) -> None:
        message_ids = services.messages_overdue(limit=options["limit"])
        if not options["run"]:
            for message_id in message_ids:
                enqueue_send(message_id)
            self.stdout.write(f"queued {len(message_ids)} overdue message(s)")
            return
        outcomes = [services.message_send(message_id=pk) for pk in message_ids]
        sent = sum(1 for m in outcomes if m is not None and m.status == MessageStatus.SENT)
        self.stdout.write(f"tried {len(message_ids)} message(s), {sent} sent")
