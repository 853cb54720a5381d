"""The transit engine: keys, encrypt/decrypt/rewrap, datakeys, HMAC, sign/verify, random,
hash, key configuration and rotation."""

from __future__ import annotations

from conformance.harness import Scenario, Step
from conformance.scenarios.steps import delete, get, lst, post

MOUNT = post("sys/mounts/{m}", {"type": "transit"})
PLAIN = "aGVsbG8="  # "hello"


def _t(name: str, *steps: Step) -> Scenario:
    return Scenario(f"transit-{name}", [MOUNT, *steps])


def _key(kind: str = "aes256-gcm96", **extra: object) -> Step:
    return post("{m}/keys/k", {"type": kind, **extra})


ENCRYPT = post("{m}/encrypt/k", {"plaintext": PLAIN}, save={"ct": "data.ciphertext"})

KEY_TYPES = [
    _t(f"key-{kind}", _key(kind), get("{m}/keys/k"))
    for kind in (
        "aes128-gcm96",
        "aes256-gcm96",
        "chacha20-poly1305",
        "ed25519",
        "ecdsa-p256",
        "ecdsa-p384",
        "rsa-2048",
        "hmac",
    )
]

OTHER = [
    _t("key-default-type", post("{m}/keys/k"), get("{m}/keys/k")),
    _t("key-bad-type", _key("nonsense")),
    _t("key-read-missing", get("{m}/keys/none")),
    _t("keys-list", _key(), lst("{m}/keys", values=True)),
    _t("keys-list-empty", lst("{m}/keys")),
    _t(
        "key-exportable-string",
        _key(exportable="true"),
        get("{m}/keys/k", pick="data.exportable", values=True),
    ),
    _t(
        "encrypt-decrypt",
        _key(),
        ENCRYPT,
        post("{m}/decrypt/k", {"ciphertext": "{ct}"}, values=True),
    ),
    _t("encrypt-creates-key", ENCRYPT, get("{m}/keys/k", pick="data.type", values=True)),
    _t("encrypt-bad-base64", _key(), post("{m}/encrypt/k", {"plaintext": "%%%"})),
    _t("decrypt-garbage", _key(), post("{m}/decrypt/k", {"ciphertext": "vault:v1:AAAA"})),
    _t("decrypt-no-prefix", _key(), post("{m}/decrypt/k", {"ciphertext": "AAAA"})),
    _t(
        "encrypt-batch",
        _key(),
        post("{m}/encrypt/k", {"batch_input": [{"plaintext": PLAIN}, {"plaintext": PLAIN}]}),
    ),
    _t(
        "rotate",
        _key(),
        post("{m}/keys/k/rotate"),
        get("{m}/keys/k", pick="data.latest_version", values=True),
    ),
    _t(
        "rewrap",
        _key(),
        ENCRYPT,
        post("{m}/keys/k/rotate"),
        post("{m}/rewrap/k", {"ciphertext": "{ct}"}),
    ),
    _t(
        "config-min-decryption",
        _key(),
        post("{m}/keys/k/rotate"),
        post("{m}/keys/k/config", {"min_decryption_version": 2}),
        get("{m}/keys/k", pick="data.min_decryption_version", values=True),
    ),
    _t(
        "config-weak-types",
        _key(),
        post("{m}/keys/k/config", {"deletion_allowed": "true", "min_decryption_version": "1"}),
        get("{m}/keys/k", pick="data.deletion_allowed", values=True),
    ),
    _t("delete-not-allowed", _key(), delete("{m}/keys/k")),
    _t(
        "delete-allowed",
        _key(),
        post("{m}/keys/k/config", {"deletion_allowed": True}),
        delete("{m}/keys/k"),
        get("{m}/keys/k"),
    ),
    _t("datakey-plaintext", _key(), post("{m}/datakey/plaintext/k")),
    _t("datakey-wrapped", _key(), post("{m}/datakey/wrapped/k", {"bits": 512})),
    _t("datakey-bad-bits", _key(), post("{m}/datakey/plaintext/k", {"bits": 100})),
    _t("hmac", _key(), post("{m}/hmac/k", {"input": PLAIN})),
    _t("hmac-sha512", _key(), post("{m}/hmac/k/sha2-512", {"input": PLAIN})),
    _t(
        "hmac-verify",
        _key(),
        post("{m}/hmac/k", {"input": PLAIN}, save={"h": "data.hmac"}),
        post("{m}/verify/k", {"input": PLAIN, "hmac": "{h}"}, values=True),
    ),
    _t(
        "sign-verify-ed25519",
        _key("ed25519"),
        post("{m}/sign/k", {"input": PLAIN}, save={"s": "data.signature"}),
        post("{m}/verify/k", {"input": PLAIN, "signature": "{s}"}, values=True),
    ),
    _t("sign-ecdsa", _key("ecdsa-p256"), post("{m}/sign/k", {"input": PLAIN})),
    _t("sign-aes-refused", _key(), post("{m}/sign/k", {"input": PLAIN})),
    _t(
        "verify-bad-signature",
        _key("ed25519"),
        post("{m}/verify/k", {"input": PLAIN, "signature": "vault:v1:AAAA"}),
    ),
    _t("random", post("{m}/random/16")),
    _t("random-body", post("{m}/random", {"bytes": 8, "format": "hex"})),
    _t("random-bad-format", post("{m}/random", {"format": "octal"})),
    _t("hash", post("{m}/hash", {"input": PLAIN}, values=True)),
    _t(
        "hash-sha512-hex", post("{m}/hash/sha2-512", {"input": PLAIN, "format": "hex"}, values=True)
    ),
    _t("export-not-exportable", _key(), get("{m}/export/encryption-key/k")),
    _t("export", _key(exportable=True), get("{m}/export/encryption-key/k")),
    _t(
        "trim",
        _key(),
        post("{m}/keys/k/rotate"),
        post("{m}/keys/k/config", {"min_decryption_version": 2, "min_encryption_version": 2}),
        post("{m}/keys/k/trim", {"min_available_version": 2}),
    ),
    _t("cache-config", get("{m}/cache-config")),
    _t(
        "key-derived-needs-context", _key(derived=True), post("{m}/encrypt/k", {"plaintext": PLAIN})
    ),
]

SCENARIOS = [*KEY_TYPES, *OTHER]
