"""The admin pages (系统管理): users, the audit log, the holiday table."""
