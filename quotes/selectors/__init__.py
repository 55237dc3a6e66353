"""Every read of the quotes app that is more than a one-liner, one module per part."""
