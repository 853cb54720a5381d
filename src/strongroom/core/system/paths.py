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
from strongroom.core.system import (
    path_audit,
    path_blueprints,
    path_leases,
    path_mounts,
    path_namespaces,
    path_node,
    path_openapi,
    path_password_policies,
    path_policies,
    path_quorum,
    path_quotas,
    path_rekey,
    path_status,
    path_tenants,
    path_unseal,
    path_wrapping,
)
from strongroom.core.system.reach import Reach, SysPath
from strongroom.logical.fields import NoFields
from strongroom.logical.paths import OperationSpec as S
from strongroom.logical.paths import PathTable

if TYPE_CHECKING:
    from strongroom.core.core import Core

R, L, U, D, P = Operation.READ, Operation.LIST, Operation.UPDATE, Operation.DELETE, Operation.PATCH
NODE, ROOT, WRAPPING, ANONYMOUS = Reach.NODE, Reach.ROOT, Reach.WRAPPING, Reach.ANONYMOUS
NOT_SERVED = S(path_status.unsupported_path, NoFields)
rekey, quorum, mounts, leases = path_rekey, path_quorum, path_mounts, path_leases
policies, passwords, quotas = path_policies, path_password_policies, path_quotas


def _mounts(table: str, *, sudo: bool) -> list[SysPath]:
    """sys/mounts/:path and sys/auth/:path (Vault protects only the second with sudo)."""
    group = f"(?P<table>{table})"
    return [
        SysPath(
            group + r"/(?P<path>.+?)/tune/?",
            {R: S(mounts.read_tune, mounts.MountPath), U: S(mounts.write_tune, mounts.MountTune)},
            synopsis=mounts.TUNE_SYNOPSIS,
            sudo=sudo,
        ),
        SysPath(
            group + r"/(?P<path>.+)",
            {
                R: S(mounts.read_mount, mounts.MountPath),
                U: S(mounts.enable_mount, mounts.MountEnable),
                D: S(mounts.disable_mount, mounts.MountPath),
            },
            synopsis=mounts.MOUNT_SYNOPSIS,
            sudo=sudo,
        ),
    ]


_NODE = [
    SysPath(
        "health",
        {R: S(path_status.read_health, path_status.HealthQuery)},
        synopsis=path_status.HEALTH_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "seal-status",
        {R: S(path_unseal.read_seal_status)},
        synopsis=path_unseal.SEAL_STATUS_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "init",
        {R: S(path_unseal.read_init), U: S(path_unseal.write_init, path_unseal.InitWrite)},
        synopsis=path_unseal.INIT_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "unseal",
        {U: S(path_unseal.write_unseal, path_unseal.UnsealWrite)},
        synopsis=path_unseal.UNSEAL_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "leader", {R: S(path_status.read_leader)}, synopsis=path_status.LEADER_SYNOPSIS, reach=NODE
    ),
    SysPath(
        "rekey/init",
        {
            R: S(rekey.read_rekey),
            U: S(rekey.start_rekey, rekey.RekeyStart),
            D: S(rekey.cancel_rekey),
        },
        synopsis=rekey.INIT_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "rekey/update",
        {U: S(rekey.update_rekey, quorum.ShareUpdate)},
        synopsis=rekey.UPDATE_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "rekey/verify",
        {
            R: S(rekey.read_verify),
            U: S(rekey.update_verify, quorum.ShareUpdate),
            D: S(rekey.restart_verify),
        },
        synopsis=rekey.VERIFY_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "generate-root/attempt",
        {
            R: S(quorum.read_generate_root),
            U: S(quorum.start_generate_root, quorum.GenerateRootStart),
            D: S(quorum.cancel_generate_root),
        },
        synopsis=quorum.ATTEMPT_SYNOPSIS,
        reach=NODE,
    ),
    SysPath(
        "generate-root/update",
        {U: S(quorum.update_generate_root, quorum.ShareUpdate)},
        synopsis=quorum.UPDATE_SYNOPSIS,
        reach=NODE,
    ),
]

