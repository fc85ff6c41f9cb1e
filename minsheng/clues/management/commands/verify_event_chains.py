"""Verify every clue's tamper-evident event chain and name any broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from minsheng.clues.models import Clue
from minsheng.clues.services.events import verify_all_chains, verify_chain


class Command(BaseCommand):
    help = "校验所有线索的办理记录哈希链，列出被篡改、删除或插入的记录。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clue", help="只校验这个受理编号的线索")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["clue"]:
            clue = Clue.objects.filter(tracking_code=options["clue"]).first()
            if clue is None:
                raise CommandError(f"没有受理编号为 {options['clue']} 的线索。")
            breaks = verify_chain(clue, clue.events.order_by("seq"))
            checked = 1
        else:
            breaks = list(verify_all_chains())
            checked = Clue.objects.count()
        for item in breaks:
            self.stderr.write(f"BROKEN {item}")
        if breaks:
            raise CommandError(f"{len(breaks)} broken link(s) in {checked} clue chain(s).")
        self.stdout.write(f"OK: {checked} clue chain(s) verified, no broken link.")
