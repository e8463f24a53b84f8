#!/usr/bin/env python3
"""Checks a draw's entropy statements without the project's C++ (docs/entropy.md).

Python 3.8+, standard library only. Everything a reader needs to check a witness's signed
statement or a beacon pulse against the source registered for it:

  Ed25519 (RFC 8032), SM3 (GB/T 32905), SM2 signatures with SM3 and the default ID
  "1234567812345678" (GB/T 32918.2), RSA PKCS#1 v1.5 with SHA-512 from a modulus and
  exponent, the strict parse of the canonical statement text, and the NIST Randomness
  Beacon 2.0 pulse serialization and output value.

  result = verify_witness_statement(source, statement)
  result = verify_beacon_pulse(source, pulse_json)
  # -> {"ok": bool, "value": hex or "", "reason": "" or what failed, "time": RFC 3339}

`source` is a RegisteredEntropySource and `statement` an EntropyStatement, both as
protobuf JSON (camelCase or snake_case field names). Used as a program:

  python3 entropy_check.py SOURCE.json STATEMENT.json [--plan=ID --round=N
                           --commitment=HEX --not_before=2026-12-06T08:10:00Z]

prints VALID or INVALID (exit 0 or 1). This is slow, plain arithmetic on Python integers,
meant to be read and checked, not to be fast or constant-time (it handles no secrets).
"""

import base64
import datetime
import hashlib
import json
import re
import sys

# ---------------------------------------------------------------------------------------
# Hex and small helpers


class CheckError(Exception):
    """A check failed; the message starts with the part that failed."""


def decode_hex(field, text, size=None, either_case=False):
    """The bytes of `text`: lowercase hex (or either case), of `size` bytes if given."""
    pattern = r"[0-9a-fA-F]*" if either_case else r"[0-9a-f]*"
    if not isinstance(text, str):
        raise CheckError("%s: must be a string" % field)
    if len(text) % 2 != 0:
        raise CheckError("%s: must be hex of whole bytes, got %d digits" % (field, len(text)))
    if not re.fullmatch(pattern, text):
        raise CheckError("%s: must be %s" % (field, "hex" if either_case else "lowercase hex"))
    data = bytes.fromhex(text)
    if size is not None and len(data) != size:
        raise CheckError("%s: must be %d bytes (%d hex digits), got %d"
                         % (field, size, 2 * size, len(data)))
    return data


def _field(message, camel, snake, default=None):
    """A protobuf JSON field, whichever name style the file uses."""
    if camel in message:
        return message[camel]
    return message.get(snake, default)


# ---------------------------------------------------------------------------------------
# Ed25519 (RFC 8032 §5.1), verification only

_ED_P = 2**255 - 19
_ED_L = 2**252 + 27742317777372353535851937790883648493
_ED_D = -121665 * pow(121666, _ED_P - 2, _ED_P) % _ED_P
_ED_SQRT_M1 = pow(2, (_ED_P - 1) // 4, _ED_P)


def _ed_add(P, Q):
    # Extended coordinates (X, Y, Z, T), RFC 8032 §5.1.4.
    x1, y1, z1, t1 = P
    x2, y2, z2, t2 = Q
    a = (y1 - x1) * (y2 - x2) % _ED_P
    b = (y1 + x1) * (y2 + x2) % _ED_P
    c = 2 * t1 * t2 * _ED_D % _ED_P
    d = 2 * z1 * z2 % _ED_P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f % _ED_P, g * h % _ED_P, f * g % _ED_P, e * h % _ED_P)


def _ed_mul(s, P):
    Q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            Q = _ed_add(Q, P)
        P = _ed_add(P, P)
        s >>= 1
    return Q


def _ed_encode(P):
    x, y, z, _ = P
    zi = pow(z, _ED_P - 2, _ED_P)
    x, y = x * zi % _ED_P, y * zi % _ED_P
    return (y | ((x & 1) << 255)).to_bytes(32, "little")


