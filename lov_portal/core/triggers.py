"""Database triggers that keep frozen records frozen, derived from the model declarations.

Longer than 400 lines on purpose: the PostgreSQL and the SQLite triggers are two renderings
of the same `Protection`s, and are reviewed side by side with the check that finds them
missing or changed; a change to one backend must be seen next to the other.

Two kinds of table are protected, on PostgreSQL and on SQLite:

- every concrete subclass of `AppendOnlyModel`: UPDATE and DELETE are refused. The one
  exception is an update that changes nothing but the model's `purgeable_fields`, and those
  only to NULL (nullable columns) or '' (the others): the IP-address purge after the
  retention period (lov_portal.privacy.services.ip_addresses_purge);
- every model that declares `frozen_fields` and `published_field` (AgreementVersion): while
  its `current_field` is true, and for ever once the published column is set, the frozen
  columns never change, a set published column never changes, and the row is never deleted.
  Before that a draft can be edited freely.
- an append-only model's `set_once_fields` may go from NULL to a value once (a row made before
  the evidence log existed gets its log entry by the backfill).

PostgreSQL gets one plpgsql function and one BEFORE UPDATE OR DELETE row trigger per table;
SQLite gets two BEFORE triggers (UPDATE, DELETE) per table that `RAISE(ABORT, ...)`. Both
report SQLSTATE class 23, so Django raises `IntegrityError` on either database.

`install()` is idempotent (drop if exists, then create) and runs from a migration
(lov_portal/portal/migrations) and after every `migrate` (post_migrate, wired in
CoreConfig.ready), so a model added later is covered without a migration of its own.
`problems()` lists every trigger that is missing, disabled or different from what the models
declare; it is a system check (`manage.py check --database default`) and part of
`manage.py verify_register`.

Triggers stop mistakes and anyone using the application's own paths; a database superuser can
still drop or bypass them (PostgreSQL: `session_replication_role = replica`). That is why
`problems()` exists and why the evidence log detects what is forced anyway (docs/evidence.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper

PREFIX = "lov_frozen_"
# BEFORE (2) | ROW (1) | DELETE (8) | UPDATE (16), as pg_trigger.tgtype encodes them.
PG_TGTYPE = 1 | 2 | 8 | 16


@dataclass(frozen=True)
class Protection:
    """What the database enforces for one table."""

    model: type[models.Model]
    table: str
    # append-only: every column except `purgeable`; published: `frozen` once `published` is set.
    kind: str
    columns: tuple[str, ...]
    purgeable: tuple[tuple[str, bool], ...] = ()  # (column, nullable)
    set_once: tuple[str, ...] = ()
    frozen: tuple[str, ...] = ()
    published: str = ""
    current: str = ""

    @property
    def name(self) -> str:
        return _identifier(PREFIX + self.table)

    def message(self, operation: str) -> str:
        if self.kind == "append-only":
            allowed = []
            if self.purgeable:
                cleared = ", ".join(column for column, _nullable in self.purgeable)
                allowed.append(f"only {cleared} may be cleared")
            if self.set_once:
                allowed.append(f"{', '.join(self.set_once)} may be set once")
            if operation == "UPDATE" and allowed:
                return f"{self.table} is append-only: UPDATE refused ({'; '.join(allowed)})"
            return f"{self.table} is append-only: {operation} refused"
        if operation == "UPDATE":
            frozen = ", ".join((*self.frozen, self.published))
            return f"{self.table}: a published row is frozen: {frozen} cannot change"
        return f"{self.table}: a published row cannot be deleted"


def _identifier(name: str) -> str:
    # PostgreSQL cuts identifiers at 63 bytes; keep long ones unique instead.
    if len(name) <= 63:
        return name
    return name[:54] + "_" + hashlib.sha256(name.encode()).hexdigest()[:8]


def _column(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


def _columns(model: type[models.Model], names: Iterable[str]) -> tuple[str, ...]:
    return tuple(_column(model, name).column for name in names)


def protections() -> list[Protection]:
    """Every protected table, from the models that are installed now."""
    from lov_portal.core.models import AppendOnlyModel

    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.abstract:
            continue
        table = {
            "model": model,
            "table": meta.db_table,
            "columns": tuple(field.column for field in meta.local_concrete_fields),
        }
        if issubclass(model, AppendOnlyModel):
            purgeable = tuple(
                (_column(model, name).column, _column(model, name).null)
                for name in model.purgeable_fields
            )
            set_once = _columns(model, model.set_once_fields)
            found.append(
                Protection(kind="append-only", purgeable=purgeable, set_once=set_once, **table)
            )
        elif getattr(model, "frozen_fields", None) and getattr(model, "published_field", ""):
            found.append(
                Protection(
                    kind="published",
                    frozen=_columns(model, model.frozen_fields),
                    published=_column(model, model.published_field).column,
                    current=(
                        _column(model, model.current_field).column
                        if getattr(model, "current_field", "")
                        else ""
                    ),
                    **table,
                )
            )
    return sorted(found, key=lambda protection: protection.table)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- PostgreSQL ------------------------------------------------------------------------------


def pg_function_body(protection: Protection) -> str:
    """The plpgsql body of the table's trigger function (compared byte for byte by problems())."""
    refuse_update = _quote(protection.message("UPDATE"))
    refuse_delete = _quote(protection.message("DELETE"))
    errcode = "USING ERRCODE = 'integrity_constraint_violation'"
    if protection.kind == "append-only":
        if protection.purgeable or protection.set_once:
            names = ", ".join(
                _quote(column)
                for column in (*(c for c, _nullable in protection.purgeable), *protection.set_once)
            )
            rest = f"ARRAY[{names}]::text[]"
            conditions = [f"(to_jsonb(NEW) - {rest}) = (to_jsonb(OLD) - {rest})"]
            for column, nullable in protection.purgeable:
                empty = f"NEW.{_q(column)} IS NULL" if nullable else f"NEW.{_q(column)} = ''"
                conditions.append(
                    f"(NEW.{_q(column)} IS NOT DISTINCT FROM OLD.{_q(column)} OR {empty})"
                )
            for column in protection.set_once:
                conditions.append(
                    f"(NEW.{_q(column)} IS NOT DISTINCT FROM OLD.{_q(column)}"
                    f" OR OLD.{_q(column)} IS NULL)"
                )
            allowed = " AND ".join(conditions)
            update = (
                f"  IF TG_OP = 'UPDATE' AND {allowed} THEN\n"
                "    RETURN NEW;\n"
                "  END IF;\n"
                "  IF TG_OP = 'UPDATE' THEN\n"
                f"    RAISE EXCEPTION {refuse_update} {errcode};\n"
                "  END IF;\n"
            )
        else:
            update = (
                "  IF TG_OP = 'UPDATE' THEN\n"
                f"    RAISE EXCEPTION {refuse_update} {errcode};\n"
                "  END IF;\n"
            )
        return f"BEGIN\n{update}  RAISE EXCEPTION {refuse_delete} {errcode};\nEND;"
    published = _q(protection.published)
    frozen_now = f"OLD.{published} IS NOT NULL"
    if protection.current:
        frozen_now += f" OR OLD.{_q(protection.current)}"
    # The frozen columns never change; published_at may be set once, never changed after.
    unchanged = " AND ".join(
        [
            *(
                f"NEW.{_q(column)} IS NOT DISTINCT FROM OLD.{_q(column)}"
                for column in protection.frozen
            ),
            f"(OLD.{published} IS NULL OR NEW.{published} IS NOT DISTINCT FROM OLD.{published})",
        ]
    )
    return (
        "BEGIN\n"
        f"  IF NOT ({frozen_now}) THEN\n"
        "    IF TG_OP = 'DELETE' THEN\n"
        "      RETURN OLD;\n"
        "    END IF;\n"
        "    RETURN NEW;\n"
        "  END IF;\n"
        "  IF TG_OP = 'DELETE' THEN\n"
        f"    RAISE EXCEPTION {refuse_delete} {errcode};\n"
        "  END IF;\n"
        f"  IF {unchanged} THEN\n"
        "    RETURN NEW;\n"
        "  END IF;\n"
        f"  RAISE EXCEPTION {refuse_update} {errcode};\n"
        "END;"
    )