_WRAPPING = [
    SysPath(
        "wrapping/unwrap",
        {U: S(path_wrapping.unwrap, path_wrapping.WrappingToken)},
        synopsis=path_wrapping.UNWRAP_SYNOPSIS,
        reach=WRAPPING,
    ),
    SysPath(
        "wrapping/lookup",
        dict.fromkeys((U, R), S(path_wrapping.lookup, path_wrapping.WrappingToken)),
        synopsis=path_wrapping.LOOKUP_SYNOPSIS,
        reach=WRAPPING,
    ),
    SysPath(
        "wrapping/rewrap",
        {U: S(path_wrapping.rewrap, path_wrapping.WrappingToken)},
        synopsis=path_wrapping.REWRAP_SYNOPSIS,
        reach=WRAPPING,
    ),
    SysPath(
        "wrapping/wrap",
        {U: S(path_wrapping.wrap_data)},
        synopsis=path_wrapping.WRAP_SYNOPSIS,
        arbitrary_input=True,
    ),
]

_SEAL = [
    SysPath(
        "seal",
        {U: S(path_unseal.write_seal)},
        synopsis=path_unseal.SEAL_SYNOPSIS,
        sudo=True,
        reach=ROOT,
    ),
    SysPath(
        "step-down",
        {U: NOT_SERVED},
        synopsis="Not served: a single active node.",
        sudo=True,
        reach=ROOT,
    ),
    SysPath(
        "key-status", {R: S(path_status.read_key_status)}, synopsis=path_status.KEY_STATUS_SYNOPSIS
    ),
    SysPath("rotate", {U: S(path_status.rotate)}, synopsis=path_status.ROTATE_SYNOPSIS, sudo=True),
    SysPath(
        "metrics",
        {R: S(path_status.read_metrics, path_status.MetricsQuery)},
        synopsis=path_status.METRICS_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "ha-status", {R: S(path_node.ha_status)}, synopsis=path_node.HA_STATUS_SYNOPSIS, reach=ROOT
    ),
    SysPath(
        "host-info", {R: S(path_node.host_info)}, synopsis=path_node.HOST_INFO_SYNOPSIS, reach=ROOT
    ),
    SysPath(
        r"raw/.*",
        dict.fromkeys((R, L, U, D), NOT_SERVED),
        synopsis="Not served: raw storage access is never enabled.",
        sudo=True,
        reach=ROOT,
    ),
    SysPath(
        r"(?:rekey|rotate/root)/backup",
        {R: S(rekey.read_backup), D: S(rekey.delete_backup)},
        synopsis=rekey.BACKUP_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "rotate/root/init",
        {
            R: S(rekey.read_rotation),
            U: S(rekey.start_rotation, rekey.RekeyStart),
            D: S(rekey.cancel_rekey),
        },
        synopsis=rekey.INIT_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "rotate/root/update",
        {U: S(rekey.update_rotation, quorum.ShareUpdate)},
        synopsis=rekey.UPDATE_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "rotate/root/verify",
        {
            R: S(rekey.read_rotation_verify),
            U: S(rekey.update_rotation_verify, quorum.ShareUpdate),
            D: S(rekey.restart_rotation_verify),
        },
        synopsis=rekey.VERIFY_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "generate-root-token/attempt",
        {
            R: S(quorum.read_root_token),
            U: S(quorum.start_root_token, quorum.GenerateRootStart),
            D: S(quorum.cancel_generate_root),
        },
        synopsis=quorum.ATTEMPT_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "generate-root-token/update",
        {U: S(quorum.update_root_token, quorum.ShareUpdate)},
        synopsis=quorum.UPDATE_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "decode-token",
        {U: S(quorum.decode_token, quorum.DecodeToken)},
        synopsis=quorum.DECODE_SYNOPSIS,
    ),
]

_MOUNTS = [
    SysPath(
        r"(?P<table>mounts|auth)",
        {R: S(mounts.list_mounts, mounts.Table)},
        synopsis=mounts.LIST_SYNOPSIS,
    ),
    *_mounts("mounts", sudo=False),
    *_mounts("auth", sudo=True),
    SysPath(
        "remount",
        {U: S(mounts.remount, mounts.Remount)},
        synopsis=mounts.REMOUNT_SYNOPSIS,
        sudo=True,
    ),
    SysPath(
        r"remount/status/(?P<migration_id>.+)",
        {R: S(mounts.remount_status, mounts.MigrationId)},
        synopsis=mounts.REMOUNT_STATUS_SYNOPSIS,
    ),
    SysPath(
        "internal/ui/mounts",
        {R: S(mounts.ui_mounts)},
        synopsis=mounts.UI_MOUNTS_SYNOPSIS,
        reach=ANONYMOUS,
    ),
    SysPath(
        r"internal/ui/mounts/(?P<path>.+)",
        {R: S(mounts.ui_mount, mounts.UiMountPath)},
        synopsis=mounts.UI_MOUNT_SYNOPSIS,
    ),
    SysPath(
        "internal/specs/openapi",
        {R: S(path_openapi.read_openapi, path_openapi.OpenApiQuery)},
        synopsis=path_openapi.SYNOPSIS,
        reach=ANONYMOUS,
    ),
]

