"""Checks the published token vectors with jwcrypto, a JOSE library nothing of attest's shares
code with:

    python verify_tokens.py VECTORS_DIR

Reads VECTORS_DIR/manifest.json, the JWK set it names, and each token vector. A token is checked
the way an independent verifier should: the algorithm is fixed to EdDSA (never taken from the
token), the key is looked up by the header's kid in the JWK set. For a token whose signature
holds, the 7th payload element is its status-list position (list = position // 131072), and its
bit is read from the status list in the folder (index 0 is the left-most bit; this script does not
check the list's own proof: verify_credential.py does). Prints one JSON line per token:
{"file", "signature_valid", "status_bit", "error", "naive_hs256_accepts"}; the last says whether a
verifier that let the header pick HS256 and keyed it with the public key would have accepted it
(true only for the key-confusion vector, which shows that vector is a real forgery).
"""
import base64
import gzip
import hashlib
import hmac
import json
import os
import sys

from jwcrypto import jwk, jws


def b64d(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def status_bit(folder, manifest, position):
    lists = manifest["issuer"]["status_lists"]
    path = lists.get(str(position // 131072))
    if path is None:
        return None
    encoded = json.load(open(os.path.join(folder, path)))["credentialSubject"]["encodedList"]
    bits = gzip.decompress(b64d(encoded[1:]))
    index = position % 131072
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def main():
    folder = sys.argv[1]
    manifest = json.load(open(os.path.join(folder, "manifest.json")))
    keys = jwk.JWKSet.from_json(open(os.path.join(folder, manifest["issuer"]["jwks"])).read())
    for v in manifest["vectors"]:
        if v["kind"] != "token":
            continue
        token = open(os.path.join(folder, v["file"])).read().strip()
        out = {"file": v["file"], "signature_valid": False, "status_bit": None, "error": None}
        try:
            obj = jws.JWS()
            obj.allowed_algs = ["EdDSA"]
            obj.deserialize(token)
            kid = obj.jose_header.get("kid")
            key = keys.get_key(kid)
            if key is None:
                raise ValueError(f"no key {kid!r} in the JWK set")
            obj.verify(key, alg="EdDSA")
            out["signature_valid"] = True
            claims = json.loads(obj.payload)
            if len(claims) >= 7:
                out["status_bit"] = status_bit(folder, manifest, claims[6])
        except Exception as e:  # noqa: BLE001 - any failure is the verdict
            out["error"] = f"{type(e).__name__}: {e}"
        header, payload, sig = token.split(".")
        naive = False
        if json.loads(b64d(header)).get("alg") == "HS256":
            for k in keys["keys"]:
                raw = b64d(k.export_public(as_dict=True)["x"])
                mac = hmac.new(raw, f"{header}.{payload}".encode(), hashlib.sha256).digest()
                naive = naive or hmac.compare_digest(mac, b64d(sig))
        out["naive_hs256_accepts"] = naive
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
