"""Loading: the repository's YAML files read into ``SourceDocument``s that remember every
value's line and column (``yamlsource``), which files of a folder are read (``files``:
symlinks only where reconciler.yaml allows them, and only inside the repository), many
files on every CPU (``parallel``), and the cards of a command-line run parsed from
start-up, before the rest of the tool is imported (``early``, which reads no symlink).
Nothing here knows what a card or a share means: ``validate`` checks the documents and
``desired`` builds the desired state from them.

May import: ``common`` and itself. Never AWS.
"""
