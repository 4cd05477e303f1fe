from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "safehub.retention"
    label = "retention"
    verbose_name = "Review, retention and disposal"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # The MoPI groups are data a force confirms and edits: seed what is missing after every
        # migrate (and test flush), never overwriting a force's own values.
        post_migrate.connect(seed_default_groups, sender=self)

        from safehub.core import navigation
        from safehub.core.roles import Role

        navigation.register(
            "Record reviews",
            "retention:queue",
            order=65,
            visible=lambda user: user.has_role(Role.RECORDS_MANAGER),
        )


def seed_default_groups(sender, using="default", **kwargs) -> None:
    from django.db import connections

    from safehub.retention.models import RetentionGroup
    from safehub.retention.rules import DEFAULT_GROUPS

    if RetentionGroup._meta.db_table not in connections[using].introspection.table_names():
        return
    for group in DEFAULT_GROUPS:
        RetentionGroup.objects.using(using).get_or_create(
            force=None,
            code=group.code,
            defaults={
                "name": group.name,
                "description": group.description,
                "order": group.order,
                "clear_period_years": group.clear_period_years,
                "review_interval_years": group.review_interval_years,
                "keep_until_age": group.keep_until_age,
                "source": group.source,
            },
        )