_POLICIES = [
    SysPath(
        "policy/?", dict.fromkeys((R, L), S(policies.list_legacy)), synopsis=policies.LIST_SYNOPSIS
    ),
    SysPath(
        r"policy/(?P<name>[^/]+)",
        {
            R: S(policies.read_legacy, policies.PolicyName),
            U: S(policies.write_legacy, policies.LegacyPolicyWrite),
            D: S(policies.delete, policies.PolicyName),
        },
        synopsis=policies.POLICY_SYNOPSIS,
    ),
    SysPath("policies/acl/?", {L: S(policies.list_acl)}, synopsis=policies.LIST_SYNOPSIS),
    SysPath(
        r"policies/acl/(?P<name>[^/]+)",
        {
            R: S(policies.read_acl, policies.PolicyName),
            U: S(policies.write, policies.PolicyWrite),
            D: S(policies.delete, policies.PolicyName),
        },
        synopsis=policies.POLICY_SYNOPSIS,
    ),
    SysPath(
        "policies/password/?", {L: S(passwords.list_policies)}, synopsis=passwords.LIST_SYNOPSIS
    ),
    SysPath(
        rf"policies/password/{named('name')}/generate",
        {R: S(passwords.generate_password, passwords.PolicyName)},
        synopsis=passwords.GENERATE_SYNOPSIS,
    ),
    SysPath(
        rf"policies/password/{named('name')}",
        {
            R: S(passwords.read_policy, passwords.PolicyName),
            U: S(passwords.write_policy, passwords.PolicyWrite),
            D: S(passwords.delete_policy, passwords.PolicyName),
        },
        synopsis=passwords.POLICY_SYNOPSIS,
    ),
    SysPath(
        "capabilities",
        {U: S(policies.capabilities, policies.Capabilities)},
        synopsis=policies.CAPABILITIES_SYNOPSIS,
    ),
    SysPath(
        "internal/ui/resultant-acl",
        {R: S(policies.resultant_acl)},
        synopsis=policies.RESULTANT_ACL_SYNOPSIS,
    ),
    SysPath(
        "capabilities-self",
        {U: S(policies.capabilities_self, policies.Capabilities)},
        synopsis=policies.CAPABILITIES_SELF_SYNOPSIS,
    ),
    SysPath(
        "capabilities-accessor",
        {U: S(policies.capabilities_accessor, policies.CapabilitiesAccessor)},
        synopsis=policies.CAPABILITIES_ACCESSOR_SYNOPSIS,
    ),
]

_AUDIT = [
    SysPath(
        "audit/?",
        {R: S(path_audit.list_devices), L: NOT_SERVED},
        synopsis=path_audit.LIST_SYNOPSIS,
        sudo=True,
        reach=ROOT,
    ),
    SysPath(
        r"audit/(?P<path>.+)",
        {
            U: S(path_audit.enable, path_audit.DeviceEnable),
            D: S(path_audit.disable, path_audit.DevicePath),
        },
        synopsis=path_audit.DEVICE_SYNOPSIS,
        sudo=True,
        reach=ROOT,
    ),
    SysPath(
        r"audit-hash/(?P<path>.+)",
        {U: S(path_audit.audit_hash, path_audit.HashInput)},
        synopsis=path_audit.HASH_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "audit-signing-key",
        {R: S(path_audit.signing_key)},
        synopsis=path_audit.SIGNING_KEY_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "audit-checkpoints",
        {R: S(path_audit.checkpoints)},
        synopsis=path_audit.CHECKPOINTS_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "audit-signing-key/rotate",
        {U: S(path_audit.rotate_signing_key)},
        synopsis=path_audit.ROTATE_SYNOPSIS,
        reach=ROOT,
    ),
]

