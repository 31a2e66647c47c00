"""CloudFormation, as far as the sandbox serves it as AWS does. moto runs stacks, change
sets and StackSets (its engine creates the resources in the accounts' IAM and S3), but
version 5.2.5 skips some resource types, ignores some properties, updates almost nothing,
and still reports the stack complete. Here:

- ``resources`` and ``iam_resources`` give moto's engine what it lacks, created, updated
  and deleted as AWS does it: IAM OIDC providers (so web identity finds them), bucket
  policies (stored: GetBucketPolicy answers them, and the sandbox's S3 evaluates them), a
  bucket's public access block and ownership controls, roles (inline policies as JSON,
  ``ManagedPolicyArns``, and updates of their trust, policies and boundary) and managed
  policies (updates and deletion); and a stack made or updated by a change set gets its
  outputs. ``stack_sets`` has UpdateStackSet reach every stack instance (moto only
  records the new template) as an operation with an ID. ``install`` registers them.
- ``templates`` checks every template before moto sees it, and refuses loudly what the
  sandbox would not deploy as AWS does: a resource type, property or resource attribute it
  has not verified, a ``Rules`` or ``Transform`` section, a ``TemplateURL``, an update
  that would replace a resource (of a stack or a StackSet's instances), and, as AWS
  refuses it, IAM resources without ``CAPABILITY_IAM`` /
  ``CAPABILITY_NAMED_IAM``.

Imports the sandbox's core only (and moto).
"""
