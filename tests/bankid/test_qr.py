"""The animated QR code against BankID's published algorithm."""

from __future__ import annotations

import hashlib
import hmac

from lov_portal.bankid.qr import autostart_url, qr_data, qr_seconds, qr_svg

# The example in BankID's documentation ("QR codes", RP API v6): qrStartToken
# 67df3917-fa0d-44e5-b327-edcc928297f8, qrStartSecret d28db9a7-4cde-429e-a983-359be676944c.
TOKEN = "67df3917-fa0d-44e5-b327-edcc928297f8"
SECRET = "d28db9a7-4cde-429e-a983-359be676944c"


def test_qr_data_is_token_time_and_hmac_of_the_time():
    assert qr_data(qr_start_token=TOKEN, qr_start_secret=SECRET, seconds=0) == (
        "bankid.67df3917-fa0d-44e5-b327-edcc928297f8.0."
        "dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8"
    )
    assert qr_data(qr_start_token=TOKEN, qr_start_secret=SECRET, seconds=1) == (
        "bankid.67df3917-fa0d-44e5-b327-edcc928297f8.1."
        "949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2"
    )
    assert qr_data(qr_start_token=TOKEN, qr_start_secret=SECRET, seconds=2) == (
        "bankid.67df3917-fa0d-44e5-b327-edcc928297f8.2."
        "a9e5ec59cb4eee4ef4117150abc58fad7a85439a6a96ccbecc3668b41795b3f3"
    )


def test_qr_data_changes_every_second():
    values = {qr_data(qr_start_token="t", qr_start_secret="s", seconds=n) for n in range(30)}
    assert len(values) == 30
    expected = hmac.new(b"s", b"29", hashlib.sha256).hexdigest()
    assert qr_data(qr_start_token="t", qr_start_secret="s", seconds=29) == f"bankid.t.29.{expected}"


def test_qr_seconds_are_whole_and_never_negative():
    assert qr_seconds(100.0, now=102.9) == 2
    assert qr_seconds(100.0, now=99.0) == 0


def test_qr_svg_has_no_style_and_no_declaration():
    svg = qr_svg("bankid.t.0.abc", label='QR "kod"')
    assert svg.startswith(
        '<svg class="bankid-qr__code" role="img" aria-label="QR &quot;kod&quot;" '
    )
    assert "style" not in svg
    assert "<?xml" not in svg


def test_autostart_link():
    assert autostart_url("abc") == "bankid:///?autostarttoken=abc&redirect=null"