def _ed_decode(data):
    """The point encoded by 32 bytes, or None (RFC 8032 §5.1.3)."""
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= _ED_P:
        return None
    u, v = (y * y - 1) % _ED_P, (_ED_D * y * y + 1) % _ED_P
    x = u * pow(v, 3, _ED_P) * pow(u * pow(v, 7, _ED_P), (_ED_P - 5) // 8, _ED_P) % _ED_P
    if (v * x * x - u) % _ED_P != 0:
        if (v * x * x + u) % _ED_P != 0:
            return None
        x = x * _ED_SQRT_M1 % _ED_P
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = _ED_P - x
    return (x, y, 1, x * y % _ED_P)


_ED_B = _ed_decode((4 * pow(5, _ED_P - 2, _ED_P) % _ED_P).to_bytes(32, "little"))


def ed25519_public_key_ok(public_key):
    """A point of the curve, and not one of the eight of small order ([8]A is the
    identity), against which signatures could be forged."""
    A = _ed_decode(public_key)
    return A is not None and _ed_encode(_ed_mul(8, A)) != (1).to_bytes(32, "little")


def ed25519_verify(public_key, message, signature):
    """True when `signature` (64 bytes) is `public_key`'s Ed25519 signature of `message`.

    The group equation without the cofactor, R == [s]B - [h]A compared as encodings, with
    s < L: the check OpenSSL makes, so that both sides accept the same signatures."""
    A = _ed_decode(public_key)
    if A is None or len(signature) != 64:
        return False
    R, s = signature[:32], int.from_bytes(signature[32:], "little")
    if s >= _ED_L or _ed_decode(R) is None:
        return False
    h = int.from_bytes(hashlib.sha512(R + public_key + message).digest(), "little") % _ED_L
    minus_hA = _ed_mul(h, (_ED_P - A[0], A[1], A[2], _ED_P - A[3]))
    return _ed_encode(_ed_add(_ed_mul(s, _ED_B), minus_hA)) == R


# ---------------------------------------------------------------------------------------
# SM3 (GB/T 32905-2016)

_SM3_IV = [0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600,
           0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E]


def _rotl(x, n):
    n %= 32
    return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF


def sm3(data):
    """The 32-byte SM3 digest of `data`."""
    length = len(data) * 8
    data = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + length.to_bytes(8, "big")
    v = list(_SM3_IV)
    for block in range(0, len(data), 64):
        w = [int.from_bytes(data[block + 4 * i:block + 4 * i + 4], "big") for i in range(16)]
        for j in range(16, 68):
            x = w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)
            x ^= _rotl(x, 15) ^ _rotl(x, 23)  # P1
            w.append(x ^ _rotl(w[j - 13], 7) ^ w[j - 6])
        w1 = [w[j] ^ w[j + 4] for j in range(64)]
        a, b, c, d, e, f, g, h = v
        for j in range(64):
            t = 0x79CC4519 if j < 16 else 0x7A879D8A
            ss1 = _rotl((_rotl(a, 12) + e + _rotl(t, j)) & 0xFFFFFFFF, 7)
            ss2 = ss1 ^ _rotl(a, 12)
            ff = a ^ b ^ c if j < 16 else (a & b) | (a & c) | (b & c)
            gg = e ^ f ^ g if j < 16 else (e & f) | (~e & g)
            tt1 = (ff + d + ss2 + w1[j]) & 0xFFFFFFFF
            tt2 = (gg + h + ss1 + w[j]) & 0xFFFFFFFF
            d, c, b, a = c, _rotl(b, 9), a, tt1
            h, g, f = g, _rotl(f, 19), e
            e = tt2 ^ _rotl(tt2, 9) ^ _rotl(tt2, 17)  # P0
        v = [x ^ y for x, y in zip(v, [a, b, c, d, e, f, g, h])]
    return b"".join(x.to_bytes(4, "big") for x in v)


# ---------------------------------------------------------------------------------------
# SM2 (GB/T 32918.2-2016) on the recommended curve (GB/T 32918.5), verification only

