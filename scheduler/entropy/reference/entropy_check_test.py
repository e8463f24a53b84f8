#!/usr/bin/env python3
"""entropy_check.py against known answers and the vectors the C++ library produced.

  python3 entropy_check_test.py entropy_vectors.json
"""

import json
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
import entropy_check as ec  # noqa: E402

VECTORS = None


class KnownAnswers(unittest.TestCase):
    def test_sm3_gbt32905_examples(self):
        self.assertEqual(ec.sm3(b"abc").hex(),
                         "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
        self.assertEqual(ec.sm3(b"abcd" * 16).hex(),
                         "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732")

    def test_ed25519_rfc8032_test1_and_test2(self):
        public = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        signature = bytes.fromhex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc6"
            "1e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        self.assertTrue(ec.ed25519_verify(public, b"", signature))
        self.assertFalse(ec.ed25519_verify(public, b"\x00", signature))
        public2 = bytes.fromhex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
        signature2 = bytes.fromhex(
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e45"
            "8f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")
        self.assertTrue(ec.ed25519_verify(public2, b"\x72", signature2))
        self.assertFalse(ec.ed25519_verify(public, b"\x72", signature2))

    def test_ed25519_refuses_small_order_and_off_curve_keys(self):
        self.assertFalse(ec.ed25519_public_key_ok(bytes([1]) + bytes(31)))  # identity
        self.assertFalse(ec.ed25519_public_key_ok(bytes([2]) + bytes(31)))  # y = 2: no point
        self.assertTrue(ec.ed25519_public_key_ok(bytes.fromhex(
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")))

    def test_sm2_standard_example_with_the_default_id(self):
        # GB/T 32918.2-2016 / GM/T 0003.5: "message digest", ID 1234567812345678.
        public = bytes.fromhex(
            "0409f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
            "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13")
        signature = bytes.fromhex(
            "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3"
            "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa")
        self.assertTrue(ec.sm2_verify(public, b"message digest", signature))
        self.assertFalse(ec.sm2_verify(public, b"message digest", signature, user_id=b""))
        self.assertFalse(ec.sm2_verify(public, b"message digesT", signature))
        off_curve = public[:-1] + bytes([public[-1] ^ 1])
        self.assertIsNone(ec.sm2_public_point(off_curve))

    def test_rsa_refuses_a_signature_of_the_wrong_length(self):
        self.assertFalse(ec.rsa_pkcs1_sha512_verify(2**2048 - 1, 65537, b"m", b"\x01" * 255))

    def test_statement_parse_is_strict(self):
        text = ("domain=31:regulation.entropy-statement.v1\nsource_id=11:notary-xihu\n"
                "plan_id=3:P-1\nround=1:0\ncommitment=64:" + "a" * 64 + "\nvalue=64:" + "b" * 64 +
                "\nsigned_at=20:2026-12-06T08:00:00Z\nattested=1:0\n")
        self.assertEqual(ec.parse_statement(text)["plan_id"], "P-1")
        for bad in (text + "x", text.replace("round=1:0", "round=2:00"),
                    text.replace("plan_id=3:", "plan_id=4:"),
                    text.replace("2026-12-06T08", "2026-02-30T08"),
                    text.replace("b" * 64, "B" * 64)):
            with self.assertRaises(ec.CheckError):
                ec.parse_statement(bad)


class CppVectors(unittest.TestCase):
    def check(self, case, result):
        name = case["name"]
        self.assertEqual(result["ok"], case["ok"], "%s: %s (C++: %s)"
                         % (name, result["reason"], case["cpp_reason"]))
        self.assertEqual(result["value"], case["value"], name)
        self.assertIn(case["reason"], result["reason"], name)

    def test_witness_statements(self):
        cases = VECTORS["witness_cases"]
        self.assertGreaterEqual(len(cases), 40)
        for case in cases:
            self.check(case, ec.verify_witness_statement(case["source"], case["statement"],
                                                         case.get("binding")))
        # Both algorithms, valid and refused.
        algorithms = {(c["source"]["algorithm"], c["ok"]) for c in cases}
        self.assertEqual(algorithms, {("ed25519", True), ("ed25519", False),
                                      ("sm2-sm3", True), ("sm2-sm3", False)})

    def test_beacon_pulses(self):
        cases = VECTORS["pulse_cases"]
        self.assertTrue(any(c["ok"] and "nist" in c["name"] for c in cases))
        for case in cases:
            self.check(case, ec.verify_beacon_pulse(case["source"], case["pulse_json"]))


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as f:
        VECTORS = json.load(f)
    unittest.main(argv=sys.argv[:1], verbosity=2)
