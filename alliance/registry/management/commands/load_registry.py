from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliance.lib.datafile import DataFileError
from alliance.registry.services import registry_load


class Command(BaseCommand):
    help = "Load or refresh districts, schools, enrollment, allocations and designations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=settings.CT_DATA_DIR,
            help="Folder of CSDE files (default: the bundled Connecticut data).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            summary = registry_load(data_dir=options["data_dir"])
        except DataFileError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        self.stdout.write(f"Loaded {summary}.")