_SM2_P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
_SM2_A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
_SM2_B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
_SM2_N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
_SM2_G = (0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
          0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0)
SM2_DEFAULT_ID = b"1234567812345678"


def _sm2_add(P, Q):
    # Affine coordinates; None is the point at infinity.
    if P is None:
        return Q
    if Q is None:
        return P
    if P[0] == Q[0]:
        if (P[1] + Q[1]) % _SM2_P == 0:
            return None
        lam = (3 * P[0] * P[0] + _SM2_A) * pow(2 * P[1], _SM2_P - 2, _SM2_P) % _SM2_P
    else:
        lam = (Q[1] - P[1]) * pow(Q[0] - P[0], _SM2_P - 2, _SM2_P) % _SM2_P
    x = (lam * lam - P[0] - Q[0]) % _SM2_P
    return (x, (lam * (P[0] - x) - P[1]) % _SM2_P)


def _sm2_mul(k, P):
    Q = None
    while k > 0:
        if k & 1:
            Q = _sm2_add(Q, P)
        P = _sm2_add(P, P)
        k >>= 1
    return Q


def sm2_public_point(public_key):
    """(x, y) of a 65-byte key 04 || x || y on the SM2 curve, or None."""
    if len(public_key) != 65 or public_key[0] != 4:
        return None
    x, y = int.from_bytes(public_key[1:33], "big"), int.from_bytes(public_key[33:], "big")
    if x >= _SM2_P or y >= _SM2_P or (y * y - x * x * x - _SM2_A * x - _SM2_B) % _SM2_P != 0:
        return None
    return (x, y)


def sm2_verify(public_key, message, signature, user_id=SM2_DEFAULT_ID):
    """True when `signature` (64 bytes, r || s) is the SM2 signature with SM3 of `message`
    by the 65-byte `public_key`, with distinguishing ID `user_id`."""
    P = sm2_public_point(public_key)
    if P is None or len(signature) != 64:
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (1 <= r < _SM2_N and 1 <= s < _SM2_N):
        return False
    # Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA), ENTL the ID's length in bits.
    z = sm3((len(user_id) * 8).to_bytes(2, "big") + user_id
            + b"".join(v.to_bytes(32, "big") for v in (_SM2_A, _SM2_B) + _SM2_G + P))
    e = int.from_bytes(sm3(z + message), "big")
    t = (r + s) % _SM2_N
    if t == 0:
        return False
    point = _sm2_add(_sm2_mul(s, _SM2_G), _sm2_mul(t, P))
    return point is not None and (e + point[0]) % _SM2_N == r


# ---------------------------------------------------------------------------------------
# RSA, PKCS#1 v1.5 with SHA-512 (RFC 8017 §8.2.2), from the modulus and exponent

_SHA512_DIGEST_INFO = bytes.fromhex("3051300d060960864801650304020305000440")


def rsa_pkcs1_sha512_verify(modulus, exponent, message, signature):
    k = (modulus.bit_length() + 7) // 8
    if len(signature) != k:
        return False
    s = int.from_bytes(signature, "big")
    if s >= modulus:
        return False
    encoded = pow(s, exponent, modulus).to_bytes(k, "big")
    digest_info = _SHA512_DIGEST_INFO + hashlib.sha512(message).digest()
    return encoded == b"\x00\x01" + b"\xff" * (k - 3 - len(digest_info)) + b"\x00" + digest_info


def _der_read(data, at, tag=None):
    """(contents, next offset) of the DER element at `at` (whose tag must be `tag`)."""
    if at + 2 > len(data) or (tag is not None and data[at] != tag):
        raise CheckError("certificate_pem: not the X.509 structure expected")
    length, at = data[at + 1], at + 2
    if length & 0x80:
        count = length & 0x7F
        length, at = int.from_bytes(data[at:at + count], "big"), at + count
    return data[at:at + length], at + length


def _der_skip(data, at):
    return _der_read(data, at)[1]


