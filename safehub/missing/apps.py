from django.apps import AppConfig


class MissingConfig(AppConfig):
    name = "safehub.missing"
    label = "missing"
    verbose_name = "Missing persons"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # The APP risk continuum is data: seed what is missing after every migrate (and after a
        # test database flush), never overwriting a partnership's edits.
        post_migrate.connect(seed_default_risk_levels, sender=self)

        from safehub.core import histories, navigation
        from safehub.core.models import AgencyKind
        from safehub.core.roles import Role
        from safehub.missing.selectors import history_events

        # Missing person coordinators (police or local authority), officers and call handlers who
        # record episodes, and children's social care, who offer return home interviews.
        navigation.register(
            "Missing",
            "missing:list",
            order=50,
            visible=lambda user: (
                user.has_person_level_access
                and (
                    user.has_role(Role.MISSING_COORDINATOR, Role.OFFICER, Role.CALL_HANDLER)
                    or user.agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE
                )
            ),
        )
        # Listing rules (repeat missing, MACE) read episodes through core.histories.
        histories.register("missing", history_events, event_types=("missing_episode",))


def seed_default_risk_levels(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from safehub.missing.models import RiskLevel
    from safehub.missing.rules import DEFAULT_RISK_LEVELS, RISK_SOURCE

    if RiskLevel._meta.db_table not in connections[using].introspection.table_names():
        return
    for code, name, meaning, order, is_high in DEFAULT_RISK_LEVELS:
        RiskLevel.objects.using(using).get_or_create(
            force=None,
            code=code,
            defaults={
                "name": name,
                "meaning": meaning,
                "order": order,
                "is_high": is_high,
                "source": RISK_SOURCE,
            },
        )