def _pg_install(cursor: object, protection: Protection) -> None:
    name = _q(protection.name)
    cursor.execute(
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $lov$"
        f"{pg_function_body(protection)}$lov$"
    )
    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {_q(protection.table)}")
    cursor.execute(
        f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {_q(protection.table)} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}()"
    )


def _pg_uninstall(cursor: object, protection: Protection) -> None:
    name = _q(protection.name)
    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {_q(protection.table)}")
    cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def _pg_problems(cursor: object, protection: Protection) -> list[str]:
    cursor.execute(
        "SELECT t.tgenabled, t.tgtype, p.proname, p.prosrc FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid "
        "WHERE c.relname = %s AND t.tgname = %s AND c.relnamespace = "
        "(SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND NOT t.tgisinternal",
        [protection.table, protection.name],
    )
    row = cursor.fetchone()
    if row is None:
        return [f"{protection.table}: the trigger {protection.name} is missing"]
    enabled, tgtype, function, source = row
    found = []
    if enabled == "D":
        found.append(f"{protection.table}: the trigger {protection.name} is disabled")
    if tgtype != PG_TGTYPE or function != protection.name:
        found.append(
            f"{protection.table}: the trigger {protection.name} is not the expected "
            "BEFORE UPDATE OR DELETE row trigger"
        )
    if source != pg_function_body(protection):
        found.append(
            f"{protection.table}: the function {protection.name}() differs from the "
            "expected definition"
        )
    return found