def certificate_der(pem):
    """The DER bytes of a PEM certificate (the base64 between its header and footer)."""
    match = re.fullmatch(r"\s*-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)"
                         r"-----END CERTIFICATE-----\s*", pem or "")
    if not match:
        raise CheckError('certificate_pem: must be one PEM certificate ("-----BEGIN CERTIFICATE-----")')
    return base64.b64decode("".join(match.group(1).split()), validate=True)


def rsa_key_of_certificate(der):
    """(modulus, exponent) of an X.509 certificate's RSA subjectPublicKeyInfo."""
    certificate, _ = _der_read(der, 0, 0x30)
    tbs, _ = _der_read(certificate, 0, 0x30)
    at = 0
    if tbs[0] == 0xA0:  # [0] version
        at = _der_skip(tbs, at)
    for _ in range(5):  # serialNumber, signature, issuer, validity, subject
        at = _der_skip(tbs, at)
    spki, _ = _der_read(tbs, at, 0x30)
    algorithm, after = _der_read(spki, 0, 0x30)
    oid, _ = _der_read(algorithm, 0, 0x06)
    if oid != bytes.fromhex("2a864886f70d010101"):  # rsaEncryption
        raise CheckError("certificate_pem: the certificate's key is not an RSA key")
    bits, _ = _der_read(spki, after, 0x03)
    key, _ = _der_read(bits[1:], 0, 0x30)
    n, after = _der_read(key, 0, 0x02)
    e, _ = _der_read(key, after, 0x02)
    return int.from_bytes(n, "big"), int.from_bytes(e, "big")


# ---------------------------------------------------------------------------------------
# Witness statements (docs/entropy.md §2)

DOMAIN = "regulation.entropy-statement.v1"
_SOURCE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_COUNT = re.compile(r"0|[1-9][0-9]*")


def _fields(text):
    """[(name, value)] of the canonical encoding name=len:value\\n, exactly."""
    data, at, fields = text.encode("utf-8"), 0, []
    while at < len(data):
        m = re.compile(rb"([a-z_.]+)=(0|[1-9][0-9]{0,8}):").match(data, at)
        if not m:
            raise CheckError("statement: not canonical: malformed field at byte %d" % at)
        length, start = int(m.group(2)), m.end()
        if start + length >= len(data) or data[start + length] != 0x0A:
            raise CheckError("statement: not canonical: field \"%s\": its length %d does not "
                             "end at a newline" % (m.group(1).decode(), length))
        fields.append((m.group(1).decode(), data[start:start + length].decode("utf-8")))
        at = start + length + 1
    return fields


def _encode(fields):
    return "".join("%s=%d:%s\n" % (n, len(v.encode("utf-8")), v) for n, v in fields)


def _text_ok(field, value, max_bytes):
    if not value:
        raise CheckError("statement.%s: is required" % field)
    if len(value.encode("utf-8")) > max_bytes:
        raise CheckError("statement.%s: is %d bytes, at most %d allowed"
                         % (field, len(value.encode("utf-8")), max_bytes))
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        raise CheckError("statement.%s: contains a control character" % field)


