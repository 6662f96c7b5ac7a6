"""A designated district's path to exit: its distance from the line, and where its points are.

Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Headroom:
    key: str
    name: str
    group: str
    points: Decimal
    maximum: Decimal

    @property
    def headroom(self) -> Decimal:
        return self.maximum - self.points


@dataclass(frozen=True)
class PathToExit:
    index: Decimal
    line: Decimal  # the index of the lowest eligible district outside the lowest N
    possible: Decimal

    @property
    def index_gap(self) -> Decimal:
        """Index points to gain to reach the line; 0 when already at or above it."""
        return max(self.line - self.index, Decimal(0))

    @property
    def points_needed(self) -> Decimal:
        """The gap in the district's own points: index points x possible points / 100."""
        return self.index_gap * self.possible / HUNDRED


def headroom_sorted(cells: list[Headroom]) -> list[Headroom]:
    """Indicators with the most points still to earn first."""
    return sorted(cells, key=lambda c: (-c.headroom, c.key))
