"""Django's settings for ferroauth's Django tests: the minimal project in ./project."""

import os

import pytest

django = pytest.importorskip("django")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.django.project.settings")
django.setup()
