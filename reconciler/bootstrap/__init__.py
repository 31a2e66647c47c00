"""The infrastructure the reconciler runs on, as CloudFormation templates generated from the
repository (`reconciler bootstrap`). Pure: no AWS call, no file written here.

- ``card_account``: the card account's stack: GitHub's OIDC provider (optional), the plan,
  drift and apply roles holding exactly what `iam-policy` prints and trusted as
  `iam-policy --trust` prints, the exports bucket and its policy, the roles' ARNs as outputs;
- ``readers``: the StackSet template for the target accounts: the reader role (`--role
  verify`, trusted by the apply role) and, optionally, the consumer guard as its boundary;
- ``placement``: where a printed policy goes on its role within IAM's size limits (inline,
  split into managed policies, or refused);
- ``next_steps``: NEXT.md, the exact deploy commands and GitHub settings;
- ``model``: the settings, names and the generated files.

May import: ``common``, ``desired``, ``iam`` and itself.
"""
