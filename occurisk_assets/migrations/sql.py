"""Run a migration's SQL as written: straight through the driver, so several statements, `::` casts and
regular expressions need no escaping for SQLAlchemy."""


def run_sql(op, statements: str) -> None:
    op.get_bind().connection.driver_connection.execute(statements)
