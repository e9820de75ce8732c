"""Who may read the OParl interface when it is not public (``OPARL_PUBLIC=false``)."""

import rules

from participants.rules import is_participant

rules.add_perm("oparl.view_api", is_participant)