_TENANTS = [
    SysPath(
        r"tenants/(?P<name>[^/]+)",
        {
            R: S(path_tenants.show, path_tenants.TenantName),
            U: S(path_tenants.provision, path_tenants.TenantProvision),
        },
        synopsis=path_tenants.TENANT_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        r"tenants/(?P<name>[^/]+)/services/(?P<service>[^/]+)",
        {U: S(path_tenants.add_service, path_tenants.ServiceAdd)},
        synopsis=path_tenants.SERVICE_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "namespaces/?",
        {L: S(path_namespaces.list_namespaces)},
        synopsis=path_namespaces.LIST_SYNOPSIS,
    ),
    SysPath(
        r"namespaces/(?P<path>.+)",
        {
            R: S(path_namespaces.read, path_namespaces.NamespacePath),
            U: S(path_namespaces.create, path_namespaces.NamespaceCreate),
            P: S(path_namespaces.patch, path_namespaces.NamespacePatch),
            D: S(path_namespaces.delete, path_namespaces.NamespacePath),
        },
        synopsis=path_namespaces.NAMESPACE_SYNOPSIS,
    ),
    SysPath(
        "blueprints/?",
        {L: S(path_blueprints.list_blueprints)},
        synopsis=path_blueprints.LIST_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        r"blueprints/(?P<name>[^/]+)",
        {
            R: S(path_blueprints.read, path_blueprints.BlueprintName),
            U: S(path_blueprints.write, path_blueprints.BlueprintWrite),
            D: S(path_blueprints.delete, path_blueprints.BlueprintName),
        },
        synopsis=path_blueprints.BLUEPRINT_SYNOPSIS,
        reach=ROOT,
    ),
]

_LEASES = [
    SysPath(
        "leases/lookup", {U: S(leases.lookup, leases.LeaseLookup)}, synopsis=leases.LOOKUP_SYNOPSIS
    ),
    SysPath(
        r"leases/lookup/(?P<prefix>.*)",
        {L: S(leases.list_leases, leases.LeasePrefix)},
        synopsis=leases.LOOKUP_SYNOPSIS,
        sudo=True,
    ),
    # The legacy sys/renew and sys/revoke (hvac still calls them) are aliases of sys/leases/*.
    SysPath(
        r"(?:leases/)?renew(?:/(?P<url_lease_id>.+))?",
        {U: S(leases.renew, leases.LeaseRenew)},
        synopsis=leases.RENEW_SYNOPSIS,
    ),
    SysPath(
        r"(?:leases/)?revoke(?:/(?P<url_lease_id>.+))?",
        {U: S(leases.revoke, leases.LeaseRevoke)},
        synopsis=leases.REVOKE_SYNOPSIS,
    ),
    SysPath(
        r"(?:leases/)?revoke-prefix/(?P<prefix>.+)",
        {U: S(leases.revoke_prefix, leases.LeaseRevokePrefix)},
        synopsis=leases.REVOKE_PREFIX_SYNOPSIS,
        sudo=True,
    ),
    SysPath(
        r"(?:leases/)?revoke-force/(?P<prefix>.+)",
        {U: S(leases.revoke_force, leases.LeasePrefix)},
        synopsis=leases.REVOKE_FORCE_SYNOPSIS,
        sudo=True,
    ),
    SysPath("leases/tidy", {U: S(leases.tidy)}, synopsis=leases.TIDY_SYNOPSIS),
]

_QUOTAS = [
    SysPath(
        "quotas/config",
        {R: S(quotas.read_config), U: S(quotas.write_config, quotas.QuotaConfigWrite)},
        synopsis=quotas.CONFIG_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "quotas/rate-limit/?",
        {L: S(quotas.list_rate_limits)},
        synopsis=quotas.LIST_SYNOPSIS,
        reach=ROOT,
    ),
    SysPath(
        "quotas/rate-limit/" + named("name"),
        {
            R: S(quotas.read_rate_limit, quotas.QuotaName),
            U: S(quotas.write_rate_limit, quotas.RateLimitWrite),
            D: S(quotas.delete_rate_limit, quotas.QuotaName),
        },
        synopsis=quotas.RATE_LIMIT_SYNOPSIS,
        reach=ROOT,
    ),
]

TABLE: PathTable[Core] = PathTable(
    [*_NODE, *_WRAPPING, *_SEAL, *_MOUNTS, *_POLICIES, *_AUDIT, *_TENANTS, *_LEASES, *_QUOTAS]
)
