"""Storage: SQLAlchemy tables, the engine and Alembic migrations. No business rules live here."""
