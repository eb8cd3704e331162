"""Run Django's own test suite (``tests/runtests.py`` from the Django sdist) with
ferroauth swapped in, in this process:

- every hasher class in ``django.contrib.auth.hashers`` is replaced by ferroauth's,
  so ``PASSWORD_HASHERS`` entries (Django's global default, the test settings and the
  suite's own ``override_settings``) and direct imports all resolve to ferroauth;
- the contents of ``django.core.signing`` are replaced by ``ferroauth.django.signing``
  (``django.http``, the session backends and the suite all call through the module).

Usage: python peer_runner.py <django-sdist>/tests <label> [runtests options]
"""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def swap_in_ferroauth() -> None:
    import django.contrib.auth.hashers as dj_hashers
    import django.core.signing as dj_signing

    from ferroauth.django import hashers, signing

    for name in hashers.__all__:
        if name != "BasePasswordHasher":
            setattr(dj_hashers, name, getattr(hashers, name))
    names = [
        *signing.__all__,
        "_SEP_UNSAFE",
        "_cookie_signer_key",
        "_cookie_signer_salt",
        "_cookie_signer_legacy_salt",
        "_unsign_cookie",
    ]
    for name in names:
        setattr(dj_signing, name, getattr(signing, name))
    # Checked by the test below: the swap really happened.
    assert dj_hashers.PBKDF2PasswordHasher is hashers.PBKDF2PasswordHasher
    assert dj_signing.dumps is signing.dumps


def main() -> None:
    tests_dir = Path(sys.argv[1]).resolve()
    swap_in_ferroauth()
    print("ferroauth swapped into django.contrib.auth.hashers and django.core.signing")
    sys.argv = [str(tests_dir / "runtests.py"), *sys.argv[2:]]
    sys.path.insert(0, str(tests_dir))
    runpy.run_path(str(tests_dir / "runtests.py"), run_name="__main__")


if __name__ == "__main__":
    main()
