from django.apps import AppConfig


def _runs_reviews(user) -> bool:
    from safehub.core.roles import Role

    return user.has_person_level_access and user.has_role(Role.PARTNERSHIP_MANAGER)


def _can_open_review(user, review_id) -> bool:
    from safehub.reviews.models import PracticeReview

    return PracticeReview.objects.visible_to(user).filter(pk=review_id).exists()


class ReviewsConfig(AppConfig):
    name = "safehub.reviews"
    label = "reviews"
    verbose_name = "Child safeguarding practice reviews"

    def ready(self) -> None:
        from django.urls import reverse

        from safehub.core import navigation
        from safehub.recommendations import sources

        navigation.register("Practice reviews", "reviews:home", visible=_runs_reviews, order=50)
        sources.register(
            "reviews.practicereview",
            label="practice review",
            url_for=lambda pk: reverse("reviews:detail", args=[pk]),
            can_open=_can_open_review,
        )
