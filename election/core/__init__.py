"""The shared core: app configuration, database and transactions, clock, permissions and roles, errors, forms base,
security headers, template helpers, the page cache, charts, migrations, backup."""
