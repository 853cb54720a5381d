"""The cert method's storage layout below its mount's view (the barrier seals every value):

cert/<name>     CertRole
crls/<name>     Crl
config          Config
"""

from __future__ import annotations

from strongroom.auth.cert.models import CONFIG, CRL, ROLE, CertRole, Config, Crl, encode
from strongroom.logical import View

ROLES = "cert/"
CRLS = "crls/"
CONFIG_PATH = "config"


class Store:
    """The handlers' view of one cert mount's records."""

    def __init__(self, view: View) -> None:
        self.view = view

    async def role(self, name: str) -> CertRole | None:
        raw = await self.view.get(ROLES + name)
        return None if raw is None else ROLE.decode(raw)

    async def put_role(self, role: CertRole) -> None:
        await self.view.put(ROLES + role.name, encode(role))

    async def delete_role(self, name: str) -> None:
        await self.view.delete(ROLES + name)

    async def role_names(self) -> list[str]:
        return await self.view.list(ROLES)

    async def roles(self) -> list[CertRole]:
        """Every trusted certificate role, by name."""
        found = [await self.role(name) for name in await self.role_names()]
        return [role for role in found if role is not None]

    async def crl(self, name: str) -> Crl | None:
        raw = await self.view.get(CRLS + name)
        return None if raw is None else CRL.decode(raw)

    async def put_crl(self, name: str, crl: Crl) -> None:
        await self.view.put(CRLS + name, encode(crl))

    async def delete_crl(self, name: str) -> None:
        await self.view.delete(CRLS + name)

    async def revoked_serials(self) -> frozenset[str]:
        """Every serial number some stored CRL revokes."""
        serials: set[str] = set()
        for name in await self.view.list(CRLS):
            crl = await self.crl(name)
            serials.update(crl.serials if crl is not None else ())
        return frozenset(serials)

    async def config(self) -> Config:
        raw = await self.view.get(CONFIG_PATH)
        return Config() if raw is None else CONFIG.decode(raw)

    async def put_config(self, config: Config) -> None:
        await self.view.put(CONFIG_PATH, encode(config))
