from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "safehub.activities"
    label = "activities"
    verbose_name = "Partnership activities"
