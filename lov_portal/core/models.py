"""Shared model helpers (no models of its own)."""

from collections.abc import Callable

from django.conf import settings
from django.db import NotSupportedError, models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable


class ImmutableRecordError(RuntimeError):
    """Raised when code tries to change or delete an append-only record."""


_CHOICE_LABELS: dict[models.Field, dict[object, object]] = {}


class ChoiceLabels:
    """`get_FOO_display()` from a table made once per field.

    Django's own builds a dict of the field's choices on every call, and to hash each pair it
    translates every label: ~0.1 ms a call, and the public commitments page makes a hundred.
    Here the labels stay lazy in the table and only the one shown is translated. Fields whose
    choices are computed (a callable) are left to Django. Put first among a model's bases.
    """

    def _get_FIELD_display(self, field: models.Field) -> str:
        labels = _CHOICE_LABELS.get(field)
        if labels is None:
            if not isinstance(field.choices, list | tuple):
                return super()._get_FIELD_display(field)
            labels = {make_hashable(value): label for value, label in field.flatchoices}
            _CHOICE_LABELS[field] = labels
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


class AppendOnlyModel(models.Model):
    """A record that is written once: corrections are new records pointing at the old one.

    Every concrete subclass is also protected in the database (lov_portal.core.triggers):
    UPDATE and DELETE are refused, except an update that only clears `purgeable_fields`
    (personal data removed after its retention period) to NULL or '', or fills a NULL
    `set_once_fields` column (a link added later, once).
    """

    purgeable_fields: tuple[str, ...] = ()
    set_once_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise ImmutableRecordError(f"{type(self).__name__} records are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise ImmutableRecordError(f"{type(self).__name__} records are never deleted.")


def user_reference(verbose_name: str, *, related_name: str = "+") -> models.ForeignKey:
    """A person named on a record (who applied, wrote, signed, invited, ordered): optional, and
    the record outlives the account, naming nobody if the user row is ever deleted (erasure
    normally anonymises the account instead: lov_portal.privacy)."""
    return optional_reference(settings.AUTH_USER_MODEL, verbose_name, related_name=related_name)


def reference(
    to: type[models.Model] | str,
    verbose_name: str,
    *,
    on_delete: Callable[..., None],
    field: type[models.ForeignKey] = models.ForeignKey,
    **options: object,
) -> models.ForeignKey:
    """A foreign key (or, with `field=models.OneToOneField`, a one-to-one) in the one shape the
    portal's models declare them: what it points at, its name, what happens when that row goes.
    Migrations see a plain field."""
    return field(to, verbose_name=verbose_name, on_delete=on_delete, **options)


def unique(name: str, *fields: str) -> models.UniqueConstraint:
    """A plain unique constraint over `fields`."""
    return models.UniqueConstraint(fields=list(fields), name=name)


def optional_reference(
    to: type[models.Model] | str,
    verbose_name: str,
    *,
    related_name: str = "+",
    **options: object,
) -> models.ForeignKey:
    """A link that may be empty and is emptied when the row it points at is deleted (the
    agenda item an attachment belonged to, the person who uploaded it)."""
    return reference(
        to,
        verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        **options,
    )


@models.IntegerField.register_lookup
class AnyOf(models.Lookup):
    """`field__any=ids`: PostgreSQL's `field = ANY(%s)` with the ids as one array parameter.

    PostgreSQL plans `field IN (…)` as exactly this, but `__in` sends one parameter per value,
    and preparing and quoting them is most of the Python time of a register search (about 530
    ids, twice). PostgreSQL only (callers check the vendor, as the full-text search does);
    elsewhere it says so instead of sending SQL the database cannot read.
    """

    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value: object, connection: object) -> tuple[str, list]:
        return "%s", [[int(v) for v in value]]

    def as_sql(self, compiler: object, connection: object) -> tuple[str, list]:
        raise NotSupportedError(f"__any needs PostgreSQL, not {connection.vendor}")

    def as_postgresql(self, compiler: object, connection: object) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
