from django.apps import AppConfig


def _sees_recommendations(user) -> bool:
    """Person-level users (their agency's recommendations; a partnership manager, all of them)."""
    return user.has_person_level_access


class RecommendationsConfig(AppConfig):
    name = "safehub.recommendations"
    label = "recommendations"
    verbose_name = "Recommendations and actions"

    def ready(self) -> None:
        from safehub.core import navigation

        navigation.register(
            "Recommendations", "recommendations:home", visible=_sees_recommendations, order=52
        )
