"""Vault's SSH secrets engine: a certificate authority for OpenSSH user and host certificates,
and one-time passwords for hosts that verify them (Vault's `ssh`, CA and OTP modes)."""

from strongroom.engines.ssh.backend import SshBackend

__all__ = ["SshBackend"]
