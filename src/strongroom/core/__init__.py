"""Layer 3, the request pipeline: seal state, tokens, ACL, audit hooks, mounts and routing."""
