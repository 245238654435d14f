"""Delivery: how the store's values reach the cluster (SealedSecret, ExternalSecret, AWS push).

One module per backend; each takes Secret bodies (or the store) and returns the manifests to
apply plus the values overrides that point the chart at what was delivered.
"""
