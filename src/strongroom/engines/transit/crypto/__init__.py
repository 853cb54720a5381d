"""The transit engine's sharp tools, one small module per key family, over `cryptography` only.

    aead        AES-GCM / ChaCha20-Poly1305 with Vault's nonce‖ct‖tag layout, convergent nonces
    kdf         HKDF-SHA256 key derivation for derived keys (Vault's `hkdf_sha256` KDF)
    digest      hash and HMAC functions by Vault's algorithm names
    asymmetric  Ed25519, ECDSA and RSA key generation, signing and verification, PEM/DER forms
    wrap        BYOK unwrapping: RSA-OAEP then AES-KWP (RFC 5649), as Vault's `import` expects

Nothing here knows about storage, requests or policies; handlers validate before calling in.
"""
