from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "safehub.people"
    label = "people"
    verbose_name = "Person index"

    def ready(self) -> None:
        from safehub.core import navigation

        def person_level(user) -> bool:
            return user.has_person_level_access

        # "Shared with me" and "Emergency access" are in the People pages' own navigation
        # (people/includes/subnav.html), under "Find a person" here: /people/ is their prefix.
        navigation.register("Find a person", "people:search", visible=person_level, order=10)