# --- SQLite ----------------------------------------------------------------------------------


def sqlite_triggers(protection: Protection) -> dict[str, str]:
    """Trigger name -> its CREATE TRIGGER statement, as sqlite_master keeps it."""
    table = _q(protection.table)
    update_name = protection.name + "_update"
    delete_name = protection.name + "_delete"
    refuse_update = f"BEGIN SELECT RAISE(ABORT, {_quote(protection.message('UPDATE'))}); END"
    refuse_delete = f"BEGIN SELECT RAISE(ABORT, {_quote(protection.message('DELETE'))}); END"
    if protection.kind == "append-only":
        update_when = ""
        if protection.purgeable or protection.set_once:
            loose = {column for column, _nullable in protection.purgeable} | set(
                protection.set_once
            )
            conditions = [
                f"NEW.{_q(column)} IS OLD.{_q(column)}"
                for column in protection.columns
                if column not in loose
            ]
            for column, nullable in protection.purgeable:
                empty = f"NEW.{_q(column)} IS NULL" if nullable else f"NEW.{_q(column)} = ''"
                conditions.append(f"(NEW.{_q(column)} IS OLD.{_q(column)} OR {empty})")
            for column in protection.set_once:
                conditions.append(
                    f"(NEW.{_q(column)} IS OLD.{_q(column)} OR OLD.{_q(column)} IS NULL)"
                )
            update_when = f" WHEN NOT ({' AND '.join(conditions)})"
        delete_when = ""
    else:
        published = _q(protection.published)
        frozen_now = f"OLD.{published} IS NOT NULL"
        if protection.current:
            frozen_now += f" OR OLD.{_q(protection.current)}"
        unchanged = " AND ".join(
            [
                *(f"NEW.{_q(column)} IS OLD.{_q(column)}" for column in protection.frozen),
                f"(OLD.{published} IS NULL OR NEW.{published} IS OLD.{published})",
            ]
        )
        update_when = f" WHEN ({frozen_now}) AND NOT ({unchanged})"
        delete_when = f" WHEN {frozen_now}"
    return {
        update_name: (
            f"CREATE TRIGGER {_q(update_name)} BEFORE UPDATE ON {table} FOR EACH ROW"
            f"{update_when} {refuse_update}"
        ),
        delete_name: (
            f"CREATE TRIGGER {_q(delete_name)} BEFORE DELETE ON {table} FOR EACH ROW"
            f"{delete_when} {refuse_delete}"
        ),
    }


