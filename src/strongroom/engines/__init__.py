"""Layer 4, secrets engines: each a package exporting one backend, registered by mount type."""
