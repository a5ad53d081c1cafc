"""Signed notes and checkpoints byte for byte as C2SP (and Go's sumdb/note) define them."""

from __future__ import annotations

import base64

import pytest

from lov_portal.tlog.note import (
    SignerKeyError,
    checkpoint_body,
    signer_from_skey,
    signer_generate,
)
from tools.lov_verify import (
    VerificationError,
    parse_checkpoint,
    parse_vkey,
    split_note,
    verify_note,
)

# The example in golang.org/x/mod/sumdb/note (its documentation and note_test.go).
GO_SKEY = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT + "\n\u2014 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_signing_reproduces_gos_note_byte_for_byte():
    signer = signer_from_skey(GO_SKEY)
    assert signer.vkey == GO_VKEY
    assert signer.skey == GO_SKEY
    assert signer.sign(GO_TEXT) == GO_NOTE


def test_gos_note_verifies_with_its_key_and_not_with_another():
    assert verify_note(GO_NOTE, [GO_VKEY]) == GO_TEXT
    impostor = signer_generate("PeterNeumann")  # same name, another key
    with pytest.raises(VerificationError):
        verify_note(impostor.sign(GO_TEXT), [GO_VKEY])
    with pytest.raises(VerificationError):
        verify_note(GO_NOTE.replace("answer", "Answer"), [GO_VKEY])


def test_a_key_id_that_does_not_match_is_refused():
    with pytest.raises(SignerKeyError):
        signer_from_skey(GO_SKEY.replace("c74f20a3", "c74f20a4"))
    with pytest.raises(VerificationError):
        parse_vkey(GO_VKEY.replace("c74f20a3", "c74f20a4"))


def test_checkpoint_body_is_the_c2sp_tlog_checkpoint_format():
    root = bytes(range(32))
    body = checkpoint_body("lov.example.se/logg/lov", 42, root)
    assert body == ("lov.example.se/logg/lov\n42\n" + base64.b64encode(root).decode() + "\n")
    assert parse_checkpoint(body) == ("lov.example.se/logg/lov", 42, root)


@pytest.mark.parametrize(
    "body",
    [
        "origin\n042\nAAAA\n",  # leading zero
        "origin\n-1\n" + base64.b64encode(bytes(32)).decode() + "\n",
        "origin\n²\n" + base64.b64encode(bytes(32)).decode() + "\n",
        "origin\n1\n" + base64.b64encode(bytes(31)).decode() + "\n",
        "origin\n1\n",
    ],
)
def test_malformed_checkpoints_are_refused(body):
    with pytest.raises(VerificationError):
        parse_checkpoint(body)


@pytest.mark.parametrize(
    "note",
    [
        GO_NOTE.replace("\n", "\r\n"),
        GO_NOTE.rstrip("\n"),
        GO_TEXT + "\u2014 PeterNeumann x08go\n",
        GO_NOTE.replace("\u2014 ", "- "),
        GO_NOTE.replace("x08go/", "x08go/!"),
    ],
)
def test_malformed_notes_are_refused(note):
    with pytest.raises(VerificationError):
        verify_note(note, [GO_VKEY])


def test_split_note_reads_every_signature_line():
    text, sigs = split_note(GO_NOTE)
    assert text == GO_TEXT
    assert [name for name, _ in sigs] == ["PeterNeumann"]
