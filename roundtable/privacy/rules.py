import rules

from participants.rules import is_administrator

# Every account holder has data rights, with or without a role in the round table.
rules.add_perm("privacy.view_own_data", rules.is_authenticated & rules.is_active)
rules.add_perm("privacy.erase_own_account", rules.is_authenticated & rules.is_active)
# Export and erase for any user (on request by letter, or on behalf of the DPO).
rules.add_perm("privacy.manage_personal_data", is_administrator)
