"""The Django session engine on the store, in a real Django project (auth app,
sqlite, test client), run in a subprocess so Django's global settings stay private."""

import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT = textwrap.dedent(
    """
    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="django-engine-secret",
        DEBUG=True,
        ALLOWED_HOSTS=["testserver"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        ROOT_URLCONF=__name__,
        SESSION_ENGINE="ferroauth.store.django",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    django.setup()

    from django.contrib.auth import authenticate, login, logout
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.http import HttpResponse
    from django.test import Client
    from django.urls import path

    from ferroauth.store.django import get_store

    def do_login(request):
        user = authenticate(request, username="erin", password="pw")
        login(request, user)
        request.session["cart"] = [1, 2]
        return HttpResponse("ok")

    def visit(request):
        request.session["seen"] = True
        return HttpResponse("hello")

    def me(request):
        return HttpResponse(request.user.username or "anonymous")

    def do_logout(request):
        logout(request)
        return HttpResponse("bye")

    urlpatterns = [
        path("visit", visit),
        path("login", do_login),
        path("me", me),
        path("logout", do_logout),
    ]

    call_command("migrate", verbosity=0)
    erin = User.objects.create_user("erin", password="pw")
    client = Client()
    assert client.get("/me").content == b"anonymous"
    client.get("/visit")
    anonymous_sid = client.cookies["sessionid"].value
    client.get("/login")
    sid = client.cookies["sessionid"].value
    store = get_store()
    # Login cycles the anonymous session's key: the old id is dead (no fixation).
    assert sid != anonymous_sid and store.get(anonymous_sid) is None
    data = store.get(sid)
    assert data["_auth_user_id"] == str(erin.pk) and data["cart"] == [1, 2], data
    assert client.get("/me").content == b"erin"
    # Revoking the user logs them out everywhere.
    assert store.revoke_user(str(erin.pk)) == 1
    assert client.get("/me").content == b"anonymous"
    client.get("/login")
    sid = client.cookies["sessionid"].value
    client.get("/logout")
    assert store.get(sid) is None
    print("ok")
    """
)


def test_django_engine_end_to_end():
    result = subprocess.run(
        [sys.executable, "-c", PROJECT],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok"
