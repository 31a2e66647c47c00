"""CloudFormation, as far as the sandbox serves it as AWS does. moto runs stacks, change
sets and StackSets (its engine creates the resources in the accounts' IAM and S3), but
version 5.2.5 skips some resource types and ignores some properties, and still reports the
stack ``CREATE_COMPLETE``. Here:

- ``resources`` gives moto's engine what it lacks, created as AWS creates it: IAM OIDC
  providers (so web identity finds them), bucket policies (stored: GetBucketPolicy answers
  them, and the sandbox's S3 evaluates them), a bucket's public access block and ownership
  controls, a role's ``ManagedPolicyArns``, and inline role policies stored as JSON (moto
  kept a Python dict, and GetRolePolicy answered its repr). ``install`` registers them.
- ``templates`` checks every template before moto sees it, and refuses loudly what the
  sandbox would not create as AWS does: a resource type, property or resource attribute it
  has not verified, a ``Rules`` or ``Transform`` section, a ``TemplateURL``, a stack or
  StackSet update (moto's engine keeps a role's old trust and inline policies), and, as
  AWS refuses it, IAM resources without ``CAPABILITY_IAM`` / ``CAPABILITY_NAMED_IAM``.

Imports the sandbox's core only (and moto).
"""
