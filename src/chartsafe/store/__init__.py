"""The secret store's file-format layer: SOPS documents encrypted to age recipients."""
