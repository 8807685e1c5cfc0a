"""The Anthropic Economic Index (observed use of Claude, CC-BY): its releases as a versioned source, and the
match of its task texts to O*NET task ids. Not Dagster code: occurisk_assets/defs/aei wraps it."""
