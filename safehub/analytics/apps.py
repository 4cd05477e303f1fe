from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "safehub.analytics"
    label = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        from safehub.activities import targets
        from safehub.analytics import campaigns
        from safehub.core import navigation
        from safehub.core.roles import Role

        # What a campaign in the activity register may target, and whether it can be evaluated.
        targets.register(
            choices=campaigns.target_choices,
            check=campaigns.check_target,
            categories=campaigns.target_categories,
        )

        # Aggregate roles: the analyst and the commissioner (small numbers suppressed for the latter).
        # Forecasts, demand against capacity and the metric definitions are in the section's subnav.
        navigation.register(
            "Dashboard",
            "analytics:dashboard",
            order=80,
            visible=lambda user: user.has_role(Role.ANALYST, Role.COMMISSIONER),
            section="/analytics/",
        )
