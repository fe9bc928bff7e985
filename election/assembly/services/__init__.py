"""年会 use cases: one function = one transaction + one audit entry."""
