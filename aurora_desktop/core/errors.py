"""The one exception tree of Aurora; every message is a sentence a user can act on.

AuroraError
├── ConfigError            bad settings, unusable data folder, invalid input
│   └── RequestError       a request that breaks the call contract
├── ModelError
│   ├── ModelFetchError    the model could not be downloaded or extracted
│   ├── IntegrityError     bytes do not match the expected size or sha256
│   ├── ManifestError      a manifest or catalog that cannot be read or is malformed
│   ├── SignatureError     a signature that is missing, wrong, expired or untrusted
│   └── ModelInUseError    an action refused because the model is active or loaded
├── KeyringError           the OS keyring cannot hold or give back a secret
├── PolicyDenied           the policy forbids the request (risk, banned words, scope)
│   ├── ConsentDenied      the user (or a timeout) said no to a consent request
│   └── MaskingError       personal data could not be masked, so nothing may leave
├── EngineError
│   ├── EngineLoadError    the engine could not load a model
│   ├── EngineClosedError  work was submitted to an engine that has shut down
│   └── ProviderError      a cloud provider refused or failed the request
│       └── ProviderUnavailableError  unreachable, timing out, or cooled down
└── CancelledError         the user stopped the request
"""

from __future__ import annotations


class AuroraError(Exception):
    """Base of every error Aurora raises on purpose; `str(err)` is shown to the user."""


class ConfigError(AuroraError):
    """Settings or the environment make it impossible to go on."""


class RequestError(ConfigError):
    """A request that breaks the call contract (empty prompt, bad field)."""


class ModelError(AuroraError):
    """A model is missing, unusable or untrusted."""


class ModelFetchError(ModelError):
    """A model could not be obtained from its source."""


class IntegrityError(ModelError):
    """A model file does not match the size or sha256 it must have."""


class ManifestError(ModelError):
    """A manifest or catalog that cannot be read, is too large, or breaks its schema."""


class SignatureError(ModelError):
    """A signature that is missing, does not verify, has expired, or comes from no trusted key."""


class ModelInUseError(ModelError):
    """The action would remove or replace a model version that is active or in use."""


class KeyringError(AuroraError):
    """The OS keyring is missing or refused to store or return a secret."""


class PolicyDenied(AuroraError):
    """The policy forbids what the request asks for; the message says which rule."""


class ConsentDenied(PolicyDenied):
    """The user declined (or did not answer) a consent request."""


class MaskingError(PolicyDenied):
    """Masking failed; the request is treated as high risk and stays on this device."""


class EngineError(AuroraError):
    """An inference engine failed."""


class EngineLoadError(EngineError):
    """An engine could not load a model file."""


class EngineClosedError(EngineError):
    """Work was submitted to an engine that has been shut down."""


class ProviderError(EngineError):
    """A cloud provider answered with an error that retrying will not fix (4xx, bad reply)."""


class ProviderUnavailableError(ProviderError):
    """A cloud provider cannot be reached, keeps failing, or is cooling down after failures."""


class CancelledError(AuroraError):
    """The request was stopped before it finished."""
