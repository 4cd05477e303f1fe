from django.apps import AppConfig
from django.db.models.signals import post_migrate


class InstrumentsConfig(AppConfig):
    name = "safehub.instruments"
    label = "instruments"
    verbose_name = "Risk instruments"

    def ready(self) -> None:
        from safehub.core import navigation
        from safehub.instruments.presenters import may_calibrate

        # Practitioners assess; analysts and commissioners read each version's calibration.
        navigation.register("Risk tools", "instruments:list", order=30, visible=may_calibrate)
        from safehub.instruments import outcomes, selectors

        outcomes.register("instruments", selectors.later_high_risk_assessments)
        from safehub.core import histories

        histories.register(
            "instruments", selectors.history_events, event_types=tuple(selectors.HISTORY_EVENT_TYPES.values())
        )
        post_migrate.connect(load_shipped_after_migrate, sender=self)


def load_shipped_after_migrate(sender, using="default", **kwargs) -> None:
    """Load the shipped definitions after `migrate` (and a test database's creation): idempotent."""
    from django.db import connections

    from safehub.instruments.models import Assessment, InstrumentVersion
    from safehub.instruments.services import instruments_load_shipped

    tables = connections[using].introspection.table_names()
    if InstrumentVersion._meta.db_table not in tables or Assessment._meta.db_table not in tables:
        return  # migrated backwards past this app
    instruments_load_shipped()
