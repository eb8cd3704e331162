"""Django integration: password hashers (``ferroauth.django.hashers``), a drop-in for
``django.core.signing`` (``ferroauth.django.signing``) and a session serializer
(``ferroauth.django.serializers``). Each submodule imports Django lazily, on use."""
