from django.apps import AppConfig


class FundConfig(AppConfig):
    name = "safehub.fund"
    label = "fund"
    verbose_name = "Safer Communities Fund"

    def ready(self) -> None:
        from safehub.core import navigation
        from safehub.fund import services

        # The partnership manager runs the fund; the commissioner and analysts read it.
        navigation.register("Safer Communities Fund", "fund:summary", order=82, visible=services.may_read)
