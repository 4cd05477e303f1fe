from django.apps import AppConfig


class SlaveryConfig(AppConfig):
    name = "safehub.slavery"
    label = "slavery"
    verbose_name = "Modern slavery"

    def ready(self) -> None:
        from safehub.core import navigation
        from safehub.slavery import services

        # First responders record referrals; every person-level role reads what its scope allows,
        # and the aggregate roles (analyst, commissioner) see the statistics only.
        navigation.register(
            "Modern slavery",
            "slavery:list",
            order=55,
            visible=lambda user: services.may_record(user),
        )
        navigation.register(
            "Modern slavery statistics",
            "slavery:statistics",
            order=80,
            visible=lambda user: user.is_aggregate_only,
        )
