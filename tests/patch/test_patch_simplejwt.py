"""Patch mode for PyJWT: a Django REST framework + simplejwt flow (obtain, use,
refresh, reject) runs on ferroauth.jwt without edits."""

import subprocess
import sys
import textwrap

SCENARIO = textwrap.dedent(
    """
    import ferroauth, ferroauth.jwt
    assert ferroauth.patch(jwt=True) == ["jwt"]

    import django
    from django.conf import settings

    settings.configure(
        SECRET_KEY="drf-secret-drf-secret-drf-secret-drf-secret",
        ALLOWED_HOSTS=["testserver"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "rest_framework",
        ],
        ROOT_URLCONF=__name__,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        REST_FRAMEWORK={
            "DEFAULT_AUTHENTICATION_CLASSES": [
                "rest_framework_simplejwt.authentication.JWTAuthentication"
            ],
        },
    )
    django.setup()

    import jwt
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.urls import path
    from rest_framework.decorators import api_view, permission_classes
    from rest_framework.permissions import IsAuthenticated
    from rest_framework.response import Response
    from rest_framework.test import APIClient
    from rest_framework_simplejwt import backends
    from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

    assert jwt.encode is ferroauth.jwt.encode and jwt.decode is ferroauth.jwt.decode
    assert backends.InvalidTokenError is ferroauth.jwt.InvalidTokenError

    @api_view(["GET"])
    @permission_classes([IsAuthenticated])
    def me(request):
        return Response({"user": request.user.username})

    urlpatterns = [
        path("token", TokenObtainPairView.as_view()),
        path("refresh", TokenRefreshView.as_view()),
        path("me", me),
    ]

    call_command("migrate", verbosity=0)
    User.objects.create_user("grace", password="hopper")
    client = APIClient()
    pair = client.post("/token", {"username": "grace", "password": "hopper"}, format="json").json()
    claims = ferroauth.jwt.decode(pair["access"], settings.SECRET_KEY, algorithms=["HS256"])
    assert claims["token_type"] == "access"
    client.credentials(HTTP_AUTHORIZATION="Bearer " + pair["access"])
    assert client.get("/me").json() == {"user": "grace"}
    head, _, signature = pair["access"].rpartition(".")
    forged = head + "." + ("B" if signature[0] == "A" else "A") + signature[1:]
    client.credentials(HTTP_AUTHORIZATION="Bearer " + forged)
    assert client.get("/me").status_code == 401
    fresh = client.post("/refresh", {"refresh": pair["refresh"]}, format="json").json()["access"]
    client.credentials(HTTP_AUTHORIZATION="Bearer " + fresh)
    assert client.get("/me").json() == {"user": "grace"}
    print("ok")
    """
)


def test_drf_simplejwt_runs_on_ferroauth_when_patched():
    result = subprocess.run([sys.executable, "-c", SCENARIO], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "ok"
