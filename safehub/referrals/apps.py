from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "safehub.referrals"
    label = "referrals"
    verbose_name = "MASH referrals"

    def ready(self) -> None:
        from safehub.core import navigation

        def mash(user) -> bool:
            return user.has_person_level_access and bool(user.district_wide_roles and user.district_id)

        # One item for the section: the MASH's queue, or everyone else's referrals. Their agency's
        # referrals and the information requests are in the referral pages' own subnav
        # (referrals/includes/subnav.html).
        navigation.register("MASH queue", "referrals:queue", order=40, visible=mash, section="/referrals/")
        navigation.register(
            "Referrals",
            "referrals:mine",
            order=41,
            visible=lambda user: user.has_person_level_access and not mash(user),
            section="/referrals/",
        )
        from safehub.core import histories
        from safehub.referrals.selectors import history_events

        histories.register("referrals", history_events, event_types=("mash_referral",))
