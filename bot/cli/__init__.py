"""The subcommands of `newsbot`, one module per group; bot.__main__ assembles them."""
