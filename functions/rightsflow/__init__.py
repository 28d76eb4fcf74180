"""Rightsflow: the orchestrator of privacy rights requests, shared by every Lambda function."""
