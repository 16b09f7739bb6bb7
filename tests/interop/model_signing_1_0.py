"""Runs the real `model_signing` 1.0.x CLI offline.

model_signing 1.0.x builds a Sigstore signer in every signing.Config() (also for `sign key`
and `sign certificate`), and that fetches Sigstore's TUF metadata from the network
(sigstore-python 3.x; with 4.x it fails outright: SigningContext.production() was removed).
These machines reach no network beyond package registries, so that one constructor step is
replaced by a no-op; hashing, the statement, DSSE signing and verification are the tool's
own code. model_signing 1.1 no longer does this and runs unpatched.
"""
import sys

from model_signing import signing

signing.Config.use_sigstore_signer = lambda self, *args, **kwargs: self

from model_signing._cli import main  # noqa: E402

sys.exit(main())
