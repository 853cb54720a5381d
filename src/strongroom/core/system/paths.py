"""The system backend's route table: Vault's `sys/` path tree (api-docs/system).

Patterns are anchored by the table and relative to `sys/`. `reach` says who reaches a route
and from where (`reach.py`): the node's unauthenticated paths answer while sealed and only in
the root namespace, the node's own paths (seal, audit, quotas, tenants...) are 404 inside a
namespace, and `sudo` marks Vault's root-protected paths (PathsSpecial.Root).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from strongroom.core.request import Operation
from strongroom.core.routes import named
from strongroom.core.system import path_audit as audit
from strongroom.core.system import path_blueprints as blueprints
from strongroom.core.system import path_leases as leases
from strongroom.core.system import path_mounts as mounts
from strongroom.core.system import path_namespaces as namespaces
from strongroom.core.system import path_node as node
from strongroom.core.system import path_openapi as openapi
from strongroom.core.system import path_password_policies as passwords
from strongroom.core.system import path_policies as policies
from strongroom.core.system import path_quorum as quorum
from strongroom.core.system import path_quotas as quotas
from strongroom.core.system import path_rekey as rekey
from strongroom.core.system import path_status as status
from strongroom.core.system import path_tenants as tenants
from strongroom.core.system import path_unseal as unseal
from strongroom.core.system import path_wrapping as wrapping
from strongroom.core.system.reach import Reach, SysPath
from strongroom.logical.fields import NoFields
from strongroom.logical.paths import OperationSpec as S
from strongroom.logical.paths import PathTable

if TYPE_CHECKING:
    from strongroom.core.core import Core

R, L, U, D, P = Operation.READ, Operation.LIST, Operation.UPDATE, Operation.DELETE, Operation.PATCH
NODE, ROOT, WRAPPED, ANONYMOUS = Reach.NODE, Reach.ROOT, Reach.WRAPPING, Reach.ANONYMOUS
NOT_SERVED = S(status.unsupported_path, NoFields)


def _mounts(table: str, *, sudo: bool) -> list[SysPath]:
    """sys/mounts/:path and sys/auth/:path (Vault protects only the second with sudo)."""
    group = f"(?P<table>{table})"
    return [
        SysPath(
            group + r"/(?P<path>.+?)/tune/?",
            {R: S(mounts.read_tune, mounts.MountPath), U: S(mounts.write_tune, mounts.MountTune)},
            mounts.TUNE_SYNOPSIS,
            sudo=sudo,
        ),
        SysPath(
            group + r"/(?P<path>.+)",
            {
                R: S(mounts.read_mount, mounts.MountPath),
                U: S(mounts.enable_mount, mounts.MountEnable),
                D: S(mounts.disable_mount, mounts.MountPath),
            },
            mounts.MOUNT_SYNOPSIS,
            sudo=sudo,
        ),
    ]


_NODE = [
    SysPath(
        "health", {R: S(status.read_health, status.HealthQuery)}, status.HEALTH_SYNOPSIS, reach=NODE
    ),
    SysPath(
        "seal-status", {R: S(unseal.read_seal_status)}, unseal.SEAL_STATUS_SYNOPSIS, reach=NODE
    ),
    SysPath(
        "init",
        {R: S(unseal.read_init), U: S(unseal.write_init, unseal.InitWrite)},
        unseal.INIT_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "unseal",
        {U: S(unseal.write_unseal, unseal.UnsealWrite)},
        unseal.UNSEAL_SYNOPSIS,
        reach=NODE,
    ),
    SysPath("leader", {R: S(status.read_leader)}, status.LEADER_SYNOPSIS, reach=NODE),
    SysPath(
        "rekey/init",
        {
            R: S(rekey.read_rekey),
            U: S(rekey.start_rekey, rekey.RekeyStart),
            D: S(rekey.cancel_rekey),
        },
        rekey.INIT_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "rekey/update",
        {U: S(rekey.update_rekey, quorum.ShareUpdate)},
        rekey.UPDATE_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "rekey/verify",
        {
            R: S(rekey.read_verify),
            U: S(rekey.update_verify, quorum.ShareUpdate),
            D: S(rekey.restart_verify),
        },
        rekey.VERIFY_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "generate-root/attempt",
        {
            R: S(quorum.read_generate_root),
            U: S(quorum.start_generate_root, quorum.GenerateRootStart),
            D: S(quorum.cancel_generate_root),
        },
        quorum.ATTEMPT_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "generate-root/update",
        {U: S(quorum.update_generate_root, quorum.ShareUpdate)},
        quorum.UPDATE_SYNOPSIS,
        reach=NODE,
    ),
]

_WRAPPED = [
    SysPath(
        "wrapping/unwrap",
        {U: S(wrapping.unwrap, wrapping.WrappingToken)},
        wrapping.UNWRAP_SYNOPSIS,
        reach=WRAPPED,
    ),
    SysPath(
        "wrapping/lookup",
        dict.fromkeys((U, R), S(wrapping.lookup, wrapping.WrappingToken)),
        wrapping.LOOKUP_SYNOPSIS,
        reach=WRAPPED,
    ),
    SysPath(
        "wrapping/rewrap",
        {U: S(wrapping.rewrap, wrapping.WrappingToken)},
        wrapping.REWRAP_SYNOPSIS,
        reach=WRAPPED,
    ),
    SysPath(
        "wrapping/wrap", {U: S(wrapping.wrap_data)}, wrapping.WRAP_SYNOPSIS, arbitrary_input=True
    ),
]

_SEAL = [
    SysPath("seal", {U: S(unseal.write_seal)}, unseal.SEAL_SYNOPSIS, sudo=True, reach=ROOT),
    SysPath(
        "step-down", {U: NOT_SERVED}, "Not served: a single active node.", sudo=True, reach=ROOT
    ),
    SysPath("key-status", {R: S(status.read_key_status)}, status.KEY_STATUS_SYNOPSIS),
    SysPath("rotate", {U: S(status.rotate)}, status.ROTATE_SYNOPSIS, sudo=True),
    SysPath(
        "metrics",
        {R: S(status.read_metrics, status.MetricsQuery)},
        status.METRICS_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath("ha-status", {R: S(node.ha_status)}, node.HA_STATUS_SYNOPSIS, reach=ROOT),
    SysPath("host-info", {R: S(node.host_info)}, node.HOST_INFO_SYNOPSIS, reach=ROOT),
    SysPath(
        r"raw/.*",
        dict.fromkeys((R, L, U, D), NOT_SERVED),
        "Not served: raw storage access is never enabled.",
        sudo=True,
        reach=ROOT,
    ),
    SysPath(
        r"(?:rekey|rotate/root)/backup",
        {R: S(rekey.read_backup), D: S(rekey.delete_backup)},
        rekey.BACKUP_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "rotate/root/init",
        {
            R: S(rekey.read_rotation),
            U: S(rekey.start_rotation, rekey.RekeyStart),
            D: S(rekey.cancel_rekey),
        },
        rekey.INIT_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "rotate/root/update",
        {U: S(rekey.update_rotation, quorum.ShareUpdate)},
        rekey.UPDATE_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "rotate/root/verify",
        {
            R: S(rekey.read_rotation_verify),
            U: S(rekey.update_rotation_verify, quorum.ShareUpdate),
            D: S(rekey.restart_rotation_verify),
        },
        rekey.VERIFY_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "generate-root-token/attempt",
        {
            R: S(quorum.read_root_token),
            U: S(quorum.start_root_token, quorum.GenerateRootStart),
            D: S(quorum.cancel_generate_root),
        },
        quorum.ATTEMPT_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "generate-root-token/update",
        {U: S(quorum.update_root_token, quorum.ShareUpdate)},
        quorum.UPDATE_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "decode-token", {U: S(quorum.decode_token, quorum.DecodeToken)}, quorum.DECODE_SYNOPSIS
    ),
]

_MOUNTS = [
    SysPath(
        r"(?P<table>mounts|auth)", {R: S(mounts.list_mounts, mounts.Table)}, mounts.LIST_SYNOPSIS
    ),
    *_mounts("mounts", sudo=False),
    *_mounts("auth", sudo=True),
    SysPath("remount", {U: S(mounts.remount, mounts.Remount)}, mounts.REMOUNT_SYNOPSIS, sudo=True),
    SysPath(
        r"remount/status/(?P<migration_id>.+)",
        {R: S(mounts.remount_status, mounts.MigrationId)},
        mounts.REMOUNT_STATUS_SYNOPSIS,
    ),
    SysPath(
        "internal/ui/mounts", {R: S(mounts.ui_mounts)}, mounts.UI_MOUNTS_SYNOPSIS, reach=ANONYMOUS
    ),
    SysPath(
        r"internal/ui/mounts/(?P<path>.+)",
        {R: S(mounts.ui_mount, mounts.UiMountPath)},
        mounts.UI_MOUNT_SYNOPSIS,
    ),
    SysPath(
        "internal/specs/openapi",
        {R: S(openapi.read_openapi, openapi.OpenApiQuery)},
        openapi.SYNOPSIS,
        reach=ANONYMOUS,
    ),
]

_POLICIES = [
    SysPath("policy/?", dict.fromkeys((R, L), S(policies.list_legacy)), policies.LIST_SYNOPSIS),
    SysPath(
        r"policy/(?P<name>[^/]+)",
        {
            R: S(policies.read_legacy, policies.PolicyName),
            U: S(policies.write_legacy, policies.LegacyPolicyWrite),
            D: S(policies.delete, policies.PolicyName),
        },
        policies.POLICY_SYNOPSIS,
    ),
    SysPath("policies/acl/?", {L: S(policies.list_acl)}, policies.LIST_SYNOPSIS),
    SysPath(
        r"policies/acl/(?P<name>[^/]+)",
        {
            R: S(policies.read_acl, policies.PolicyName),
            U: S(policies.write, policies.PolicyWrite),
            D: S(policies.delete, policies.PolicyName),
        },
        policies.POLICY_SYNOPSIS,
    ),
    SysPath("policies/password/?", {L: S(passwords.list_policies)}, passwords.LIST_SYNOPSIS),
    SysPath(
        rf"policies/password/{named('name')}/generate",
        {R: S(passwords.generate_password, passwords.PolicyName)},
        passwords.GENERATE_SYNOPSIS,
    ),
    SysPath(
        rf"policies/password/{named('name')}",
        {
            R: S(passwords.read_policy, passwords.PolicyName),
            U: S(passwords.write_policy, passwords.PolicyWrite),
            D: S(passwords.delete_policy, passwords.PolicyName),
        },
        passwords.POLICY_SYNOPSIS,
    ),
    SysPath(
        "capabilities",
        {U: S(policies.capabilities, policies.Capabilities)},
        policies.CAPABILITIES_SYNOPSIS,
    ),
    SysPath(
        "internal/ui/resultant-acl", {R: S(policies.resultant_acl)}, policies.RESULTANT_ACL_SYNOPSIS
    ),
    SysPath(
        "capabilities-self",
        {U: S(policies.capabilities_self, policies.Capabilities)},
        policies.CAPABILITIES_SELF_SYNOPSIS,
    ),
    SysPath(
        "capabilities-accessor",
        {U: S(policies.capabilities_accessor, policies.CapabilitiesAccessor)},
        policies.CAPABILITIES_ACCESSOR_SYNOPSIS,
    ),
]

_AUDIT = [
    SysPath(
        "audit/?",
        {R: S(audit.list_devices), L: NOT_SERVED},
        audit.LIST_SYNOPSIS,
        sudo=True,
        reach=ROOT,
    ),
    SysPath(
        r"audit/(?P<path>.+)",
        {
            U: S(audit.enable, audit.DeviceEnable),
            D: S(audit.disable, audit.DevicePath),
        },
        audit.DEVICE_SYNOPSIS,
        sudo=True,
        reach=ROOT,
    ),
    SysPath(
        r"audit-hash/(?P<path>.+)",
        {U: S(audit.audit_hash, audit.HashInput)},
        audit.HASH_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath("audit-signing-key", {R: S(audit.signing_key)}, audit.SIGNING_KEY_SYNOPSIS, reach=ROOT),
    SysPath("audit-checkpoints", {R: S(audit.checkpoints)}, audit.CHECKPOINTS_SYNOPSIS, reach=ROOT),
    SysPath(
        "audit-signing-key/rotate",
        {U: S(audit.rotate_signing_key)},
        audit.ROTATE_SYNOPSIS,
        reach=ROOT,
    ),
]

_TENANTS = [
    SysPath(
        r"tenants/(?P<name>[^/]+)",
        {
            R: S(tenants.show, tenants.TenantName),
            U: S(tenants.provision, tenants.TenantProvision),
        },
        tenants.TENANT_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        r"tenants/(?P<name>[^/]+)/services/(?P<service>[^/]+)",
        {U: S(tenants.add_service, tenants.ServiceAdd)},
        tenants.SERVICE_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath("namespaces/?", {L: S(namespaces.list_namespaces)}, namespaces.LIST_SYNOPSIS),
    SysPath(
        r"namespaces/(?P<path>.+)",
        {
            R: S(namespaces.read, namespaces.NamespacePath),
            U: S(namespaces.create, namespaces.NamespaceCreate),
            P: S(namespaces.patch, namespaces.NamespacePatch),
            D: S(namespaces.delete, namespaces.NamespacePath),
        },
        namespaces.NAMESPACE_SYNOPSIS,
    ),
    SysPath(
        "blueprints/?", {L: S(blueprints.list_blueprints)}, blueprints.LIST_SYNOPSIS, reach=ROOT
    ),
    SysPath(
        r"blueprints/(?P<name>[^/]+)",
        {
            R: S(blueprints.read, blueprints.BlueprintName),
            U: S(blueprints.write, blueprints.BlueprintWrite),
            D: S(blueprints.delete, blueprints.BlueprintName),
        },
        blueprints.BLUEPRINT_SYNOPSIS,
        reach=ROOT,
    ),
]

_LEASES = [
    SysPath("leases/lookup", {U: S(leases.lookup, leases.LeaseLookup)}, leases.LOOKUP_SYNOPSIS),
    SysPath(
        r"leases/lookup/(?P<prefix>.*)",
        {L: S(leases.list_leases, leases.LeasePrefix)},
        leases.LOOKUP_SYNOPSIS,
        sudo=True,
    ),
    # The legacy sys/renew and sys/revoke (hvac still calls them) are aliases of sys/leases/*.
    SysPath(
        r"(?:leases/)?renew(?:/(?P<url_lease_id>.+))?",
        {U: S(leases.renew, leases.LeaseRenew)},
        leases.RENEW_SYNOPSIS,
    ),
    SysPath(
        r"(?:leases/)?revoke(?:/(?P<url_lease_id>.+))?",
        {U: S(leases.revoke, leases.LeaseRevoke)},
        leases.REVOKE_SYNOPSIS,
    ),
    SysPath(
        r"(?:leases/)?revoke-prefix/(?P<prefix>.+)",
        {U: S(leases.revoke_prefix, leases.LeaseRevokePrefix)},
        leases.REVOKE_PREFIX_SYNOPSIS,
        sudo=True,
    ),
    SysPath(
        r"(?:leases/)?revoke-force/(?P<prefix>.+)",
        {U: S(leases.revoke_force, leases.LeasePrefix)},
        leases.REVOKE_FORCE_SYNOPSIS,
        sudo=True,
    ),
    SysPath("leases/tidy", {U: S(leases.tidy)}, leases.TIDY_SYNOPSIS),
]

_QUOTAS = [
    SysPath(
        "quotas/config",
        {R: S(quotas.read_config), U: S(quotas.write_config, quotas.QuotaConfigWrite)},
        quotas.CONFIG_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "quotas/rate-limit/?", {L: S(quotas.list_rate_limits)}, quotas.LIST_SYNOPSIS, reach=ROOT
    ),
    SysPath(
        "quotas/rate-limit/" + named("name"),
        {
            R: S(quotas.read_rate_limit, quotas.QuotaName),
            U: S(quotas.write_rate_limit, quotas.RateLimitWrite),
            D: S(quotas.delete_rate_limit, quotas.QuotaName),
        },
        quotas.RATE_LIMIT_SYNOPSIS,
        reach=ROOT,
    ),
]

TABLE: PathTable[Core] = PathTable(
    [*_NODE, *_WRAPPED, *_SEAL, *_MOUNTS, *_POLICIES, *_AUDIT, *_TENANTS, *_LEASES, *_QUOTAS]
)
