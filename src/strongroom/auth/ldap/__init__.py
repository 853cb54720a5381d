"""Layer 4, the LDAP auth method (Vault `ldap`): a directory's users and groups for tokens."""

from strongroom.auth.ldap.backend import LdapBackend

__all__ = ["LdapBackend"]
