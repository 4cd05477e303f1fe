from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "safehub.contacts"
    label = "contacts"
    verbose_name = "Contacts and call grading"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        # The default grade table is data: seed what is missing after every migrate (and after a
        # test database flush), never overwriting a partnership's edits.
        post_migrate.connect(seed_default_grades_after_migrate, sender=self)
        from safehub.core import navigation
        from safehub.core.models import AgencyKind
        from safehub.core.roles import Role

        navigation.register(
            "Contacts",
            "contacts:list",
            order=20,
            visible=lambda user: (
                user.has_person_level_access and user.has_role(Role.CALL_HANDLER, Role.OFFICER)
            ),
        )
        navigation.register(
            "Encompass",
            "contacts:encompass",
            order=21,
            visible=lambda user: user.has_person_level_access and user.agency.kind == AgencyKind.SCHOOL,
        )
        # Calibration outcomes for the instruments app (it cannot import contacts): later
        # contacts as a victim, and contacts flagged serious harm.
        from django.urls import reverse

        from safehub.contacts.models import Contact
        from safehub.contacts.selectors import contact_outcomes, history_events
        from safehub.core import histories
        from safehub.instruments import contexts, outcomes

        # A DASH completed from a contact is linked to it, for whoever may see the contact.
        contexts.register(
            "contacts.contact",
            visible=lambda user, pk: Contact.objects.visible_to(user).filter(pk=pk).exists(),
            url=lambda pk: reverse("contacts:detail", args=[pk]),
        )

        # Listing rules (MARAC, MACE, ...) read contacts through core.histories.
        histories.register("contacts", history_events, event_types=("contact_victim", "da_incident"))

        outcomes.register(
            "contacts",
            contact_outcomes,
            labels={
                "repeat_victim_contact": "Repeat incident as victim",
                "serious_harm": "Serious harm recorded",
            },
        )


def seed_default_grades_after_migrate(sender, using="default", **kwargs) -> None:
    import importlib

    from django.db import connections

    from safehub.contacts.models import ResponseGrade

    if ResponseGrade._meta.db_table not in connections[using].introspection.table_names():
        return
    defaults = importlib.import_module("safehub.contacts.migrations.0002_default_response_grades")
    for code, name, band, target, attendance, order in defaults.DEFAULTS:
        ResponseGrade.objects.using(using).get_or_create(
            force=None,
            code=code,
            defaults={
                "name": name,
                "band": band,
                "target_minutes": target,
                "attendance": attendance,
                "order": order,
                "source": defaults.SOURCE,
            },
        )
