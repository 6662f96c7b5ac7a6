"""The ``alliance`` console command: a thin wrapper over Django's management commands.

``alliance demo`` runs ``manage.py demo``; dashes in a command name become underscores, so
``alliance load-registry`` runs ``load_registry``.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["alliance", *args])


if __name__ == "__main__":
    main()
