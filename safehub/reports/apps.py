from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safehub.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from safehub.core import navigation
        from safehub.core.roles import Role

        navigation.register(
            "Scrutiny report",
            "reports:scrutiny",
            order=82,
            visible=lambda user: user.has_role(Role.ANALYST, Role.COMMISSIONER),
        )
