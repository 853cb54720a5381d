"""The RabbitMQ engine's stored records (msgspec Structs, frozen), sealed by the barrier.

Layout below the mount's view, Vault's:

    config/connection   Connection (the admin password lives only here; no path reads it back)
    config/lease        Lease
    role/<name>         Role
"""

from __future__ import annotations

import msgspec

from strongroom.secret import masked_repr

CONNECTION = "config/connection"
LEASE = "config/lease"
ROLE = "role/"


class Connection(msgspec.Struct, frozen=True, kw_only=True):
    connection_uri: str
    username: str
    password: str
    password_policy: str = ""
    username_template: str = ""

    def __repr__(self) -> str:
        return masked_repr(self, ("password",))


class Lease(msgspec.Struct, frozen=True, kw_only=True):
    ttl: int = 0
    max_ttl: int = 0


class VhostPermission(msgspec.Struct, frozen=True, kw_only=True):
    configure: str = ""
    write: str = ""
    read: str = ""


class TopicPermission(msgspec.Struct, frozen=True, kw_only=True):
    write: str = ""
    read: str = ""


class Role(msgspec.Struct, frozen=True, kw_only=True):
    """`roles/:name`: the management tags and the permissions a generated user gets."""

    tags: str = ""
    vhosts: dict[str, VhostPermission] = msgspec.field(default_factory=dict)
    vhost_topics: dict[str, dict[str, TopicPermission]] = msgspec.field(default_factory=dict)


CONNECTION_DECODER = msgspec.json.Decoder(Connection)
LEASE_DECODER = msgspec.json.Decoder(Lease)
ROLE_DECODER = msgspec.json.Decoder(Role)
VHOSTS_DECODER = msgspec.json.Decoder(dict[str, VhostPermission])
TOPICS_DECODER = msgspec.json.Decoder(dict[str, dict[str, TopicPermission]])


def encode(record: msgspec.Struct) -> bytes:
    return msgspec.json.encode(record)
