from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safehub.people"
    label = "people"
    verbose_name = "Person index"

    def ready(self) -> None:
        from safehub.core import navigation

        def person_level(user) -> bool:
            return user.has_person_level_access

        navigation.register("Find a person", "people:search", visible=person_level, order=10)
        navigation.register("Shared with me", "people:shared_with_me", visible=person_level, order=11)
        navigation.register("Emergency access", "people:break_glass", visible=person_level, order=12)
