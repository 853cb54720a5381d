"""Layer 5, the ASGI app: parsing, Vault envelopes, and errors mapped to status codes."""
