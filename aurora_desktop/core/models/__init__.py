"""Model catalog, fetching from sources, and the on-disk store of verified models."""