def parse_statement(text):
    """The fields of a canonical statement text; CheckError for anything not canonical."""
    try:
        fields = _fields(text)
    except UnicodeDecodeError:
        raise CheckError("statement: not valid UTF-8")
    expected = ["domain", "source_id", "plan_id", "round", "commitment", "value", "signed_at",
                "attested"]
    names = [n for n, _ in fields]
    if names[:8] != expected:
        raise CheckError("statement: not canonical: the fields must be %s" % ", ".join(expected))
    f = dict(fields[:8])
    if f["domain"] != DOMAIN:
        raise CheckError('statement: the domain is "%s", not "%s"' % (f["domain"], DOMAIN))
    if not _SOURCE_ID.fullmatch(f["source_id"]):
        raise CheckError("statement.source_id: must be 1-64 characters from [A-Za-z0-9._-]")
    _text_ok("plan_id", f["plan_id"], 128)
    if not _COUNT.fullmatch(f["round"]) or int(f["round"]) >= 2**63:
        raise CheckError("statement.round: must be a decimal number without leading zeros")
    if not re.fullmatch(r"[0-9a-f]{64}", f["commitment"]):
        raise CheckError("statement.commitment: must be 64 lowercase hexadecimal characters")
    if not re.fullmatch(r"[0-9a-f]{64}", f["value"]):
        raise CheckError("statement.value: must be 64 lowercase hex characters (32 bytes)")
    try:
        signed_at = datetime.datetime.strptime(f["signed_at"], "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        signed_at = None
    if (not _TIME.fullmatch(f["signed_at"]) or signed_at is None
            or signed_at.year < 2000):
        raise CheckError("statement.signed_at: must be RFC 3339 UTC to the second")
    if not _COUNT.fullmatch(f["attested"]) or int(f["attested"]) > 16:
        raise CheckError("statement.attested: must be a count from 0 to 16")
    count = int(f["attested"])
    rest = fields[8:]
    if [n for n, _ in rest] != ["attested.source_id", "attested.value"] * count:
        raise CheckError("statement: not canonical: %d attested values announced, the fields "
                         "after them differ" % count)
    attested = [(rest[2 * i][1], rest[2 * i + 1][1]) for i in range(count)]
    previous = None
    for source_id, value in attested:
        if not _SOURCE_ID.fullmatch(source_id):
            raise CheckError("statement.attested.source_id: must be 1-64 characters from "
                             "[A-Za-z0-9._-]")
        if source_id == f["source_id"]:
            raise CheckError("statement.attested.source_id: a witness attests other sources' "
                             "values, not its own")
        if previous is not None and not previous < source_id.encode():
            raise CheckError("statement.attested.source_id: must be strictly increasing")
        previous = source_id.encode()
        _text_ok("attested.value", value, 256)
    if _encode(fields) != text:
        raise CheckError("statement: not canonical: it does not re-encode to itself")
    return {"source_id": f["source_id"], "plan_id": f["plan_id"], "round": int(f["round"]),
            "commitment": f["commitment"], "value": f["value"], "signed_at": f["signed_at"],
            "attested": attested}


def _utc(text):
    return datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)


def check_binding(fields, binding):
    """CheckError unless the statement names binding's plan, round and commitment and was
    signed at or after binding's not_before (each key optional)."""
    if "plan_id" in binding and fields["plan_id"] != binding["plan_id"]:
        raise CheckError('statement.plan_id: signed for plan "%s", not "%s"'
                         % (fields["plan_id"], binding["plan_id"]))
    if "round" in binding and fields["round"] != int(binding["round"]):
        raise CheckError("statement.round: signed for round %d, not %s"
                         % (fields["round"], binding["round"]))
    if "commitment" in binding and fields["commitment"] != binding["commitment"]:
        raise CheckError("statement.commitment: signed for commitment %s, not this round's %s"
                         % (fields["commitment"], binding["commitment"]))
    if "not_before" in binding:
        earliest = datetime.datetime.strptime(
            binding["not_before"].replace("Z", "+00:00"), "%Y-%m-%dT%H:%M:%S%z")
        if _utc(fields["signed_at"]) < earliest:
            raise CheckError("statement.signed_at: %s is before %s, the earliest allowed"
                             % (fields["signed_at"], binding["not_before"]))


