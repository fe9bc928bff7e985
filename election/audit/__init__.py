"""The hash-chained audit log: one entry per use case, its verification, its page and API."""
