"""The one logger, tracer and metrics object every function uses (Powertools)."""

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()