def verify_witness_statement(source, statement, binding=None):
    """Checks an EntropyStatement of a WITNESS source. `binding` (optional): plan_id, round,
    commitment and not_before the statement must match."""
    try:
        if _field(source, "kind", "kind") not in ("ENTROPY_SOURCE_KIND_WITNESS", 1):
            raise CheckError("source: not a WITNESS source")
        source_id = _field(source, "sourceId", "source_id", "")
        if _field(statement, "sourceId", "source_id", "") != source_id:
            raise CheckError('source_id: the statement is for "%s", not "%s"'
                             % (_field(statement, "sourceId", "source_id", ""), source_id))
        witness = statement.get("witness")
        if not isinstance(witness, dict):
            raise CheckError("statement: no witness signature")
        algorithm = source.get("algorithm", "")
        size = {"ed25519": 32, "sm2-sm3": 65}.get(algorithm)
        if size is None:
            raise CheckError('algorithm: must be "ed25519" or "sm2-sm3", got "%s"' % algorithm)
        key = decode_hex("public_key_hex", _field(source, "publicKeyHex", "public_key_hex", ""),
                         size)
        if algorithm == "ed25519" and _ed_decode(key) is None:
            raise CheckError("public_key_hex: not the encoding of a point of Ed25519's curve")
        if algorithm == "ed25519" and not ed25519_public_key_ok(key):
            raise CheckError("public_key_hex: a point of small order, for which signatures "
                             "can be forged")
        if algorithm == "sm2-sm3" and sm2_public_point(key) is None:
            raise CheckError("public_key_hex: not a point of the SM2 curve")
        signature = decode_hex("signature_hex",
                               _field(witness, "signatureHex", "signature_hex", ""), 64)
        text = witness.get("statement", "")
        fields = parse_statement(text)
        verify = ed25519_verify if algorithm == "ed25519" else sm2_verify
        if not verify(key, text.encode("utf-8"), signature):
            raise CheckError("signature: does not verify with the %s key %s..."
                             % (algorithm, key.hex()[:16]))
        if fields["source_id"] != source_id:
            raise CheckError('statement.source_id: signed as source "%s", not "%s"'
                             % (fields["source_id"], source_id))
        if binding:
            check_binding(fields, binding)
        return {"ok": True, "value": fields["value"], "reason": "",
                "time": fields["signed_at"], "statement": fields}
    except CheckError as e:
        return {"ok": False, "value": "", "reason": str(e), "time": ""}


# ---------------------------------------------------------------------------------------
# NIST Randomness Beacon 2.0 pulses (docs/entropy.md §3)

_PULSE_FIELDS = ["uri", "version", "cipherSuite", "period", "certificateId", "chainIndex",
                 "pulseIndex", "timeStamp", "localRandomValue", "external", "listValues",
                 "precommitmentValue", "statusCode", "signatureValue", "outputValue"]
_LIST_TYPES = ["previous", "hour", "day", "month", "year"]


