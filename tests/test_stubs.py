"""Every name the extension module exports has a type stub in _core.pyi."""

import re
from pathlib import Path

import ferroauth
import ferroauth._core as core

STUB = Path(ferroauth.__file__).with_name("_core.pyi")


def test_every_export_of_the_extension_has_a_stub():
    text = STUB.read_text()
    exported = [name for name in dir(core) if not name.startswith("_")]
    assert len(exported) > 30
    missing = [n for n in exported if not re.search(rf"^(def|class) {n}\b", text, re.M)]
    assert missing == []


def test_py_typed_marker_ships():
    assert STUB.with_name("py.typed").is_file()
