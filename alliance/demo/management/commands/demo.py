from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliance.accountability.services import accountability_import
from alliance.demo.story import demo_story_create
from alliance.demo.users import DEMO_PASSWORD, DEMO_USERS, demo_users_create
from alliance.lib.datafile import DataFileError
from alliance.registry.ctdata import NGA_EXPORT
from alliance.registry.services import registry_load
from alliance.review.services import checklist_seed


class Command(BaseCommand):
    help = (
        "Migrate, load the bundled Connecticut data, create the demo sign-ins and content, "
        "then serve on 127.0.0.1:8000. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="Do everything but serve.")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="Where to serve.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        try:
            summary = registry_load(data_dir=settings.CT_DATA_DIR)
        except DataFileError as exc:
            raise CommandError(
                f"The bundled data did not load; nothing was written. {exc}"
            ) from exc
        self.stdout.write(f"Loaded {summary}.")
        summary_ngas = accountability_import(path=settings.CT_DATA_DIR / NGA_EXPORT)
        self.stdout.write(
            f"Imported the {summary_ngas.school_year} accountability export: "
            f"{summary_ngas.entities} entities, {len(summary_ngas.differences)} cells differ "
            "from the published figures."
        )
        demo_users_create()
        checklist_seed()
        for plan in demo_story_create():
            self.stdout.write(
                f"Demo {plan}: {plan.get_status_display().lower()} "
                "(an illustrative split of the real allocation)."
            )
        self.stdout.write("")
        self.stdout.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for demo in DEMO_USERS:
            where = f" ({demo.district_code})" if demo.district_code else ""
            self.stdout.write(f"  {demo.username:<17} {demo.role.label}{where}")
        if options["no_serve"]:
            return
        self.stdout.write("")
        self.stdout.write(f"Serving on http://{options['addrport']}/ (Ctrl-C to stop).")
        self.stdout.write(
            f"The API's reference: http://{options['addrport']}/api/v1/docs (make a token under "
            "API tokens once signed in)."
        )
        call_command("runserver", options["addrport"], use_reloader=False)
