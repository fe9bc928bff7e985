"""Reads on a real streaming replica (ELECTION_DATABASE_REPLICA_URL): routing, read-your-writes, fallback."""
