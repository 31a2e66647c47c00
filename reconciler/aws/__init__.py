"""AWS access shared by every stage that calls AWS: sessions and clients configured the
same way against AWS and the sandbox (``session``), and bounded polling for asynchronous
operations (``waits``), used by both apply and verify.

May import: ``common`` and itself.
"""
