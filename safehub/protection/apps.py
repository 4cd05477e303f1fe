from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "safehub.protection"
    label = "protection"
    verbose_name = "Domestic abuse powers and schemes"

    def ready(self) -> None:
        from django.urls import reverse

        from safehub.core import navigation
        from safehub.protection.services import may_record_idva, may_record_police, may_see_aggregates
        from safehub.recommendations import sources

        # Officers record notices, orders and Clare's Law; IDVAs their deployments and victim
        # contact; analysts and commissioners see the evaluation and timeliness tables only.
        navigation.register(
            "Domestic abuse",
            "protection:home",
            order=55,
            visible=lambda user: may_record_police(user) or may_record_idva(user) or may_see_aggregates(user),
        )
        # Recommendations fed back from a panel round link to its findings report.
        sources.register(
            "protection.scrutinysample",
            label="scrutiny panel round",
            url_for=lambda pk: reverse("protection:sample_report", args=[pk]),
            can_open=lambda user, pk: may_record_police(user),
        )
