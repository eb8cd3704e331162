"""A minimal real Django project: the auth, contenttypes and sessions apps, sqlite,
ferroauth's hashers first in PASSWORD_HASHERS (Django's PBKDF2 kept so rows written
before the switch are recognised), and ferroauth's signer and session serializer."""

SECRET_KEY = "ferroauth-test-project-secret"
DEBUG = False
ALLOWED_HOSTS = ["testserver"]
USE_TZ = True

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "tests.django.project.urls"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ":memory:",
    }
}

PASSWORD_HASHERS = [
    "ferroauth.django.hashers.Argon2PasswordHasher",
    "ferroauth.django.hashers.PBKDF2PasswordHasher",
    "ferroauth.django.hashers.PBKDF2SHA1PasswordHasher",
    "ferroauth.django.hashers.ScryptPasswordHasher",
    "ferroauth.django.hashers.BCryptSHA256PasswordHasher",
    "ferroauth.django.hashers.BCryptPasswordHasher",
    "ferroauth.django.hashers.MD5PasswordHasher",
]

SIGNING_BACKEND = "ferroauth.django.signing.TimestampSigner"
SESSION_SERIALIZER = "ferroauth.django.serializers.JSONSerializer"
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
