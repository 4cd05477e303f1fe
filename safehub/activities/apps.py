from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "safehub.activities"
    label = "activities"
    verbose_name = "Partnership activities"

    def ready(self) -> None:
        from safehub.activities import services
        from safehub.core import navigation

        # The partnership manager keeps the register; the commissioner, analysts and auditors read it.
        navigation.register(
            "Partnership activities", "activities:register", order=82, visible=services.may_read
        )
