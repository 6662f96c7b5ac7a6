from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliance.designation.files import (
    district_inputs,
    read_codes,
    read_enrollment,
    read_indexes,
    write_identification,
)
from alliance.designation.identify import Parameters, identification_rules, identify
from alliance.lib.datafile import DataFileError


class Command(BaseCommand):
    help = "Run CSDE's four-step Alliance District identification; explain every district."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = identification_rules()["defaults"]
        parser.add_argument(
            "--accountability",
            type=Path,
            required=True,
            help="EdSight NGA export, or a district table with accountability_index_pct",
        )
        parser.add_argument(
            "--enrollment",
            type=Path,
            required=True,
            help="EdSight enrollment table (school_year, district_code, enrollment_count)",
        )
        parser.add_argument(
            "--previously-designated",
            type=Path,
            required=True,
            help="CSV with a district_code column",
        )
        parser.add_argument(
            "--previously-designated-column", help="keep only rows where this 0/1 column is 1"
        )
        parser.add_argument("--lowest", type=int, default=defaults["lowest"])
        parser.add_argument("--min-enrollment", type=int, default=defaults["min_enrollment"])
        parser.add_argument("--out", type=Path, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            year, indexes = read_indexes(options["accountability"])
            enrollment = read_enrollment(options["enrollment"], year)
            previous = read_codes(
                options["previously_designated"],
                flag_column=options["previously_designated_column"],
            )
        except DataFileError as exc:
            raise CommandError(f"Nothing was written. {exc}") from exc
        parameters = Parameters(
            data_year=year,
            lowest=options["lowest"],
            min_enrollment=options["min_enrollment"],
            district_types=frozenset(identification_rules()["defaults"]["district_types"]),
            previously_designated=previous,
        )
        result = identify(district_inputs(indexes, enrollment), parameters)
        write_identification(options["out"], result)
        designated = result.designated
        self.stdout.write(
            f"{year} index: {result.eligible_count} eligible districts; "
            f"{sum(o.step3_selected for o in designated)} selected by step 3, "
            f"{sum(o.step4_added for o in designated)} added by step 4: "
            f"{len(designated)} designated. Wrote {options['out']}."
        )
