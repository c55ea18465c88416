"""A second, unrelated check of attest's credential proofs: pyld's URDNA2015 (RDFC-1.0) and
`cryptography`'s Ed25519, nothing of attest's or Digital Bazaar's code.

    python verify_credential.py CONTEXTS.json DID.json CREDENTIAL.json...

CONTEXTS.json is {url: JSON-LD context} (tests/verifiers/contexts.mjs prints it from the npm
packages); DID.json is the issuer's DID document. The document loader serves only these: nothing
is ever fetched from the network. Prints one line per credential, "valid" or "invalid: why", and
exits 0 only when every credential is valid.
"""
import hashlib
import json
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58decode(s):
    n = 0
    for c in s:
        n = n * 58 + B58.index(c)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * (len(s) - len(s.lstrip("1"))) + raw


def main():
    contexts = json.load(open(sys.argv[1]))
    did = json.load(open(sys.argv[2]))

    def loader(url, options=None):
        if url in contexts:
            return {"contextUrl": None, "documentUrl": url, "document": contexts[url]}
        raise jsonld.JsonLdError("refusing to fetch " + url, "loading document failed")

    jsonld.set_document_loader(loader)
    keys = {vm["id"]: vm["publicKeyMultibase"] for vm in did["verificationMethod"]}
    ok = True
    for path in sys.argv[3:]:
        try:
            verdict = check(json.load(open(path)), did, keys)
        except Exception as e:  # noqa: BLE001 - any failure is a verdict
            verdict = f"invalid: {type(e).__name__}: {e}"
        ok = ok and verdict == "valid"
        print(f"{path}: {verdict}")
    sys.exit(0 if ok else 1)


def canon(doc):
    return jsonld.normalize(
        doc, {"algorithm": "URDNA2015", "format": "application/n-quads", "safe": True}
    ).encode()


def check(cred, did, keys):
    proof = cred.pop("proof", None)
    if not isinstance(proof, dict):
        return "invalid: no single proof"
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != "eddsa-rdfc-2022":
        return f"invalid: proof {proof.get('type')} {proof.get('cryptosuite')}"
    if proof.get("proofPurpose") != "assertionMethod":
        return "invalid: proof purpose"
    vm = proof.get("verificationMethod")
    if vm not in keys or vm not in did.get("assertionMethod", []):
        return f"invalid: unknown verification method {vm}"
    value = proof.pop("proofValue")
    proof["@context"] = cred["@context"]
    data = hashlib.sha256(canon(proof)).digest() + hashlib.sha256(canon(cred)).digest()
    key = b58decode(keys[vm][1:])
    if key[:2] != b"\xed\x01":
        return "invalid: not an Ed25519 Multikey"
    Ed25519PublicKey.from_public_bytes(key[2:]).verify(b58decode(value[1:]), data)
    return "valid"


if __name__ == "__main__":
    main()
