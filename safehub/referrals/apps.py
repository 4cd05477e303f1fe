from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "safehub.referrals"
    label = "referrals"
    verbose_name = "MASH referrals"

    def ready(self) -> None:
        from safehub.core import navigation

        navigation.register(
            "MASH queue",
            "referrals:queue",
            order=40,
            visible=lambda user: (
                user.has_person_level_access and bool(user.district_wide_roles and user.district_id)
            ),
        )
        navigation.register(
            "My referrals", "referrals:mine", order=41, visible=lambda user: user.has_person_level_access
        )
        navigation.register(
            "Information requests",
            "referrals:information_requests",
            order=42,
            visible=lambda user: user.has_person_level_access,
        )
        from safehub.core import histories
        from safehub.referrals.selectors import history_events

        histories.register("referrals", history_events, event_types=("mash_referral",))
