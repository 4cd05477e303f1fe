from django.apps import AppConfig


def _in_a_series(user) -> bool:
    """Person-level users whose agency belongs to (or coordinates) a series, or who coordinate one."""
    if not user.has_person_level_access:
        return False
    from django.db.models import Q

    from safehub.meetings.models import MeetingSeries

    return MeetingSeries.objects.filter(
        Q(coordinators=user) | Q(member_agencies=user.agency_id) | Q(coordinating_agency=user.agency_id)
    ).exists()


class MeetingsConfig(AppConfig):
    name = "safehub.meetings"
    label = "meetings"
    verbose_name = "MARAC and MACE meetings"

    def ready(self) -> None:
        from safehub.core import histories, navigation
        from safehub.meetings.history import EVENT_TYPES, history_events

        # MARAC hearings and practitioner referrals are events the listing rules read.
        histories.register("meetings", history_events, event_types=EVENT_TYPES)
        navigation.register("Meetings", "meetings:home", visible=_in_a_series, order=45)
        from safehub.meetings.returns import may_read_return

        navigation.register("MARAC return", "meetings:marac_return", visible=may_read_return, order=46)
