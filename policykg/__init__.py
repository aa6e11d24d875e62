"""policykg: a knowledge graph of China's climate and energy policies.

The core package holds what the loaders and the web API share: settings,
vocabulary and IRI minting, the error hierarchy, the store, RDF input and
output, and validation. The CLI (``policykg.cli``) is the composition root
that wires loaders, store and API together.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
