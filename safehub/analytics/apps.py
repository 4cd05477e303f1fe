from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "safehub.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from safehub.core import navigation
        from safehub.core.roles import Role

        # Aggregate roles: the analyst and the commissioner (small numbers suppressed for the latter).
        navigation.register(
            "Dashboard",
            "analytics:dashboard",
            order=80,
            visible=lambda user: user.has_role(Role.ANALYST, Role.COMMISSIONER),
        )
        navigation.register(
            "Metric definitions",
            "analytics:definitions",
            order=81,
            visible=lambda user: user.has_role(Role.ANALYST, Role.COMMISSIONER),
        )
