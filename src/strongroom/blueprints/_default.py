"""`DEFAULT_BLUEPRINT`: what a tenant gets unless it asks for another blueprint.

KV v2 at `secret/`; transit at `transit/` with the tenant's key `tenant`, rotated every 30
days; AppRole at `approle/`; a `tenant-admin` policy over all of that; and, per service, a
key `service-<name>` (also rotated every 30 days), a policy `service-<name>` that may read the
service's own secrets and encrypt and decrypt with its own key, and an AppRole role `<name>`
holding that policy. Key names cannot collide: no service name makes `service-…` equal
`tenant`.
"""

from __future__ import annotations

from functools import cache

from strongroom.blueprints._model import Blueprint
from strongroom.blueprints._parse import parse_blueprint

__all__ = ["DEFAULT_BLUEPRINT", "DEFAULT_NAME", "default_blueprint"]

DEFAULT_NAME = "default"

DEFAULT_BLUEPRINT = """\
# The default tenant blueprint (Strongroom ships it; it cannot be changed or deleted).
description = "KV v2 secrets, transit keys rotated every 30 days, AppRole roles per service"

mount "secret" {
  type        = "kv"
  description = "Secrets of tenant {{tenant}}"
  options     = { version = "2" }
}

mount "transit" {
  type        = "transit"
  description = "Encryption keys of tenant {{tenant}}"
}

mount "approle" {
  type        = "approle"
  description = "Log-in for the services of tenant {{tenant}}"
}

transit_key "tenant" {
  mount              = "transit"
  type               = "aes256-gcm96"
  auto_rotate_period = "720h"
}

transit_key "service-{{service}}" {
  mount              = "transit"
  type               = "aes256-gcm96"
  auto_rotate_period = "720h"
}

policy "tenant-admin" {
  text = <<-EOT
    # Everything in the tenant's own engines, its policies and its services' roles.
    path "secret/*" {
      capabilities = ["create", "read", "update", "patch", "delete", "list"]
    }
    path "transit/*" {
      capabilities = ["create", "read", "update", "delete", "list"]
    }
    path "auth/approle/role/*" {
      capabilities = ["create", "read", "update", "delete", "list"]
    }
    path "sys/policies/acl/*" {
      capabilities = ["create", "read", "update", "delete", "list"]
    }
    path "sys/policies/acl" {
      capabilities = ["list"]
    }
    path "sys/mounts" {
      capabilities = ["read"]
    }
    EOT
}

policy "service" {
  text = <<-EOT
    # One service: read its own secrets, encrypt and decrypt with its own key.
    path "secret/data/{{service}}" {
      capabilities = ["read"]
    }
    path "secret/data/{{service}}/*" {
      capabilities = ["read"]
    }
    path "transit/encrypt/service-{{service}}" {
      capabilities = ["update"]
    }
    path "transit/decrypt/service-{{service}}" {
      capabilities = ["update"]
    }
    EOT
}

approle_role "{{service}}" {
  mount              = "approle"
  token_policies     = ["service-{{service}}"]
  token_ttl          = "1h"
  token_max_ttl      = "24h"
  secret_id_ttl      = "720h"
  secret_id_num_uses = 0
}

service {
  policy      = "service"
  policy_name = "service-{{service}}"
  role        = "{{service}}"
}

token {
  default_ttl = "1h"
  max_ttl     = "24h"
}
"""


@cache
def default_blueprint() -> Blueprint:
    """DEFAULT_BLUEPRINT, parsed (once)."""
    return parse_blueprint(DEFAULT_BLUEPRINT)
