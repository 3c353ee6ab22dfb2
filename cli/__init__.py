"""The `cotrace` command line: an entrypoint like `web`, which nothing imports."""
