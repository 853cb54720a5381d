"""Layer 4, auth methods: each a package exporting one backend."""
