"""Layer 4, the userpass auth method (Vault `userpass`): usernames and passwords for tokens."""

from strongroom.auth.userpass.backend import UserpassBackend

__all__ = ["UserpassBackend"]
