"""The sandbox on the wire: the WSGI front, the HTTP server and the control API.

``app`` (``Front``) routes each request to the SageMaker or RAM service or to moto and
applies faults; ``wire`` parses requests and renders responses in each service's
protocol; ``sts`` answers GetCallerIdentity from the resolved caller; ``server`` serves
the front with HTTP/1.1 keep-alive; ``admin`` answers the
sandbox's own ``/_sandbox/`` API; ``contract`` checks, client-side, that every response
matches botocore's model.

May import the shared core at the top of ``reconciler.sandbox`` and the services
(``ram``, ``sagemaker``); the services never import this package.
"""
