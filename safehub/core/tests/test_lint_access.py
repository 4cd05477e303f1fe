"""CI check: no view or API module reaches a person-level model without the scoped loader."""

from pathlib import Path

import pytest

import safehub
from safehub.core.lint_access import check_source, check_tree, person_level_model_names

NAMES = {"Person", "Identifier"}


def test_person_level_models_are_discovered():
    assert {
        "Person",
        "Identifier",
        "Address",
        "ChronologyEvent",
        "Relationship",
    } <= person_level_model_names()


def test_the_whole_code_base_passes():
    assert check_tree(Path(safehub.__file__).parent) == []


@pytest.mark.parametrize(
    "source",
    [
        "Person.objects.get(pk=pk)",
        "Person.objects.filter(family_name='x')",
        "Identifier.objects.all()",
        "get_object_or_404(Person, pk=pk)",
        "shortcuts.get_object_or_404(Person, pk=pk)",
        "Person._default_manager.get(pk=pk)",
        "qs = Person.objects\nqs.visible_to(user)",
    ],
)
def test_unscoped_access_is_caught(source):
    assert len(check_source(source, "views.py", NAMES)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "Person.objects.visible_to(user).get(pk=pk)",
        "Person.objects.editable_by(user)",
        "load_for(user, Person, pk)",
        "Agency.objects.all()",
    ],
)
def test_scoped_access_passes(source):
    assert check_source(source, "views.py", NAMES) == []