def _sqlite_install(cursor: object, protection: Protection) -> None:
    for name, sql in sqlite_triggers(protection).items():
        cursor.execute(f"DROP TRIGGER IF EXISTS {_q(name)}")
        cursor.execute(sql)


def _sqlite_uninstall(cursor: object, protection: Protection) -> None:
    for name in sqlite_triggers(protection):
        cursor.execute(f"DROP TRIGGER IF EXISTS {_q(name)}")


def _sqlite_problems(cursor: object, protection: Protection) -> list[str]:
    found = []
    for name, sql in sqlite_triggers(protection).items():
        cursor.execute(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
            [name],
        )
        row = cursor.fetchone()
        if row is None:
            found.append(f"{protection.table}: the trigger {name} is missing")
        elif row[0] != protection.table or " ".join(row[1].split()) != " ".join(sql.split()):
            found.append(f"{protection.table}: the trigger {name} differs from the expected one")
    return found


# --- Public interface ------------------------------------------------------------------------


def _existing(connection: BaseDatabaseWrapper, cursor: object) -> Iterable[Protection]:
    tables = set(connection.introspection.table_names(cursor))
    return [protection for protection in protections() if protection.table in tables]


def _backend(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"No frozen-record triggers for {connection.vendor}.")
    return connection.vendor


def install(using: str = DEFAULT_DB_ALIAS) -> int:
    """Create (or replace) every trigger; returns the number of tables protected."""
    connection = connections[using]
    backend = _backend(connection)
    with connection.cursor() as cursor:
        existing = list(_existing(connection, cursor))
        for protection in existing:
            if backend == "postgresql":
                _pg_install(cursor, protection)
            else:
                _sqlite_install(cursor, protection)
    return len(existing)


def uninstall(using: str = DEFAULT_DB_ALIAS) -> None:
    """Drop every trigger (the migration's reverse, and tests that force a change)."""
    connection = connections[using]
    backend = _backend(connection)
    with connection.cursor() as cursor:
        for protection in _existing(connection, cursor):
            if backend == "postgresql":
                _pg_uninstall(cursor, protection)
            else:
                _sqlite_uninstall(cursor, protection)


def problems(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Every protected table whose trigger is missing, disabled or not the expected one."""
    connection = connections[using]
    backend = _backend(connection)
    found: list[str] = []
    with connection.cursor() as cursor:
        for protection in _existing(connection, cursor):
            if backend == "postgresql":
                found += _pg_problems(cursor, protection)
            else:
                found += _sqlite_problems(cursor, protection)
    return found


def _migrations_pending(using: str) -> bool:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def check_triggers(
    app_configs: object = None, databases: Iterable[str] | None = None, **kwargs: object
) -> list:
    """System check (Tags.database): runs with `manage.py check --database default`.

    `migrate` runs database checks too, before migrating: while migrations are pending the
    problems are warnings, so upgrading a database that has no triggers yet is never blocked
    (the migration installs them)."""
    from django.core.checks import Error, Warning

    found = []
    for alias in databases or ():
        if connections[alias].vendor not in ("postgresql", "sqlite"):
            continue
        problems_now = problems(alias)
        if not problems_now:
            continue
        if _migrations_pending(alias):
            found += [
                Warning(problem, hint="`manage.py migrate` installs the triggers.", id="core.W001")
                for problem in problems_now
            ]
            continue
        found += [
            Error(
                problem,
                hint="Find out who changed it, then run `manage.py install_triggers` (or "
                "`migrate`, which reinstalls them too).",
                id="core.E001",
            )
            for problem in problems_now
        ]
    return found


def reinstall_after_migrate(using: str = DEFAULT_DB_ALIAS, **kwargs: object) -> None:
    """post_migrate: cover models added since the last migration, repair what was dropped."""
    if connections[using].vendor in ("postgresql", "sqlite"):
        install(using)
