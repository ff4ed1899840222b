"""What a notebook shows: figures, ledger rows and notices as MIME bundles the report
template renders (``render``), and the ``show*`` helpers notebooks call (``show``)."""
