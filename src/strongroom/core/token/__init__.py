"""The token store (Vault's `auth/token`): entries, TTL rules, issuance, revocation trees."""