def _strict_object(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise CheckError('beacon_pulse_json: member "%s" appears twice' % key)
        seen[key] = value
    return seen


def _no_constant(name):
    raise CheckError("beacon_pulse_json: %s is not JSON" % name)


def _members(where, obj, names):
    if not isinstance(obj, dict):
        raise CheckError("beacon_pulse_json: %s: must be an object" % where)
    for key in obj:
        if key not in names:
            raise CheckError('beacon_pulse_json: %s: unknown field "%s"' % (where, key))
    for name in names:
        if name not in obj:
            raise CheckError('beacon_pulse_json: %s: "%s" is missing' % (where, name))


def _integer(field, value, maximum):
    if not isinstance(value, int) or isinstance(value, bool):
        raise CheckError("beacon_pulse_json: %s: must be an integer" % field)
    if not 0 <= value <= maximum:
        raise CheckError("beacon_pulse_json: %s: must be from 0 to %d, got %d"
                         % (field, maximum, value))
    return value


def _string(field, value):
    if not isinstance(value, str):
        raise CheckError("beacon_pulse_json: %s: must be a string" % field)
    return value


def pulse_signed_bytes(p):
    """The bytes a pulse's signatureValue signs: uri, version, cipherSuite, period,
    certificateId, chainIndex, pulseIndex, timeStamp, localRandomValue, external.sourceId,
    external.statusCode, external.value, each listValues value, precommitmentValue,
    statusCode; strings and hex-decoded byte fields prefixed by their 4-byte big-endian
    length, integers big-endian in 4 bytes (8 for the two indices)."""
    def u32(n):
        return n.to_bytes(4, "big")

    def prefixed(b):
        return u32(len(b)) + b

    def h(field, text):
        return decode_hex("beacon_pulse_json: " + field, text, either_case=True)

    e = p["external"]
    out = [prefixed(p["uri"].encode("utf-8")), prefixed(p["version"].encode("utf-8")),
           u32(p["cipherSuite"]), u32(p["period"]), prefixed(h("certificateId", p["certificateId"])),
           p["chainIndex"].to_bytes(8, "big"), p["pulseIndex"].to_bytes(8, "big"),
           prefixed(p["timeStamp"].encode("utf-8")),
           prefixed(h("localRandomValue", p["localRandomValue"])),
           prefixed(h("external.sourceId", e["sourceId"])), u32(e["statusCode"]),
           prefixed(h("external.value", e["value"]))]
    out += [prefixed(h("listValues[%d].value" % i, v["value"]))
            for i, v in enumerate(p["listValues"])]
    out += [prefixed(h("precommitmentValue", p["precommitmentValue"])), u32(p["statusCode"])]
    return b"".join(out)


def parse_pulse(pulse_json):
    """The pulse object of a beacon's JSON ({"pulse": {...}} or the pulse), strictly."""
    try:
        document = json.loads(pulse_json, object_pairs_hook=_strict_object,
                              parse_constant=_no_constant, parse_float=lambda s: _no_constant(s))
    except ValueError as e:
        raise CheckError("beacon_pulse_json: not JSON: %s" % e)
    if isinstance(document, dict) and list(document) == ["pulse"]:
        document = document["pulse"]
    _members("pulse", document, _PULSE_FIELDS)
    p = document
    for name in ("uri", "version", "timeStamp"):
        _string(name, p[name])
    for name, maximum in (("cipherSuite", 2**31 - 1), ("period", 2**31 - 1),
                          ("chainIndex", 2**63 - 1), ("pulseIndex", 2**63 - 1),
                          ("statusCode", 2**31 - 1)):
        _integer(name, p[name], maximum)
    _members("external", p["external"], ["sourceId", "statusCode", "value"])
    _integer("external.statusCode", p["external"]["statusCode"], 2**31 - 1)
    if not isinstance(p["listValues"], list) or len(p["listValues"]) != 5:
        raise CheckError("beacon_pulse_json: listValues: must be an array of five: previous, "
                         "hour, day, month, year")
    for i, item in enumerate(p["listValues"]):
        _members("listValues[%d]" % i, item, ["uri", "type", "value"])
        _string("listValues[%d].uri" % i, item["uri"])
        if item["type"] != _LIST_TYPES[i]:
            raise CheckError('beacon_pulse_json: listValues[%d].type: must be "%s"'
                             % (i, _LIST_TYPES[i]))
    for name in ("certificateId", "localRandomValue", "precommitmentValue", "signatureValue"):
        decode_hex("beacon_pulse_json: " + name, _string(name, p[name]), either_case=True)
    for name in ("sourceId", "value"):
        decode_hex("beacon_pulse_json: external." + name,
                   _string("external." + name, p["external"][name]), either_case=True)
    for i, item in enumerate(p["listValues"]):
        decode_hex("beacon_pulse_json: listValues[%d].value" % i,
                   _string("listValues[%d].value" % i, item["value"]), either_case=True)
    decode_hex("beacon_pulse_json: outputValue", _string("outputValue", p["outputValue"]), 64,
               either_case=True)
    t = p["timeStamp"]
    fmt = "%Y-%m-%dT%H:%M:%S.%fZ" if len(t) == 24 else "%Y-%m-%dT%H:%M:%SZ"
    try:
        ok = (re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z", t) is not None
              and datetime.datetime.strptime(t, fmt) is not None)
    except ValueError:
        ok = False
    if not ok:
        raise CheckError("beacon_pulse_json: timeStamp: must be YYYY-MM-DDTHH:MM:SS.mmmZ")
    return p


def verify_beacon_pulse(source, pulse_json):
    """Checks a pulse against a BEACON source: its pinned certificate (certificateId =
    SHA-512 of its DER bytes) and RSA key (the registered modulus and exponent, which must
    be the certificate's), the signature, and outputValue = SHA-512(signed bytes ||
    signatureValue). The value is outputValue in lowercase hex."""
    try:
        if _field(source, "kind", "kind") not in ("ENTROPY_SOURCE_KIND_BEACON", 2):
            raise CheckError("source: not a BEACON source")
        if source.get("algorithm", "") != "rsa-pkcs1-sha512":
            raise CheckError('algorithm: must be "rsa-pkcs1-sha512"')
        der = certificate_der(_field(source, "certificatePem", "certificate_pem", ""))
        modulus, exponent = rsa_key_of_certificate(der)
        registered_n = _field(source, "rsaModulusHex", "rsa_modulus_hex", "")
        registered_e = _field(source, "rsaExponentHex", "rsa_exponent_hex", "")
        if registered_n or registered_e:
            if (int.from_bytes(decode_hex("rsa_modulus_hex", registered_n), "big") != modulus or
                    int.from_bytes(decode_hex("rsa_exponent_hex", registered_e), "big") != exponent):
                raise CheckError("rsa_modulus_hex: the registered key is not the certificate's")
        p = parse_pulse(pulse_json)
        if p["cipherSuite"] != 0:
            raise CheckError("beacon_pulse_json: cipherSuite: only cipher suite 0 (SHA-512, RSA "
                             "PKCS#1 v1.5) is supported, got %d" % p["cipherSuite"])
        certificate_id = hashlib.sha512(der).hexdigest()
        if p["certificateId"].lower() != certificate_id:
            raise CheckError("certificateId: %s... is not the pinned certificate's %s..."
                             % (p["certificateId"].lower()[:16], certificate_id[:16]))
        signed = pulse_signed_bytes(p)
        signature = bytes.fromhex(p["signatureValue"])
        if not rsa_pkcs1_sha512_verify(modulus, exponent, signed, signature):
            raise CheckError("signatureValue: does not verify with the pinned certificate's key")
        if hashlib.sha512(signed + signature).hexdigest() != p["outputValue"].lower():
            raise CheckError("outputValue: is not SHA-512(the signed fields || signatureValue)")
        return {"ok": True, "value": p["outputValue"].lower(), "reason": "",
                "time": p["timeStamp"], "pulse_index": p["pulseIndex"]}
    except CheckError as e:
        return {"ok": False, "value": "", "reason": str(e), "time": ""}


def verify_statement(source, statement, binding=None):
    """Either check, by the statement's evidence."""
    if "beaconPulseJson" in statement or "beacon_pulse_json" in statement:
        if _field(statement, "sourceId", "source_id", "") != _field(source, "sourceId",
                                                                      "source_id", ""):
            return {"ok": False, "value": "", "reason": "source_id: not this source's", "time": ""}
        return verify_beacon_pulse(source, _field(statement, "beaconPulseJson",
                                                  "beacon_pulse_json"))
    return verify_witness_statement(source, statement, binding)


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    flags = dict(a[2:].split("=", 1) for a in argv[1:] if a.startswith("--") and "=" in a)
    if len(args) != 2:
        print(__doc__.strip().split("\n\n")[-2], file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        source = json.load(f)
    with open(args[1], encoding="utf-8") as f:
        statement = json.load(f)
    binding = {k: v for k, v in (("plan_id", flags.get("plan")), ("round", flags.get("round")),
                                 ("commitment", flags.get("commitment")),
                                 ("not_before", flags.get("not_before"))) if v is not None}
    result = verify_statement(source, statement, binding)
    if result["ok"]:
        print("VALID: value %s, time %s" % (result["value"], result["time"]))
        return 0
    print("INVALID: %s" % result["reason"])
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
