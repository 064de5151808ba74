"""Who may manage API keys: a key reaches a whole municipality, so only its system
administrators."""

import rules

from medvirk.organisation.rules import is_system_admin

rules.add_perm("api.manage_keys", is_system_admin)
