"""ACL policies at rest (`sys/policy/<name>`) and the compiled-ACL cache of this worker.

Policies are parsed once when written and compiled per distinct token policy set (and identity,
for templated policies); a check is then a few dictionary and prefix lookups. Every write bumps
the configuration epoch in the same transaction, so every worker drops its cache on its next
request (DESIGN.md invariant 10).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

import msgspec

from strongroom.core.epoch import epoch_bump
from strongroom.core.token.entry import TokenEntry
from strongroom.core.view import Store, View
from strongroom.engines.identity import Resolved
from strongroom.errors import BadRequest, NotFound
from strongroom.policy import ACL, DEFAULT_POLICY, Policy, parse_policy, resolve_templates
from strongroom.storage.interface import Delete, Put

RESPONSE_WRAPPING_POLICY = """
path "sys/wrapping/unwrap" { capabilities = ["update"] }
path "sys/wrapping/lookup" { capabilities = ["update", "read"] }
path "sys/wrapping/rewrap" { capabilities = ["update"] }
"""
_BUILTIN = frozenset({"root", "response-wrapping"})
_ROOT = ACL.root()
_MAX_CACHE = 4096


class StoredPolicy(msgspec.Struct, frozen=True):
    name: str
    text: str


_DECODER = msgspec.json.Decoder(StoredPolicy)


EntityResolver = Callable[[str], Awaitable[Resolved | None]]
"""A token's entity by id: the policies it adds and the values its templates fill."""


async def _no_entities(_entity_id: str) -> Resolved | None:
    return None


class PolicyStore:
    def __init__(
        self, store: Store, prefix: str = "", entities: EntityResolver = _no_entities
    ) -> None:
        self._store = store
        self._entities = entities
        self._prefix = prefix + "sys/policy/"
        self._view = View(store, self._prefix)
        self._acls: dict[tuple[object, ...], ACL] = {}
        self._texts: dict[str, str | None] = {}

    def clear_cache(self) -> None:
        self._acls.clear()
        self._texts.clear()

    async def create_default(self) -> None:
        """Store Vault's `default` policy; called once, at initialisation."""
        await self.write("default", DEFAULT_POLICY)

    async def text(self, name: str) -> str | None:
        if name == "response-wrapping":
            return RESPONSE_WRAPPING_POLICY
        if name not in self._texts:
            blob = await self._view.get(name)
            self._texts[name] = None if blob is None else _DECODER.decode(blob).text
        return self._texts[name]

    async def names(self) -> list[str]:
        return sorted({*await self._view.list(""), "root"})

    async def write(self, name: str, text: str) -> Policy:
        name = name.lower()
        if name in _BUILTIN:
            raise BadRequest(f"cannot update {name} policy")
        policy = parse_policy(name, text)
        blob = msgspec.json.encode(StoredPolicy(name, text))
        await self._store.transact([Put(self._prefix + name, blob), epoch_bump()])
        self.clear_cache()
        return policy

    async def delete(self, name: str) -> None:
        name = name.lower()
        if name in ("root", "default"):
            raise BadRequest(f"cannot delete {name} policy")
        await self._store.transact([Delete(self._prefix + name), epoch_bump()])
        self.clear_cache()

    async def read(self, name: str) -> str:
        name = name.lower()
        if name == "root":
            return ""
        text = await self.text(name)
        if text is None:
            raise NotFound
        return text

    async def _effective(self, token: TokenEntry) -> tuple[tuple[str, ...], Mapping[str, str]]:
        """The token's policies with its entity's and groups' (Vault's identity_policies),
        and the values templated policies fill in (none without an entity: such paths are
        dropped, as in Vault)."""
        resolved = await self._entities(token.entity_id) if token.entity_id else None
        if resolved is None:
            return token.policies, {}
        return tuple(dict.fromkeys((*token.policies, *resolved.policies))), resolved.templates

    async def acl(self, token: TokenEntry) -> ACL:
        """The compiled ACL of `token`'s policies and its entity's (cached per policy set
        and entity: both caches are dropped whenever the configuration epoch moves)."""
        if token.is_root:
            return _ROOT
        key = (token.policies, token.entity_id)
        acl = self._acls.get(key)
        if acl is None:
            names, identity = await self._effective(token)
            acl = ACL.compile(await self._policies(names, identity))
            if len(self._acls) >= _MAX_CACHE:
                self._acls.clear()
            self._acls[key] = acl
        return acl

    async def policies_of(self, token: TokenEntry) -> list[Policy]:
        """The token's policies as parsed, templates resolved (for the resultant-acl view)."""
        return await self._policies(*await self._effective(token))

    async def _policies(self, names: tuple[str, ...], identity: Mapping[str, str]) -> list[Policy]:
        policies = []
        for name in names:
            text = await self.text(name)
            if text is None:
                continue  # Vault ignores a policy name that does not exist
            # None: no placeholders in it, the text stands as written
            rendered = resolve_templates(text, identity) if "{{" in text else None
            policies.append(parse_policy(name, text if rendered is None else rendered))
        return policies
