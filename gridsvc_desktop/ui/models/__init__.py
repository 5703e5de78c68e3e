"""Qt item models (tables over service queries)."""
