"""Storage: engine, tables, migrations and backups. No Qt here."""
