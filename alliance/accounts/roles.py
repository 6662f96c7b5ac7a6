"""The roles of DESIGN.md's role table.

District roles are held per district; state roles are not.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    DISTRICT_EDITOR = "district_editor", "District editor"
    DISTRICT_LEADER = "district_leader", "District leader"
    BOARD_VIEWER = "board_viewer", "Board viewer"
    STATE_REVIEWER = "state_reviewer", "State reviewer"
    STATE_FISCAL = "state_fiscal", "State fiscal"
    COMMISSIONER = "commissioner", "Commissioner"
    STATE_ADMIN = "state_admin", "State admin"


DISTRICT_ROLES = frozenset({Role.DISTRICT_EDITOR, Role.DISTRICT_LEADER, Role.BOARD_VIEWER})
STATE_ROLES = frozenset(
    {Role.STATE_REVIEWER, Role.STATE_FISCAL, Role.COMMISSIONER, Role.STATE_ADMIN}
)

ROLE_DESCRIPTIONS = {
    Role.DISTRICT_EDITOR: (
        "Edits the district's draft plan, budget, positions, expenditures and progress."
    ),
    Role.DISTRICT_LEADER: (
        "Everything an editor does, plus records Board approval, submits and requests "
        "budget revisions."
    ),
    Role.BOARD_VIEWER: "Reads the district's plans and reports.",
    Role.STATE_REVIEWER: "Reads every district; reviews plans and runs monitoring meetings.",
    Role.STATE_FISCAL: "Approves budget revisions and releases payments.",
    Role.COMMISSIONER: "Approves plans and decides annual continuation.",
    Role.STATE_ADMIN: (
        "Imports accountability data, runs identification, sets allocations, manages users."
    ),
}
