from django.apps import AppConfig


class LinkageConfig(AppConfig):
    name = "safehub.linkage"
    label = "linkage"
    verbose_name = "Person matching"

    def ready(self) -> None:
        from safehub.core import navigation
        from safehub.linkage import rules

        # The MASH links partner extracts, reviews uncertain pairs and merges duplicates. (The
        # administrator opens the model at /linkage/model/; the administrator's navigation is
        # fixed by core's layout tests.)
        navigation.register("Matching", "linkage:home", order=80, visible=rules.can_link)
